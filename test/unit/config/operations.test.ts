import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

const dms = (emails: string[]) => ({
  enabled: true,
  notifications: { emails },
  endpoints: { source: { endpoint_type: "source", engine_name: "postgres", ssl_mode: "require" }, target: { endpoint_type: "target", engine_name: "aurora-postgresql" } },
  tasks: { replication: { source_endpoint_key: "source", target_endpoint_key: "target", migration_type: "full-load-and-cdc", include: [{ schema: "s", table: "%" }] } },
});

function load(files: Record<string, unknown>) {
  tree = variablesTree({ dev: { "common.tfvars.json": validThreeVpc(), ...files } });
  return loadEnvironments(tree.dir)[0].props;
}

describe("operations config", () => {
  it("has a dashboard and sane thresholds by default, and no alarms where nobody is subscribed", () => {
    expect(load({ "dms.tfvars.json": { dms: dms([]) } }).operations).toEqual({
      dashboard: true,
      alarms: false,
      thresholds: { validationFailures: 0, targetFreeStorageGib: 5, replicationSlotLagMb: 10240, failureQueueMessages: 0, lambdaErrors: 0 },
    });
  });

  it("creates the alarms when the events topic has a subscriber, with the configured thresholds", () => {
    const props = load({ "dms.tfvars.json": { dms: dms(["dba@example.com"]) }, "operations.tfvars.json": { operations: { target_free_storage_gb: 20, lambda_errors: 2 } } });
    expect(props.operations).toMatchObject({ alarms: true, thresholds: { targetFreeStorageGib: 20, lambdaErrors: 2 } });
  });

  it("refuses a threshold out of range with its path", () => {
    try {
      load({ "operations.tfvars.json": { operations: { target_free_storage_gb: 0 } } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((issue) => issue.path)).toContain("$.operations.target_free_storage_gb");
    }
  });
});
