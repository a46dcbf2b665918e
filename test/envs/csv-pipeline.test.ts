// The CSV pipeline in every reference environment that enables it, through the offline plan.
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../../src/config/load.js";
import { REFERENCE_VARIABLES, referencePlan } from "../helpers/synth.js";

const withPipeline = loadEnvironments(REFERENCE_VARIABLES).filter((environment) => environment.props.csvPipeline);

describe("CSV pipeline in the reference environments", () => {
  it("is enabled in dev, prod and single-vpc", () => {
    expect(withPipeline.map((environment) => environment.name).sort()).toEqual(["dev", "prod", "single-vpc"]);
  });

  for (const environment of withPipeline) {
    it(`${environment.name}: plans the loader in the target VPC with a failure queue and one notification per load`, () => {
      const { json, plan } = referencePlan(environment.name);
      const after = (address: string) => plan.planJson.resource_changes?.find((change) => change.address === address)?.change.after as Record<string, unknown>;
      const fn = after("aws_lambda_function.csv_pipeline_function");
      expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler" });
      expect((fn.vpc_config as unknown[]).length).toBe(1);
      // The secret's ARN is known only after apply, so the variables are read from the configuration.
      const variables = (json.resource?.aws_lambda_function?.csv_pipeline_function.environment as { variables: Record<string, string> }).variables;
      expect(Object.keys(variables).sort()).toEqual(["CSV_LOADS", "DB_SECRET_ARN", "POST_LOAD_ACTION"]);
      expect(JSON.parse(variables.CSV_LOADS)).toHaveLength(environment.props.csvPipeline!.loads.length);
      const invoke = after("aws_lambda_function_event_invoke_config.csv_pipeline_invoke_config");
      expect(invoke.maximum_retry_attempts).toBe(2);
      expect(after("aws_sqs_queue.csv_pipeline_failure_queue").sqs_managed_sse_enabled).toBe(true);
      const notification = after("aws_s3_bucket_notification.csv_pipeline_notification");
      expect((notification.lambda_function as { filter_suffix: string }[]).map((n) => n.filter_suffix)).toEqual(environment.props.csvPipeline!.loads.flatMap(() => [".csv", ".csv.gz"]));
    });
  }

  it("prod's inbox is protected and dev's may be destroyed", () => {
    expect(referencePlan("prod").json.resource?.aws_s3_bucket?.csv_pipeline_inbox_bucket).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(referencePlan("dev").json.resource?.aws_s3_bucket?.csv_pipeline_inbox_bucket).toMatchObject({ force_destroy: true });
  });
});
