// Seeded mutations of the reference environments, as a careful user (or a hostile file) would
// make them, and one run of `dms-lz synth` per mutant with the oracle the issue asks for: no crash
// or stack trace, nothing written on error, every injected problem reported where it was injected
// (file, JSON path, and line/column for broken files), accepted template text kept literal.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { runCli } from "../../src/cli.js";
import { REFERENCE_VARIABLES } from "./synth.js";

type Key = string | number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface BaseFile {
  readonly env: string;
  readonly name: string;
  readonly text: string;
  readonly value: { [key: string]: Json };
}

export interface BaseTree {
  readonly envs: readonly string[];
  readonly files: readonly BaseFile[];
  readonly schema: SchemaNode;
}

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
}

export const MUTATION_KINDS = [
  "typo-key", "wrong-type", "bad-cidr", "hostile-string", "huge-number", "aws-tag-key", "bad-env-override",
  "directory", "broken-symlink", "invalid-utf8", "nul", "duplicate-key", "truncated", "env-dir-name",
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  readonly kind: MutationKind;
  readonly env: string;
  /** The file in the environment directory; "" for the directory itself. */
  readonly file: string;
  /** Where the problem is; [] for a whole file. */
  readonly path: readonly Key[];
  /** Another path that also names the problem (a typo'd key: the key it should have been). */
  readonly alsoPath?: readonly Key[];
  /** A problem that must be reported; otherwise the value may be accepted (then it must be harmless). */
  readonly mustReject: boolean;
  /** Expected 1-based line and column, for problems in a file's bytes. */
  readonly position?: { readonly line: number; readonly column: number };
  /** Template text that, when accepted, must reach the output only escaped. */
  readonly literal?: string;
  readonly note: string;
  readonly fileLevel: boolean;
  readonly write?: Buffer;
  readonly special?: "directory" | "broken-symlink" | { readonly renameDir: string };
}

export interface MutationSpec {
  readonly kind: MutationKind;
  readonly env: number;
  readonly pick: number;
  readonly variant: number;
}

export const BAD_ENV_NAMES = ["PROD", "-dash", "ünï", "a".repeat(40), "dev_1", "internal", "x--y", "trailing-", "1abc", "dev.1", "a b", "qa-s3alias"];
const TEMPLATE_TEXT = ['${file("/etc/hostname")}', "%{ if true }x%{ endif }"];
const HUGE_NUMBERS = ["1e400", "18446744073709551616", "-1", "0.5", "1e21"];

export function readBaseTree(dir = REFERENCE_VARIABLES): BaseTree {
  const envs = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const files: BaseFile[] = [];
  for (const env of envs) {
    for (const name of readdirSync(join(dir, env)).filter((file) => file.endsWith(".tfvars.json")).sort()) {
      const text = readFileSync(join(dir, env, name), "utf8");
      files.push({ env, name, text, value: JSON.parse(text) });
    }
  }
  return { envs, files, schema: JSON.parse(readFileSync(join(dir, "schema.json"), "utf8")) };
}

/** Values that may be accepted (then they must be harmless and valid for Terraform). */
const MAYBE_KINDS = ["hostile-string", "huge-number", "wrong-type", "env-dir-name"] as const satisfies readonly MutationKind[];

/** Specs of 1-3 mutations per mutant; one mutant in five is a single maybe-acceptable value. */
export function mutantArbitrary(base: BaseTree): fc.Arbitrary<MutationSpec[]> {
  const spec = (kinds: readonly MutationKind[]) => fc.record({ kind: fc.constantFrom(...kinds), env: fc.nat({ max: base.envs.length - 1 }), pick: fc.nat(), variant: fc.nat() });
  return fc.oneof(
    { arbitrary: fc.array(spec(MUTATION_KINDS), { minLength: 1, maxLength: 3 }), weight: 4 },
    { arbitrary: fc.tuple(spec(MAYBE_KINDS)).map((one) => [...one]), weight: 1 },
  );
}

