// Six overrides of cdktf 0.21 internals that cost a synth most of its time and change nothing in
// the output (test/unit/cdktf-overrides.test.ts proves each). cdktf is archived, so these will not
// move under us; each checks the shape it replaces and fails loudly if a version changes it.
//
// 1. Token stack traces: cdktf captures a full JavaScript stack trace for every token (Intrinsic,
//    Lazy, the resolvables of lists and dynamic blocks) whatever `App({ stackTraces: false })`
//    says, only to decorate errors about misused tokens. Its one capture function is replaced on
//    the module object every caller reads it from.
// 2. The preparing pass: before synthesis, prepareStack resolves every element of a stack once
//    and throws the result away, to find references to other stacks (which need an output and a
//    remote state); synthesis then resolves everything again. An App holding one stack has no
//    other stack to refer to, so there only the backend check of that pass runs. src/synth.ts
//    gives each environment its own App.
// 3. Token resolution: cdktf's resolve is replaced by src/cdktf-resolve.ts, which does the same
//    work without building a context and a path string for every value it walks.
// 4. Meta-argument names: every resource's toTerraform snake-cases the names of its meta-arguments
//    (depends_on, lifecycle, ...) with three regular expressions, a third of its cost; the same
//    dozen names are snake-cased once per process instead.
// 5. Token keys: registering a token compiles a new regular expression to clean its display hint;
//    one compiled expression does the same for every token.
// 6. File assets: a FILE asset copies its file into its stack's folder as the stack synthesizes.
//    In an App whose context sets CALLER_PLACES_FILE_ASSETS it leaves that to the App's caller:
//    src/synth.ts places the Lambda zips with each stack (src/stack-placement.ts), keeping an
//    identical copy a previous synth left there. Any other App copies them as cdktf does.
import { App, AssetType, TerraformAsset, TerraformStack, Tokenization } from "cdktf";
import encoding from "cdktf/lib/tokens/private/encoding.js";
import resolveModule from "cdktf/lib/tokens/private/resolve.js";
import stackTrace from "cdktf/lib/tokens/private/stack-trace.js";
import { TokenMap } from "cdktf/lib/tokens/private/token-map.js";
import util from "cdktf/lib/util.js";
import { memoize } from "../modules/core/memoize.js";
import { resolve } from "./cdktf-resolve.js";
import type { FileAsset } from "./stack-placement.js";

type StackInternals = { prepareStack(): void; ensureBackendExists(): unknown };

const traces = stackTrace as { captureStackTrace: (below?: unknown) => string[] };
const stackPrototype = TerraformStack.prototype as unknown as StackInternals;
const resolver = resolveModule as { resolve: typeof resolve };
const snakeCasing = util as { snakeCase: (name: string) => string; keysToSnakeCase: (value: unknown) => unknown };
type TokenMapInternals = { tokenCounter: number; stringTokenMap: Map<string, unknown>; registerStringKey(token: unknown, displayHint?: string): string };
const tokenMapPrototype = TokenMap.prototype as unknown as TokenMapInternals;
type AssetInternals = { _onSynthesize(session: unknown): void; sourcePath: string; stack: TerraformStack };
const assetPrototype = TerraformAsset.prototype as unknown as AssetInternals;
const original = {
  captureStackTrace: traces.captureStackTrace,
  prepareStack: stackPrototype.prepareStack,
  resolve: resolver.resolve,
  snakeCase: snakeCasing.snakeCase,
  keysToSnakeCase: snakeCasing.keysToSnakeCase,
  registerStringKey: tokenMapPrototype.registerStringKey,
  synthesizeAsset: assetPrototype._onSynthesize,
};

const noTrace = (): string[] => [];

function prepareStack(this: TerraformStack & StackInternals): void {
  const stacks = App.of(this).node.findAll().filter((construct) => TerraformStack.isStack(construct));
  if (stacks.length === 1) this.ensureBackendExists();
  else original.prepareStack.call(this);
}

const snakeCase = memoize(original.snakeCase);

