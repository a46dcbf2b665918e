// The environment name is validated as what it becomes: part of hop NLB / target group names
// (32), DMS identifiers, bucket names and IAM names. The error names the directory (or the
// `environment` key), never a key built from it such as nlb_name.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ENVIRONMENT_NAME_MAX, isValidElbName } from "../../../modules/core/naming.js";
import { dmsIdentifierProblem, DMS_INSTANCE_ID_MAX } from "../../../modules/dms/dms-identifiers.js";
import { ConfigIssue, formatIssue } from "../../../src/config/errors.js";
import { bucketName } from "../../../src/config/fields.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { loadIssues, validThreeVpc } from "../../helpers/config-fixtures.js";

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Loads one environment directory `name` holding `config`; the problems reported. */
function issuesOf(name: string, config: Record<string, unknown>): ConfigIssue[] {
  dir = mkdtempSync(join(tmpdir(), "lz-envname-"));
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, "common.tfvars.json"), JSON.stringify(config));
  return loadIssues(dir);
}

function load(name: string, config: Record<string, unknown>) {
  expect(issuesOf(name, config)).toEqual([]);
  return loadEnvironments(dir!);
}

/** The sample environment without its `environment` key: the directory name is the name. */
function unnamed(): Record<string, unknown> {
  const config = validThreeVpc();
  delete config.environment;
  return config;
}

describe("the environment directory name", () => {
  it.each(["PROD", "-dash", "ünï", "a".repeat(40), "a".repeat(ENVIRONMENT_NAME_MAX + 1), "dev_1", "x--y", "trailing-", "1abc", "dev.1", "a b", "internal", "qa-s3alias"])(
    "refuses %j, naming the directory and not a key built from it",
    (name) => {
      const issues = issuesOf(name, unnamed());
      expect(issues).toHaveLength(1);
      expect(issues[0].file.endsWith(name)).toBe(true);
      const line = formatIssue(issues[0]);
      expect(line).toContain(`${name}: $: the environment directory name is not a valid environment name`);
      expect(line).toContain(`found ${JSON.stringify(name)}; expected 1-15 lowercase letters`);
      expect(issues.map((issue) => issue.path)).not.toContain("$.nlb_name");
    },
  );

  it("still reports the environment's other problems alongside it", () => {
    const config = unnamed();
    config.vpc_cidr = "10.0.0.0/33";
    expect(issuesOf("PROD", config).map((issue) => issue.path)).toEqual(["$", "$.vpc_cidr"]);
  });

  it("is reported even when a file of the environment cannot be read", () => {
    expect(issuesOf("1abc", unnamed())).toHaveLength(1);
    mkdirSync(join(dir!, "1abc", "broken.tfvars.json"));
    expect(loadIssues(dir!).map((issue) => `${issue.file.split(/[\\/]/).pop()} ${issue.message}`)).toEqual([
      "broken.tfvars.json is a directory, not a file",
      expect.stringMatching(/^1abc the environment directory name is not a valid environment name/),
    ]);
  });

  it("accepts any directory name when the environment key names the environment", () => {
    const [environment] = load("PROD", { ...validThreeVpc(), environment: "prod" });
    expect(environment.props.environment).toBe("prod");
    expect(environment.props.protected).toBe(true);
  });

  it("holds the environment key to the same rule, at its own path", () => {
    const issues = issuesOf("dev", { ...validThreeVpc(), environment: "Prod-" });
    expect(issues.map((issue) => [issue.path, issue.found, issue.expected])).toEqual([["$.environment", '"Prod-"', expect.stringMatching(/^1-15 lowercase letters/)]]);
  });

  it(`keeps every derived AWS name valid at the longest name (${ENVIRONMENT_NAME_MAX}), the hop target group being the binding limit`, () => {
    const name = `q${"a1-b".repeat(4)}`.slice(0, ENVIRONMENT_NAME_MAX);
    expect(name).toHaveLength(ENVIRONMENT_NAME_MAX);
    const [environment] = load(name, { ...unnamed(), dms: { enabled: true } });
    const network = environment.props.network;
    if (network.topology !== "three_vpc") throw new Error("expected three_vpc");
    const elbNames = [network.sourceHop, network.targetHop].flatMap((hop) => [hop.loadBalancerName, hop.targetGroupName]);
    for (const elbName of elbNames) expect(isValidElbName(elbName), elbName).toBe(true);
    expect(Math.max(...elbNames.map((elbName) => elbName.length))).toBe(32);
    expect(dmsIdentifierProblem(`${environment.config.project}-${name}`, DMS_INSTANCE_ID_MAX)).toBeUndefined();
    expect(bucketName.safeParse(environment.props.backend?.bucket).success).toBe(true);
    // IAM role and Lambda names of 64 at most: the longest is `<project>-<environment>-hop-target-sync`.
    expect(`${environment.config.project}-${name}-hop-target-sync`.length).toBeLessThanOrEqual(64);
  });
});
