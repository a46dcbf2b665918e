// Entry point of the bundled command (dist/dms-lz.cjs).
import { runCli } from "./cli.js";

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