/** The mutations of a mutant: one per file, at most one directory rename per environment. */
export function materialize(base: BaseTree, specs: readonly MutationSpec[]): Mutation[] {
  const out: Mutation[] = [];
  for (const spec of specs) {
    const mutation = mutationFor(base, spec);
    if (!mutation) continue;
    if (out.some((other) => other.env === mutation.env && other.file === mutation.file)) continue;
    const renamed = (m: Mutation) => (typeof m.special === "object" ? m.special.renameDir : undefined);
    if (renamed(mutation) && out.some((other) => renamed(other) === renamed(mutation))) continue;
    out.push(mutation);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building one mutation

interface Site {
  readonly file: BaseFile;
  readonly path: Key[];
  readonly value: Json;
}

/** Every value in a file, except `$schema` and top-level keys that a later file replaces. */
function sites(base: BaseTree, env: string): Site[] {
  const files = base.files.filter((file) => file.env === env);
  const out: Site[] = [];
  files.forEach((file, index) => {
    const later = new Set(files.slice(index + 1).flatMap((other) => Object.keys(other.value)));
    const visit = (value: Json, path: Key[]) => {
      if (path.length > 0) out.push({ file, path, value });
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
      else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    };
    for (const [key, value] of Object.entries(file.value)) if (key !== "$schema" && !later.has(key)) visit(value, [key]);
  });
  return out;
}

function schemaAt(root: SchemaNode, path: readonly Key[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    if (typeof key === "number") node = node.items;
    else node = node.properties?.[key] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
  }
  return node;
}

function jsonType(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function schemaAllows(node: SchemaNode | undefined, value: Json): boolean | undefined {
  if (!node?.type) return undefined;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const type = jsonType(value);
  return types.includes(type) || (type === "integer" && types.includes("number"));
}

function setAt(root: Json, path: readonly Key[], value: Json | undefined, renameTo?: string): Json {
  const copy = structuredClone(root);
  let parent = copy as Record<string, Json> | Json[];
  for (const key of path.slice(0, -1)) parent = (parent as Record<Key, Json>)[key] as Record<string, Json>;
  const last = path[path.length - 1];
  if (renameTo !== undefined) {
    // Keep the key's place in the object.
    const entries = Object.entries(parent as Record<string, Json>).map(([key, item]) => [key === last ? renameTo : key, item] as const);
    for (const key of Object.keys(parent)) delete (parent as Record<string, Json>)[key];
    for (const [key, item] of entries) (parent as Record<string, Json>)[key] = item;
  } else (parent as Record<Key, Json | undefined>)[last] = value;
  return copy;
}

const pretty = (value: Json) => `${JSON.stringify(value, null, 2)}\n`;
const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

function typo(key: string, variant: number): string {
  const i = Math.max(0, Math.min(key.length - 2, variant % Math.max(1, key.length - 1)));
  switch (variant % 5) {
    case 0: return key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
    case 1: return key.slice(0, i) + key.slice(i + 1);
    case 2: return key.slice(0, i) + key[i] + key.slice(i);
    case 3: return key.includes("_") ? key.replace("_", "-") : `${key}s`;
    default: return key[0].toUpperCase() + key.slice(1);
  }
}

/** 1-based line and column (in characters) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split("\n");
  return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 };
}

/** Character offsets inside string literals (between the quotes) of a JSON text. */
function stringInteriorOffsets(text: string): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") { i++; continue; }
      if (c === '"') { inString = false; continue; }
      out.push(i);
    } else if (c === '"') inString = true;
  }
  return out;
}

function insertBytes(text: string, offset: number, bytes: number[]): Buffer {
  return Buffer.concat([Buffer.from(text.slice(0, offset), "utf8"), Buffer.from(bytes), Buffer.from(text.slice(offset), "utf8")]);
}

