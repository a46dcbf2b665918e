// The cdktf overrides (src/cdktf-overrides.ts): token stack traces are off, the preparing pass is
// skipped only where no other stack exists, FILE assets are left to the caller only where the App
// asks, and the faster resolver (src/cdktf-resolve.ts) gives what cdktf's gives: every reference environment and a stack of every token shape synthesize to the same
// bytes with and without them, and the resolver's errors read the same.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, AssetType, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformAsset, TerraformIterator, TerraformOutput, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { TokenMap } from "cdktf/lib/tokens/private/token-map.js";
import util from "cdktf/lib/util.js";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { EnvironmentStack } from "../../stacks/environment-stack.js";
import { applyCdktfOverrides, assetsLeftToCaller, CALLER_PLACES_FILE_ASSETS } from "../../src/cdktf-overrides.js";
import { loadEnvironments } from "../../src/config/load.js";
import { REFERENCE_VARIABLES } from "../helpers/synth.js";

const scratch: string[] = [];
let restore: (() => void) | undefined;
// Each test starts from cdktf's own behaviour, whatever a file before it in this worker synthesized
// (src/synth.ts applies the overrides for the life of the process).
beforeEach(() => applyCdktfOverrides()());
afterEach(() => {
  restore?.();
  restore = undefined;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function outdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-overrides-"));
  scratch.push(dir);
  return dir;
}

function synthReference(name: string): string {
  const [environment] = loadEnvironments(REFERENCE_VARIABLES, [name]);
  const dir = outdir();
  const app = new App({ outdir: dir, stackTraces: false });
  new EnvironmentStack(app, environment.props);
  app.synth();
  return readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8");
}

describe("cdktf overrides", () => {
  it("stop the stack trace cdktf captures for every token", () => {
    const creationStack = () => (TokenMap.instance().lookupString(Lazy.stringValue({ produce: () => "x" })) as unknown as { creationStack: string[] }).creationStack;
    expect(creationStack().length).toBeGreaterThan(0);
    restore = applyCdktfOverrides();
    expect(creationStack()).toEqual([]);
  });

  it("leave the output of every reference environment byte for byte the same", () => {
    for (const name of ["dev", "prod", "single-vpc"]) {
      const before = synthReference(name);
      restore = applyCdktfOverrides();
      const after = synthReference(name);
      restore();
      restore = undefined;
      expect(after).toBe(before);
    }
  });

  it("keep cross-stack references working where an App holds more than one stack", () => {
    restore = applyCdktfOverrides();
    const dir = outdir();
    const app = new App({ outdir: dir, stackTraces: false });
    const producer = new TerraformStack(app, "producer");
    addAwsProvider(producer, { region: "eu-west-1", defaultTags: {} });
    const parameter = new SsmParameter(producer, "shared", { name: "/shared", type: "String", value: "v" });
    const consumer = new TerraformStack(app, "consumer");
    addAwsProvider(consumer, { region: "eu-west-1", defaultTags: {} });
    new TerraformOutput(consumer, "arn", { value: parameter.arn });
    app.synth();
    const consumerJson = JSON.parse(readFileSync(join(dir, "stacks", "consumer", "cdk.tf.json"), "utf8"));
    expect(consumerJson.data?.terraform_remote_state).toBeDefined();
    expect(JSON.stringify(consumerJson.output)).toContain("data.terraform_remote_state");
  });

  it("resolve every token shape as cdktf does", () => {
    const before = synthTokenShapes();
    restore = applyCdktfOverrides();
    expect(synthTokenShapes()).toBe(before);
  });

  it("snake-case meta-argument names as cdktf does", () => {
    const token = Lazy.anyValue({ produce: () => 1 });
    const inputs = [
      { dependsOn: ["aws_s3_bucket.a"], lifecycle: { createBeforeDestroy: true, ignoreChanges: ["tags"], replaceTriggeredBy: [{ someRef: "x" }] }, provider: "aws.west", forEach: token, count: undefined },
      { tags: { KeepCase: "v" }, environment: { SOME_VAR: "v" }, "Weird--Name_": [[{ innerKey: 1 }], "s", 2], HTTPServer: "x", "": "blank", already_snake: true },
      [{ camelCase: { deeperCamel: [1, { evenDeeper: token }] } }, "plain", 3],
    ];
    const convert = () => inputs.map((input) => JSON.stringify(util.keysToSnakeCase(input)));
    const original = util.keysToSnakeCase;
    const before = convert();
    restore = applyCdktfOverrides();
    expect(util.keysToSnakeCase).not.toBe(original);
    expect(convert()).toEqual(before);
    expect(convert()).toEqual(before);
  });

  it("register token keys as cdktf does", () => {
    const hints = [undefined, "", "aws_s3_bucket.logs.arn", "weird hint/with spaces:and-ok_chars.9", "ünïcode→"];
    const keys = () => {
      const map = new TokenMap() as unknown as { registerStringKey(token: unknown, hint?: string): string; lookupToken(key: string): unknown };
      return hints.map((hint, index) => {
        const key = map.registerStringKey({ index }, hint);
        return `${key} -> ${JSON.stringify(map.lookupToken(key))}`;
      });
    };
    const before = keys();
    restore = applyCdktfOverrides();
    expect(keys()).toEqual(before);
    expect(before[3]).toBe('weird.hint.with.spaces:and-ok_chars.9.3 -> {"index":3}');
  });

  it("leave FILE assets to an App's caller only where the App's context asks for it", () => {
    const zip = join(outdir(), "function.zip");
    writeFileSync(zip, "zip");
    const folder = outdir();
    writeFileSync(join(folder, "data.txt"), "data");
    const synthWithAssets = (context: Record<string, unknown>) => {
      const dir = outdir();
      const app = new App({ outdir: dir, stackTraces: false, context });
      const stack = new TerraformStack(app, "assets");
      const file = new TerraformAsset(stack, "bundle", { path: zip, type: AssetType.FILE });
      const directory = new TerraformAsset(stack, "folder", { path: folder, type: AssetType.DIRECTORY });
      app.synth();
      const copied = (asset: TerraformAsset) => existsSync(join(dir, "stacks", "assets", asset.path));
      return { fileCopied: copied(file), folderCopied: copied(directory), left: assetsLeftToCaller(stack), path: file.path };
    };
    restore = applyCdktfOverrides();
    const placedByCaller = synthWithAssets({ [CALLER_PLACES_FILE_ASSETS]: true });
    expect(placedByCaller).toMatchObject({ fileCopied: false, folderCopied: true, left: [{ path: placedByCaller.path, sourcePath: zip }] });
    expect(placedByCaller.path).toMatch(/^assets\/bundle\/[0-9A-F]{32}\/function\.zip$/);
    expect(synthWithAssets({})).toMatchObject({ fileCopied: true, folderCopied: true, left: [] });
  });

  it("fail on what cannot be resolved with cdktf's errors", () => {
    const app = new App({ outdir: outdir(), stackTraces: false });
    const stack = new TerraformStack(app, "errors");
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let depth = 0; depth < 210; depth++) cursor = (cursor.next = {}) as Record<string, unknown>;
    const bad: unknown[] = [{ at: { fn: () => 1 } }, { at: [stack] }, deep, { list: [...Token.asList(Lazy.anyValue({ produce: () => ["a"] })), "b"] }, { text: `x${Token.asList(Lazy.anyValue({ produce: () => ["a"] }))}` }];
    const messages = () =>
      bad.map((value) => {
        try {
          Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
          return "resolved";
        } catch (error) {
          return (error as Error).message;
        }
      });
    const before = messages();
    restore = applyCdktfOverrides();
    expect(messages()).toEqual(before);
    expect(before.filter((message) => message === "resolved")).toEqual([]);
  });
});