/** cdktf's keysToSnakeCase (util.js) line for line, with the names snake-cased once. */
function keysToSnakeCase(value: unknown): unknown {
  if (Tokenization.isResolvable(value)) return value;
  const nested = (element: unknown) => (typeof element === "object" ? keysToSnakeCase(element) : element);
  if (Array.isArray(value)) return value.map(nested);
  const object = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (key === "tags" || key === "environment") {
      result[key] = object[key];
      continue;
    }
    let converted = object[key];
    if (typeof converted === "object") converted = keysToSnakeCase(converted);
    if (Array.isArray(converted)) converted = converted.map(nested);
    result[snakeCase(key)] = converted;
  }
  return result;
}

// What cdktf builds anew for each token: `new RegExp(\`[^${VALID_KEY_CHARS}]\`, "g")`.
const NOT_A_KEY_CHARACTER = new RegExp(`[^${encoding.VALID_KEY_CHARS}]`, "g");

/** cdktf's TokenMap.registerStringKey line for line, with the expression compiled once. */
function registerStringKey(this: TokenMapInternals, token: unknown, displayHint?: string): string {
  const counter = this.tokenCounter++;
  const representation = (displayHint || "TOKEN").replace(NOT_A_KEY_CHARACTER, ".");
  const key = `${representation}.${counter}`;
  this.stringTokenMap.set(key, token);
  return key;
}

/** The App context key, set to true, that makes an App's FILE assets its caller's to place. */
export const CALLER_PLACES_FILE_ASSETS = "dms-lz:callerPlacesFileAssets";

const leftToCaller = (asset: TerraformAsset): boolean => asset.type === AssetType.FILE && asset.node.tryGetContext(CALLER_PLACES_FILE_ASSETS) === true;

// What each stack's synthesis left to the caller, by the path its Terraform expects.
const leftAssets = new WeakMap<TerraformStack, Map<string, FileAsset>>();

// An asset binds this method when it is constructed: the override applies to assets made after it.
function synthesizeAsset(this: TerraformAsset, session: unknown): void {
  if (!leftToCaller(this)) return original.synthesizeAsset.call(this, session);
  const { stack, sourcePath } = this as unknown as AssetInternals;
  const left = leftAssets.get(stack) ?? new Map<string, FileAsset>();
  leftAssets.set(stack, left.set(this.path, { path: this.path, sourcePath }));
}

/** The FILE assets a synthesized stack left to the caller, with where its Terraform expects them. */
export function assetsLeftToCaller(stack: TerraformStack): FileAsset[] {
  return [...(leftAssets.get(stack)?.values() ?? [])];
}

/** Applies the overrides in this process (idempotent); returns a function that undoes them. */
export function applyCdktfOverrides(): () => void {
  const replaced = [original.captureStackTrace, original.prepareStack, stackPrototype.ensureBackendExists, original.resolve, original.snakeCase, original.keysToSnakeCase, original.registerStringKey, original.synthesizeAsset];
  if (replaced.some((internal) => typeof internal !== "function")) {
    throw new Error("cdktf internals changed (tokens/private/stack-trace captureStackTrace, TerraformStack prepareStack/ensureBackendExists, tokens/private/resolve resolve, util snakeCase/keysToSnakeCase, TokenMap registerStringKey, TerraformAsset _onSynthesize): update src/cdktf-overrides.ts");
  }
  traces.captureStackTrace = noTrace;
  stackPrototype.prepareStack = prepareStack;
  resolver.resolve = resolve;
  snakeCasing.keysToSnakeCase = keysToSnakeCase;
  tokenMapPrototype.registerStringKey = registerStringKey;
  assetPrototype._onSynthesize = synthesizeAsset;
  return () => {
    traces.captureStackTrace = original.captureStackTrace;
    stackPrototype.prepareStack = original.prepareStack;
    resolver.resolve = original.resolve;
    snakeCasing.keysToSnakeCase = original.keysToSnakeCase;
    tokenMapPrototype.registerStringKey = original.registerStringKey;
    assetPrototype._onSynthesize = original.synthesizeAsset;
  };
}
