// Unpacks a Lambda zip as Lambda does, so tests run the deployed artifact, not the sources.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AdmZip from "adm-zip";

/** A fresh temp directory holding the zip's files (no node_modules anywhere above it). */
export function extractLambdaZip(zipPath: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-lambda-"));
  new AdmZip(zipPath).extractAllTo(dir, true);
  return dir;
}
