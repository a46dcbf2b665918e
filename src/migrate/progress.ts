// A one-line progress bar on stderr, drawn only on a terminal (nothing in logs or pipes).
import type { VerifyProgress } from "./verify.js";

export interface ProgressBar {
  update(progress: VerifyProgress): void;
  /** Clears the line. */
  done(): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

export function progressBar(write: (text: string) => void, isTerminal: boolean): ProgressBar {
  if (!isTerminal) return { update: () => undefined, done: () => undefined };
  let lastDraw = 0;
  let drawn = false;
  return {
    update({ table, rowsDone, rowsEstimated }) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      drawn = true;
      const rows = rowsDone.toLocaleString("en-US");
      // Estimates come from the planner and can be low; past them, show the count alone.
      const line =
        rowsEstimated >= rowsDone && rowsEstimated > 0
          ? `${bar(rowsDone / rowsEstimated)} ${Math.floor((rowsDone / rowsEstimated) * 100)}% ${rows}/${rowsEstimated.toLocaleString("en-US")} rows`
          : `${rows} rows`;
      write(`\r\x1b[K${line}  ${table}`);
    },
    done() {
      if (drawn) write("\r\x1b[K");
      drawn = false;
    },
  };
}

function bar(fraction: number): string {
  const filled = Math.round(fraction * WIDTH);
  return `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}]`;
}
