// What a migration covers: which tables, which kind of DMS task, and the LOB limit. Filled from
// command-line flags today; an environment's DMS task config can fill the same interface.
import type { MigrationType } from "../../modules/dms/replication-task.js";

/** How the task moves LOB columns: not at all, truncated at LobMaxSize, or whole (slower). */
export type LobMode = "none" | "limited" | "full";

/** DMS task setting TargetMetadata.LobMaxSize defaults to 32 KB (limited LOB mode). */
export const DEFAULT_LOB_MAX_SIZE_KB = 32;

/** One selection rule, as a DMS table mapping's object-locator writes it: `%` matches any run of characters. */
export interface TableSelector {
  readonly schema: string;
  readonly table: string;
}

export interface MigrationScope {
  /**
   * Tables to include (selection rules, `%` wildcards allowed).
   * @default every user table outside the system and DMS control schemas
   */
  readonly tables?: readonly TableSelector[];
  /** Exclusion rules, same form; they win over `tables`. @default none */
  readonly excludedTables?: readonly TableSelector[];
  /** The DMS task's migration type. @default "full-load-and-cdc" */
  readonly migrationType: MigrationType;
  /** The task's LobMaxSize in KB (limited LOB mode truncates longer values). @default 32 */
  readonly lobMaxSizeKb: number;
  /** The task's LOB mode. @default "limited" (DMS's default) */
  readonly lobMode?: LobMode;
}

/**
 * Parses `schema.table,schema2.%,"Mixed Case"."t.1"`. Double-quoted parts keep dots, commas and
 * case; unquoted parts are taken as written (DMS selection rules are case-sensitive as well).
 */
export function parseTableList(text: string): TableSelector[] {
  const selectors: TableSelector[] = [];
  let parts: string[] = [];
  let current = "";
  let quoted = false;
  let wasQuoted = false;
  const endPart = () => {
    if (current === "" && !wasQuoted) throw new Error(`empty name in table list ${JSON.stringify(text)}`);
    parts.push(wasQuoted ? current : current.trimEnd());
    current = "";
    wasQuoted = false;
  };
  const endSelector = () => {
    endPart();
    if (parts.length !== 2) {
      throw new Error(`expected schema.table, got ${JSON.stringify(parts.join("."))} in ${JSON.stringify(text)}`);
    }
    selectors.push({ schema: parts[0], table: parts[1] });
    parts = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ".") {
      endPart();
    } else if (ch === ",") {
      endSelector();
    } else if (ch.trim() !== "" || current !== "") {
      current += ch;
    }
  }
  if (quoted) throw new Error(`unterminated quote in table list ${JSON.stringify(text)}`);
  endSelector();
  return selectors;
}

/** A DMS pattern as a LIKE pattern with `\` as escape: `%` stays a wildcard, `_` and `\` become literal. */
export function toLikePattern(pattern: string): string {
  return pattern.replace(/[\\_]/g, (ch) => `\\${ch}`);
}