/** A stack using each kind of token cdktf resolves: references, functions over nested data, lists,
 *  numbers, maps, lazies, iterators, conditionals, escapes, token keys, and numbers inside strings. */
function synthTokenShapes(): string {
  const dir = outdir();
  const app = new App({ outdir: dir, stackTraces: false });
  const stack = new TerraformStack(app, "shapes");
  addAwsProvider(stack, { region: "eu-west-1", defaultTags: { project: "p" } });
  const names = new TerraformVariable(stack, "names", { type: "list(string)", default: ["a", "b"] });
  const port = new TerraformVariable(stack, "port", { type: "number", default: 5432 });
  const labels = new TerraformVariable(stack, "labels", { type: "map(string)", default: { k: "v" } });
  const parameter = new SsmParameter(stack, "parameter", { name: "/p/$${literal}", type: "String", value: `port ${Token.asNumber(port.value)} ${Fn.upper("x")}` });
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [parameter.arn, `${parameter.arn}/*`], Condition: { StringEquals: { "aws:ResourceTag/name": "${aws:username}" } } }],
    Sid: Fn.element(Fn.split(":", parameter.arn), 4),
    Ports: [port.numberValue, 1e21, -0.5],
    When: new Date(0),
    Holes: [1, undefined, 3],
  };
  new IamPolicy(stack, "policy", { name: Fn.join("-", names.listValue), policy: Fn.jsonencode(policy), tags: { [parameter.name]: "token key", plain: "v" } });
  const iterator = TerraformIterator.fromList(names.listValue);
  new SecurityGroup(stack, "group", {
    name: Fn.conditional(Fn.lengthOf(names.listValue), "many", "none"),
    ingress: iterator.dynamic({ fromPort: port.numberValue, toPort: port.numberValue, protocol: "tcp", description: iterator.value, cidrBlocks: ["10.0.0.0/8"] }) as never,
    tags: Token.asStringMap(labels.value),
  });
  new TerraformOutput(stack, "lazy", { value: Lazy.anyValue({ produce: () => ({ nested: [parameter.id, { deeper: Token.asAny(port.value) }], count: Lazy.numberValue({ produce: () => 3 }) }) }) });
  // Plain objects are resolved without looking for class-only names: an own `resolve` still
  // makes one a token, and text that looks like a number token but is none stays as written.
  new TerraformOutput(stack, "plain_objects", {
    value: { ownResolve: { resolve: () => ({ resolvedBy: "its own resolve" }) }, noPrototype: Object.assign(Object.create(null), { key: "v" }), numberLike: ["1e5", "2e+5", "v1.e+x", "-1.8e+289"] },
  });
  new TerraformOutput(stack, "list", { value: Token.asList(names.value) });
  new TerraformOutput(stack, "number_list", { value: Token.asNumberList(names.value) });
  new TerraformOutput(stack, "map", { value: Token.asAnyMap(labels.value) });
  new TerraformOutput(stack, "text", { value: `literal $\{not} "quoted" ${parameter.arn} and ${Token.asString(Token.asNumber(port.value))}` });
  app.synth();
  return readFileSync(join(dir, "stacks", "shapes", "cdk.tf.json"), "utf8");
}
