// Temporary variables directories for config tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigIssue } from "../../src/config/errors.js";
import { loadEnvironments } from "../../src/config/load.js";

/** A valid three_vpc environment with the aws-samples key set. */
export function validThreeVpc(): Record<string, unknown> {
  return {
    region: "us-east-1",
    environment: "dev",
    backend_bucket: "dms-tfstate-",
    common_tags: { environment: "dev", terraform: "true" },
    vpc_name: "source-db-vpc",
    vpc_cidr: "192.168.0.0/16",
    vpc_azs: ["us-east-1a", "us-east-1b"],
    vpc_private_subnets: ["192.168.1.0/24", "192.168.2.0/24"],
    vpc_public_subnets: ["192.168.3.0/24", "192.168.4.0/24"],
    vpc2_name: "dms-vpc",
    vpc2_cidr: "10.0.0.0/16",
    vpc2_azs: ["us-east-1a", "us-east-1b"],
    vpc2_private_subnets: ["10.0.1.0/24", "10.0.2.0/24"],
    vpc2_public_subnets: ["10.0.3.0/24", "10.0.4.0/24"],
    vpc3_name: "target-db-vpc",
    vpc3_cidr: "10.0.0.0/16",
    vpc3_azs: ["us-east-1a", "us-east-1b"],
    vpc3_private_subnets: ["10.0.1.0/24", "10.0.2.0/24"],
    vpc3_public_subnets: ["10.0.3.0/24", "10.0.4.0/24"],
    nlb_name: "nlb",
    nlb_tg_name: "nlb-tg-db",
    instance_size: "t2.micro",
    vpc_endpoint_name: "vpc-endpoint",
    endpoint_sg_name: "endpoint-SG",
    vpc_endpoint_service_name: "vpc-endpoint-service",
    ssm_sg_name: "SSM-SG",
    s3_sg_name: "S3-SG",
  };
}

export function validSingleVpc(): Record<string, unknown> {
  return {
    region: "eu-central-1",
    topology: "single_vpc",
    vpc_name: "blog-vpc",
    vpc_cidr: "10.30.0.0/16",
    vpc_azs: ["eu-central-1a", "eu-central-1b"],
    vpc_private_subnets: ["10.30.1.0/24", "10.30.2.0/24"],
    source: { host: "db.example.com" },
  };
}

export interface VariablesTree {
  readonly dir: string;
  cleanup(): void;
}

/** Writes `{ env: { "file.tfvars.json": object | raw string } }` into a temp variables dir. */
export function variablesTree(environments: Record<string, Record<string, unknown>>): VariablesTree {
  const dir = mkdtempSync(join(tmpdir(), "lz-vars-"));
  for (const [environment, files] of Object.entries(environments)) {
    mkdirSync(join(dir, environment));
    for (const [file, content] of Object.entries(files)) {
      writeFileSync(join(dir, environment, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
    }
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every problem loading the variables directory reports; empty when it loads. */
export function loadIssues(dir: string): ConfigIssue[] {
  try {
    loadEnvironments(dir);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}