/** JSON.stringify(value, null, 2) with one key of one object written twice; returns where the second one starts. */
function stringifyWithDuplicate(value: Json, objectPath: readonly Key[], key: string, duplicate: Json): { text: string; offset: number } {
  let offset = -1;
  let text = "";
  const write = (node: Json, path: Key[], indent: string) => {
    if (Array.isArray(node)) {
      if (node.length === 0) { text += "[]"; return; }
      text += "[\n";
      node.forEach((item, i) => {
        text += `${indent}  `;
        write(item, [...path, i], `${indent}  `);
        text += i < node.length - 1 ? ",\n" : "\n";
      });
      text += `${indent}]`;
    } else if (node !== null && typeof node === "object") {
      const members: [string, Json, boolean][] = Object.entries(node).map(([k, v]) => [k, v, false]);
      const here = path.length === objectPath.length && path.every((k, i) => k === objectPath[i]);
      if (here) members.push([key, duplicate, true]);
      if (members.length === 0) { text += "{}"; return; }
      text += "{\n";
      members.forEach(([k, v, isDuplicate], i) => {
        text += `${indent}  `;
        if (isDuplicate) offset = text.length;
        text += `${JSON.stringify(k)}: `;
        write(v, [...path, k], `${indent}  `);
        text += i < members.length - 1 ? ",\n" : "\n";
      });
      text += `${indent}}`;
    } else text += JSON.stringify(node);
  };
  write(value, [], "");
  return { text: `${text}\n`, offset };
}

function otherType(value: Json, variant: number): Json {
  const choices: Json[] = [42, "42", true, [], {}, null].filter((candidate) => jsonType(candidate) !== jsonType(value) && !(jsonType(value) === "integer" && candidate === 42));
  return choices[variant % choices.length];
}

