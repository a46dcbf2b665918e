#!/usr/bin/env node
// The dms-lz command, run from the TypeScript sources through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli.ts");
process.exitCode = await runCli(process.argv.slice(2));
