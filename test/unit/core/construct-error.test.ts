// Constructs refuse bad props with one error type that names the construct path, and never check
// a token (known only at synth or apply) as if it were text.
import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { ConstructError } from "../../../modules/core/construct-error.js";
import { PrivateBucket } from "../../../modules/core/private-bucket.js";
import { MediaDistribution } from "../../../modules/media/media-distribution.js";
import { ManagedVpc } from "../../../modules/network/network-vpc.js";
import { TaskReloadSchedule } from "../../../modules/dms/task-reload-schedule.js";
import { describeUserError } from "../../../src/cli.js";
import { twoAzVpc } from "../../helpers/network-fixtures.js";
import { synthConstruct } from "../../helpers/synth.js";

const taskArn = "arn:aws:dms:eu-central-1:111122223333:task:ABCDEFGHIJKLMNOP";

function refusal(build: (scope: Construct) => void): ConstructError {
  try {
    synthConstruct(build);
  } catch (error) {
    if (error instanceof ConstructError) return error;
    throw error;
  }
  throw new Error("expected the construct to refuse its props");
}

describe("ConstructError", () => {
  it.each([
    ["a VPC with a subnet count unlike its AZs", (scope: Construct) => new ManagedVpc(scope, "vpc", { ...twoAzVpc, privateSubnetCidrs: ["10.0.1.0/24"] }), "test/vpc", /1 private subnets for 2/],
    ["a bucket with neither name nor prefix", (scope: Construct) => new PrivateBucket(scope, "store", {}), "test/store", /set bucketName or bucketPrefix/],
    ["a schedule that is neither cron nor rate", (scope: Construct) => new TaskReloadSchedule(scope, "reload", { name: "r", taskArn, scheduleExpression: "daily", timezone: "UTC" }), "test/reload", /not cron\(\.\.\.\) or rate/],
    [
      "a distribution with aliases and no certificate",
      (scope: Construct) => new MediaDistribution(scope, "cdn", { bucket: new PrivateBucket(scope, "media", { bucketPrefix: "m-" }), name: "m", aliases: ["media.example.com"] }),
      "test/cdn",
      /aliases need certificateArn/,
    ],
  ])("names the construct path for %s", (_name, build, path, says) => {
    const error = refusal(build);
    expect(error.constructPath).toBe(path);
    expect(error.message).toMatch(says);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it.each([
    ["a schedule name", (scope: Construct) => new TaskReloadSchedule(scope, "reload", { name: Fn.join("-", ["x".repeat(70)]), taskArn, scheduleExpression: Fn.lower("CRON(0 2 * * ? *)"), timezone: "UTC" })],
    ["a bucket prefix", (scope: Construct) => new PrivateBucket(scope, "store", { bucketPrefix: Fn.lower("x".repeat(60)) })],
    [
      "a certificate ARN",
      (scope: Construct) => new MediaDistribution(scope, "cdn", { bucket: new PrivateBucket(scope, "media", { bucketPrefix: "m-" }), name: "m", aliases: ["media.example.com"], certificateArn: Fn.lower("ARN") }),
    ],
  ])("does not check %s that is a token as text", (_name, build) => {
    expect(() => synthConstruct(build)).not.toThrow();
  });

  it("is printed by dms-lz as one line, without a stack trace", () => {
    const line = describeUserError(new ConstructError("dev/network/dms_vpc", ["one problem", "another"]));
    expect(line).toBe("dev/network/dms_vpc: one problem; another");
    expect(describeUserError(new TypeError("a bug"))).toBeUndefined();
  });
});