function mutationFor(base: BaseTree, spec: MutationSpec): Mutation | undefined {
  const env = base.envs[spec.env];
  const files = base.files.filter((file) => file.env === env);
  const all = sites(base, env);
  const keyLevel = (site: Site, text: string, rest: Omit<Mutation, "env" | "file" | "fileLevel" | "write">): Mutation => ({ env, file: site.file.name, fileLevel: false, write: Buffer.from(text), ...rest });
  switch (spec.kind) {
    case "typo-key": {
      const candidates = all.filter((site) => typeof site.path[site.path.length - 1] === "string" && schemaAt(base.schema, site.path.slice(0, -1))?.additionalProperties === false);
      const site = pick(candidates, spec.pick);
      if (!site) return undefined;
      const key = String(site.path[site.path.length - 1]);
      const parent = schemaAt(base.schema, site.path.slice(0, -1));
      const renamed = typo(key, spec.variant);
      if (renamed === key || parent?.properties?.[renamed]) return undefined;
      const path = [...site.path.slice(0, -1), renamed];
      return keyLevel(site, pretty(setAt(site.file.value, site.path, undefined, renamed)), { kind: "typo-key", path, alsoPath: site.path, mustReject: true, note: `key ${key} -> ${renamed}` });
    }
    case "wrong-type": {
      const site = pick(all, spec.pick);
      if (!site) return undefined;
      const value = otherType(site.value, spec.variant);
      const allowed = schemaAllows(schemaAt(base.schema, site.path), value);
      return keyLevel(site, pretty(setAt(site.file.value, site.path, value)), { kind: "wrong-type", path: site.path, mustReject: allowed === false, note: `${JSON.stringify(site.value)} -> ${JSON.stringify(value)}` });
    }
    case "bad-cidr": {
      const site = pick(all.filter((s) => typeof s.value === "string" && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s.value)), spec.pick);
      if (!site) return undefined;
      const [address, prefix] = String(site.value).split("/");
      const octets = address.split(".");
      const variants = [
        `${octets.slice(0, 3).join(".")}.5/${prefix}`,
        `${address}/33`,
        `300.${octets.slice(1).join(".")}/${prefix}`,
        address,
      ];
      const value = variants[spec.variant % variants.length];
      return keyLevel(site, pretty(setAt(site.file.value, site.path, value)), { kind: "bad-cidr", path: site.path, mustReject: true, note: `${site.value} -> ${value}` });
    }
    case "hostile-string": {
      const site = pick(all.filter((s) => typeof s.value === "string"), spec.pick);
      if (!site) return undefined;
      const variants = [...TEMPLATE_TEXT.map((t) => `${site.value}${t}`), `${site.value}🚀`];
      const value = variants[spec.variant % variants.length];
      const literal = TEMPLATE_TEXT.find((t) => value.endsWith(t));
      return keyLevel(site, pretty(setAt(site.file.value, site.path, value)), { kind: "hostile-string", path: site.path, mustReject: false, literal, note: `${JSON.stringify(site.value)} -> ${JSON.stringify(value)}` });
    }
    case "huge-number": {
      const site = pick(all.filter((s) => typeof s.value === "number"), spec.pick);
      if (!site) return undefined;
      const raw = HUGE_NUMBERS[spec.variant % HUGE_NUMBERS.length];
      const text = pretty(setAt(site.file.value, site.path, "__HUGE_NUMBER__")).replace('"__HUGE_NUMBER__"', raw);
      return keyLevel(site, text, { kind: "huge-number", path: site.path, mustReject: false, note: `${site.value} -> ${raw}` });
    }
    case "aws-tag-key": {
      const site = pick(all.filter((s) => /(^|_)tags$/.test(String(s.path[s.path.length - 1])) && s.value !== null && typeof s.value === "object" && !Array.isArray(s.value)), spec.pick);
      if (!site) return undefined;
      const value = { ...(site.value as Record<string, Json>), "aws:owner": "team" };
      return keyLevel(site, pretty(setAt(site.file.value, site.path, value)), { kind: "aws-tag-key", path: [...site.path, "aws:owner"], mustReject: true, note: "tag key aws:owner" });
    }
    case "bad-env-override": {
      const file = files.find((f) => "environment" in f.value) ?? files.find((f) => "region" in f.value) ?? files[0];
      const name = BAD_ENV_NAMES[spec.variant % BAD_ENV_NAMES.length];
      const value = { ...file.value, environment: name };
      return { kind: "bad-env-override", env, file: file.name, path: ["environment"], mustReject: true, fileLevel: false, write: Buffer.from(pretty(value)), note: `environment ${JSON.stringify(name)}` };
    }
    case "directory":
    case "broken-symlink": {
      const replace = spec.variant % 2 === 0 ? pick(files, spec.pick) : undefined;
      const file = replace?.name ?? (spec.kind === "directory" ? "zz-extra.tfvars.json" : "00-link.tfvars.json");
      return { kind: spec.kind, env, file, path: [], mustReject: true, fileLevel: true, special: spec.kind, note: `${file} is a ${spec.kind}` };
    }
    case "invalid-utf8": {
      const file = pick(files, spec.pick)!;
      const offsets = stringInteriorOffsets(file.text);
      const offset = pick(offsets, spec.variant * 7919)!;
      const sequences = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf]];
      const bytes = sequences[spec.variant % sequences.length];
      return { kind: "invalid-utf8", env, file: file.name, path: [], mustReject: true, fileLevel: true, position: lineColumn(file.text, offset), write: insertBytes(file.text, offset, bytes), note: `bytes ${bytes.map((b) => b.toString(16)).join(" ")} at ${JSON.stringify(lineColumn(file.text, offset))}` };
    }
    case "nul": {
      const file = pick(files, spec.pick)!;
      const offset = spec.variant % (file.text.length + 1);
      return { kind: "nul", env, file: file.name, path: [], mustReject: true, fileLevel: true, position: lineColumn(file.text, offset), write: insertBytes(file.text, offset, [0]), note: `NUL at ${JSON.stringify(lineColumn(file.text, offset))}` };
    }
    case "duplicate-key": {
      const objects = all.filter((s) => s.value !== null && typeof s.value === "object" && !Array.isArray(s.value) && Object.keys(s.value).length > 0);
      const site = pick([{ file: pick(files, spec.pick)!, path: [] as Key[], value: pick(files, spec.pick)!.value as Json }, ...objects], spec.pick);
      if (!site) return undefined;
      const key = pick(Object.keys(site.value as object).filter((k) => k !== "$schema"), spec.variant);
      if (key === undefined) return undefined;
      const current = (site.value as Record<string, Json>)[key];
      const duplicate = spec.variant % 2 === 0 ? current : otherType(current, spec.variant);
      const { text, offset } = stringifyWithDuplicate(site.file.value, site.path, key, duplicate);
      return { kind: "duplicate-key", env, file: site.file.name, path: [...site.path, key], mustReject: true, fileLevel: true, position: lineColumn(text, offset), write: Buffer.from(text), note: `key ${key} twice at ${JSON.stringify(lineColumn(text, offset))}` };
    }
    case "truncated": {
      const file = pick(files, spec.pick)!;
      const end = file.text.lastIndexOf("}");
      const cut = spec.variant % end;
      return { kind: "truncated", env, file: file.name, path: [], mustReject: true, fileLevel: true, write: Buffer.from(file.text.slice(0, cut)), note: `cut at ${cut} of ${file.text.length}` };
    }
    case "env-dir-name": {
      const name = BAD_ENV_NAMES[spec.variant % BAD_ENV_NAMES.length];
      const overridden = files.some((file) => "environment" in file.value);
      return { kind: "env-dir-name", env, file: "", path: [], mustReject: !overridden, fileLevel: true, special: { renameDir: name }, note: `directory ${env} -> ${JSON.stringify(name)}${overridden ? " (environment key set)" : ""}` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running one mutant through the CLI

export interface ReportedIssue {
  readonly file: string;
  readonly path: string;
  readonly text: string;
}

export interface MutantOutcome {
  readonly mutations: readonly Mutation[];
  readonly exitCode: number | "threw";
  readonly stderr: string;
  readonly crashed: boolean;
  readonly leaked: boolean;
  readonly issues: readonly ReportedIssue[];
  /** Mutations whose problem was not reported where it was injected (or, if a must-reject, accepted). */
  readonly hidden: readonly Mutation[];
  /** Broken-file mutations reported without their line and column. */
  readonly misplaced: readonly Mutation[];
  /** Accepted template text that reached the output unescaped. */
  readonly liveTemplates: readonly Mutation[];
  /** The synthesized stack directories (when accepted and kept). */
  readonly stackDirs: readonly string[];
  readonly dir: string;
  cleanup(): void;
}

function jsonPathOf(path: readonly Key[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** Files under `dir` with a hash of their contents: what "unchanged" means for an output directory. */
function snapshot(dir: string): string {
  const hash = createHash("sha256");
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(current, entry.name);
      hash.update(relative(dir, full));
      if (entry.isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

function parseIssues(stderr: string): ReportedIssue[] {
  const out: ReportedIssue[] = [];
  for (const line of stderr.split("\n")) {
    const match = /^ {2}- (.*?): (\$[^ ]*): (.*)$/.exec(line);
    if (match) out.push({ file: match[1], path: match[2], text: match[3] });
  }
  return out;
}

/** Only "N configuration problems:" and one "  - " line per problem; nothing that looks like a stack. */
function isOneLinePerProblem(stderr: string): boolean {
  const lines = stderr.split("\n").filter((line) => line !== "");
  if (lines.length === 0) return true;
  return /^\d+ configuration problems?:$/.test(lines[0]) && lines.slice(1).every((line) => /^ {2}- /.test(line)) && !/^\s+at /m.test(stderr);
}

function pathMatches(reported: string, expected: string): boolean {
  if (reported === expected) return true;
  if (reported.startsWith(expected) && /^[.[]/.test(reported.slice(expected.length))) return true;
  // A problem about the object that holds the value (a task, an endpoint), not the whole file.
  return reported !== "$" && expected.startsWith(reported) && /^[.[]/.test(expected.slice(reported.length));
}

/** Writes the mutations into a copy of the variables tree; returns the renamed environment directories. */
function applyMutations(dir: string, vars: string, mutations: readonly Mutation[]): Map<string, string> {
  const dirNames = new Map<string, string>();
  for (const mutation of mutations) {
    const target = join(vars, mutation.env, mutation.file);
    if (mutation.write) writeFileSync(target, mutation.write);
    if (mutation.special === "directory") {
      rmSync(target, { force: true });
      mkdirSync(target);
      writeFileSync(join(target, "inside.json"), "{}");
    } else if (mutation.special === "broken-symlink") {
      rmSync(target, { force: true });
      symlinkSync(join(dir, "does-not-exist.json"), target);
    }
  }
  for (const mutation of mutations) {
    if (typeof mutation.special === "object") {
      renameSync(join(vars, mutation.env), join(vars, mutation.special.renameDir));
      dirNames.set(mutation.env, mutation.special.renameDir);
    }
  }
  return dirNames;
}

/** One mutant through `dms-lz synth`, in-process, judged by the oracle above. */
export async function runMutant(mutations: readonly Mutation[], options: { keepOutput?: boolean } = {}): Promise<MutantOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "lz-mutant-"));
  const vars = join(dir, "variables");
  const out = join(dir, "cdktf.out");
  cpSync(REFERENCE_VARIABLES, vars, { recursive: true });
  // A previous synth's output, which a failed run must leave as it was.
  mkdirSync(join(out, "stacks", "earlier"), { recursive: true });
  writeFileSync(join(out, "stacks", "earlier", "cdk.tf.json"), "{}\n");
  writeFileSync(join(out, "manifest.json"), '{"stacks":{"earlier":{}}}\n');
  const before = snapshot(out);

  let dirNames: Map<string, string>;
  try {
    dirNames = applyMutations(dir, vars, mutations);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const envDir = (env: string) => dirNames.get(env) ?? env;

  // Problems expected: every environment at once. Only harmless-or-not values: just those envs (a
  // full synth of every environment costs seconds).
  const args = ["synth", "--vars", vars, "--out", out];
  if (!mutations.some((m) => m.mustReject)) for (const env of new Set(mutations.map((m) => envDir(m.env)))) args.push("--env", env);
  let stderr = "";
  let exitCode: number | "threw";
  try {
    exitCode = await runCli(args, { stdout: () => undefined, stderr: (text) => (stderr += text) });
  } catch (error) {
    exitCode = "threw";
    stderr += error instanceof Error ? `${error.stack}` : String(error);
  }
  const crashed = exitCode === "threw" || (exitCode !== 0 && exitCode !== 1) || !isOneLinePerProblem(stderr);
  const leaked = exitCode !== 0 && snapshot(out) !== before;
  const issues = parseIssues(stderr);

  const brokenEnvs = new Set(mutations.filter((m) => m.fileLevel && m.kind !== "env-dir-name" && m.kind !== "duplicate-key").map((m) => m.env));
  const hidden: Mutation[] = [];
  const misplaced: Mutation[] = [];
  for (const mutation of mutations) {
    if (exitCode === 0) {
      if (mutation.mustReject) hidden.push(mutation);
      continue;
    }
    // A file that cannot be read hides the rest of its environment, by design: its keys are unknown.
    if (!mutation.fileLevel && brokenEnvs.has(mutation.env)) continue;
    if (!mutation.mustReject) continue;
    const where = mutation.file === "" ? `/${envDir(mutation.env)}` : `/${envDir(mutation.env)}/${mutation.file}`;
    const inFile = issues.filter((issue) => issue.file.endsWith(where));
    const found = mutation.fileLevel
      ? inFile
      : inFile.filter((issue) => [mutation.path, mutation.alsoPath].some((path) => path && pathMatches(issue.path, jsonPathOf(path))));
    if (found.length === 0) hidden.push(mutation);
    else if (mutation.position && !found.some((issue) => issue.text.includes(`line ${mutation.position!.line}, column ${mutation.position!.column}`))) misplaced.push(mutation);
  }

  const stackDirs: string[] = [];
  const liveTemplates: Mutation[] = [];
  if (exitCode === 0) {
    for (const env of new Set(mutations.map((m) => envDir(m.env)))) stackDirs.push(join(out, "stacks", env));
    for (const mutation of mutations.filter((m) => m.literal)) {
      const json = readFileSync(join(out, "stacks", envDir(mutation.env), "cdk.tf.json"), "utf8");
      // Escaped, Terraform reads `$${` / `%%{` as the literal text; unescaped, it evaluates it.
      const escaped = JSON.stringify(mutation.literal!.replace(/([$%])\{/g, "$1$1{")).slice(1, -1);
      const live = JSON.stringify(mutation.literal).slice(1, -1);
      if (json.split(escaped).join("").includes(live)) liveTemplates.push(mutation);
    }
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (!options.keepOutput || exitCode !== 0) {
    cleanup();
    stackDirs.length = 0;
  }
  return { mutations, exitCode, stderr, crashed, leaked, issues, hidden, misplaced, liveTemplates, stackDirs, dir, cleanup };
}

export function describeMutant(mutations: readonly Mutation[]): string {
  return mutations.map((m) => `${m.kind} ${m.env}/${m.file}${m.path.length ? ` ${jsonPathOf(m.path)}` : ""}: ${m.note}`).join(" + ");
}
