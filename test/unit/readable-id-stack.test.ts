import { App } from "cdktf";
import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { describe, expect, it } from "vitest";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { ReadableIdStack, snakeCase } from "../../modules/core/readable-id-stack.js";
import { synthConstruct } from "../helpers/synth.js";

describe("ReadableIdStack", () => {
  it("names resources by their construct path in snake_case, without hash suffixes", () => {
    const json = synthConstruct((scope) => {
      const network = new Construct(scope, "network");
      new Vpc(new Construct(network, "sourceVpc"), "vpc", { cidrBlock: "10.0.0.0/16" });
    });
    expect(Object.keys(json.resource!.aws_vpc)).toEqual(["network_source_vpc_vpc"]);
  });

  it("refuses two paths that fold into one address", () => {
    expect(() =>
      synthConstruct((scope) => {
        new Vpc(new Construct(scope, "a-b"), "c", { cidrBlock: "10.0.0.0/16" });
        new Vpc(new Construct(scope, "a"), "b-c", { cidrBlock: "10.1.0.0/16" });
      }),
    ).toThrow(/address collision: "a_b_c"/);
  });

  it("snake-cases camelCase and punctuation", () => {
    expect(snakeCase("targetHop-NLB.v2")).toBe("target_hop_nlb_v2");
  });

  it("pins hashicorp/aws to the validated range instead of the bindings' exact version", () => {
    const app = new App({ outdir: "/tmp/unused" });
    const stack = new ReadableIdStack(app, "s");
    addAwsProvider(stack, { region: "eu-west-1", defaultTags: { Owner: "x" } });
    const json = JSON.parse(JSON.stringify(stack.toTerraform()));
    expect(json.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" });
    expect(json.provider.aws[0].default_tags).toEqual([{ tags: { Owner: "x" } }]);
  });
});
