// Checks across fields that a per-field schema cannot express, each of which AWS would otherwise
// report only at apply time: subnets inside their VPC and apart, two AZs where AWS needs two,
// name limits on the final names, and PrivateLink AZ coverage.
import { Address4 } from "ip-address";
import { hopResourceName, isValidElbName, ELB_NAME_MAX } from "../../modules/core/naming.js";
import { adoptionIssues } from "./checks/adoption.js";
import { databaseIssues } from "./checks/database.js";
import { dmsIssues } from "./checks/dms.js";
import { csvPipelineIssues } from "./checks/csv-pipeline.js";
import { mediaIssues } from "./checks/media.js";
import { policyIssues } from "./checks/policy.js";
import { ConfigIssue, jsonPath, FileOf, issueCollector } from "./errors.js";
import { bucketName, parseCidr } from "./fields.js";
import { existingVpcPrefixes } from "./props/adoption.js";
import { EnvironmentConfig } from "./schema.js";


const VPC_PREFIXES = { three_vpc: ["vpc", "vpc2", "vpc3"], single_vpc: ["vpc"] } as const;
const VPC_FIELDS = ["name", "cidr", "azs", "private_subnets"] as const;

export function semanticIssues(config: EnvironmentConfig, dirName: string, fileOf: FileOf): ConfigIssue[] {
  const { issues, issue } = issueCollector(fileOf);
  const raw = config as unknown as Record<string, unknown>;

  // VPCs named in existing_network are not created, so their keys are neither needed nor checked.
  const used = VPC_PREFIXES[config.topology].filter((prefix) => !existingVpcPrefixes(config).includes(prefix));
  for (const prefix of used) {
    for (const field of VPC_FIELDS) {
      if (raw[`${prefix}_${field}`] === undefined) {
        issue([`${prefix}_${field}`], `required key is missing for topology "${config.topology}"`, "nothing", `the ${prefix} VPC's ${field.replace("_", " ")}`);
      }
    }
  }
  if (config.topology === "single_vpc") {
    for (const key of Object.keys(raw).filter((k) => /^vpc[23]_/.test(k) && raw[k] !== undefined)) {
      issue([key], "this key is used only by topology three_vpc", JSON.stringify(raw[key]), `no ${key} with topology "single_vpc" (or topology "three_vpc")`);
    }
  }

  for (const prefix of used) vpcIssues(raw, prefix, config.region, issue);

  const environment = config.environment ?? dirName;
  if (config.topology === "three_vpc") {
    for (const hop of ["source", "target"]) {
      for (const key of ["nlb_name", "nlb_tg_name"] as const) {
        const name = hopResourceName(environment, config[key], hop);
        if (!isValidElbName(name)) {
          issue([key], `the ${hop} hop's name "${name}" is not a valid load balancer or target group name`, JSON.stringify(config[key]),
            `a base name that keeps "<environment>-<base>-${hop}" within ${ELB_NAME_MAX} letters, digits and hyphens (at most ${ELB_NAME_MAX - environment.length - hop.length - 2} characters here)`);
        }
      }
    }
    // An interface endpoint can only be placed in AZs where the endpoint service's NLB has a
    // subnet; otherwise the endpoint fails at apply time.
    const dmsAzs = (raw.vpc2_azs as string[] | undefined) ?? [];
    for (const [providerPrefix, hop] of [["vpc", "source"], ["vpc3", "target"]] as const) {
      const providerAzs = (raw[`${providerPrefix}_azs`] as string[] | undefined) ?? [];
      const missing = dmsAzs.filter((az) => !providerAzs.includes(az));
      if (providerAzs.length > 0 && missing.length > 0) {
        issue(["vpc2_azs"], `the DMS VPC uses ${missing.join(", ")}, which the ${hop} hop's NLB (in ${providerPrefix}_azs) does not serve`, JSON.stringify(dmsAzs),
          `DMS VPC availability zones that are all in ${providerPrefix}_azs (${providerAzs.join(", ")})`);
      }
    }
    if (config.source.host !== undefined) {
      issue(["source", "host"], "in three_vpc the source is reached through the source hop", JSON.stringify(config.source.host), "source.ip_addresses (the hop's targets) instead of source.host");
    }
  } else if (config.source.ip_addresses.length > 0) {
    issue(["source", "ip_addresses"], "in single_vpc DMS reaches the source by host name", JSON.stringify(config.source.ip_addresses), "source.host instead of source.ip_addresses");
  }

  if (config.network.nat_gateway !== "none" && !used.some((prefix) => ((raw[`${prefix}_public_subnets`] as string[] | undefined) ?? []).length > 0)) {
    issue(["network", "nat_gateway"], "a NAT gateway needs public subnets", JSON.stringify(config.network.nat_gateway), `"none", or public subnets in ${used.map((p) => `${p}_public_subnets`).join(" / ")}`);
  }

  if (config.backend_bucket !== undefined && config.backend?.bucket === undefined) {
    const bucket = config.backend_bucket.endsWith("-") ? `${config.backend_bucket}${environment}` : config.backend_bucket;
    if (!bucketName.safeParse(bucket).success) {
      issue(["backend_bucket"], `"${bucket}" is not a valid S3 bucket name`, JSON.stringify(config.backend_bucket), "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (a value ending in '-' is a prefix for the environment name)");
    }
  }
  issues.push(...mediaIssues(config, dirName, fileOf));
  issues.push(...csvPipelineIssues(config, dirName, fileOf));
  issues.push(...adoptionIssues(config, fileOf));
  issues.push(...policyIssues(config, fileOf));
  issues.push(...databaseIssues(config, dirName, fileOf));
  issues.push(...dmsIssues(config, dirName, fileOf));
  return issues;
}

function vpcIssues(raw: Record<string, unknown>, prefix: string, region: string, issue: (path: PropertyKey[], message: string, found: string | undefined, expected: string) => void): void {
  const cidrText = raw[`${prefix}_cidr`] as string | undefined;
  const azs = (raw[`${prefix}_azs`] as string[] | undefined) ?? [];
  const privateSubnets = (raw[`${prefix}_private_subnets`] as string[] | undefined) ?? [];
  const publicSubnets = (raw[`${prefix}_public_subnets`] as string[] | undefined) ?? [];
  if (raw[`${prefix}_azs`] === undefined) return;

  azs.forEach((az, index) => {
    if (!az.startsWith(region)) issue([`${prefix}_azs`, index], `availability zone is not in region ${region}`, JSON.stringify(az), `a zone of ${region}, such as ${region}a`);
  });
  const distinct = new Set(azs);
  if (distinct.size < 2) {
    issue([`${prefix}_azs`], "fewer than two availability zones", JSON.stringify(azs), "at least two distinct AZs: DB and DMS subnet groups and the NLB need two");
  }
  if (distinct.size !== azs.length) {
    issue([`${prefix}_azs`], "an availability zone is listed twice", JSON.stringify(azs), "each AZ once, one subnet per AZ");
  }
  if (raw[`${prefix}_private_subnets`] !== undefined && privateSubnets.length !== azs.length) {
    issue([`${prefix}_private_subnets`], `${privateSubnets.length} private subnets for ${azs.length} availability zones`, JSON.stringify(privateSubnets), `one private subnet per entry of ${prefix}_azs (${azs.length})`);
  }
  if (publicSubnets.length > 0 && publicSubnets.length !== azs.length) {
    issue([`${prefix}_public_subnets`], `${publicSubnets.length} public subnets for ${azs.length} availability zones`, JSON.stringify(publicSubnets), `none, or one public subnet per entry of ${prefix}_azs (${azs.length})`);
  }

  const vpc = cidrText ? parseCidr(cidrText) : undefined;
  const subnets = [
    ...privateSubnets.map((cidr, index) => ({ cidr, path: [`${prefix}_private_subnets`, index] })),
    ...publicSubnets.map((cidr, index) => ({ cidr, path: [`${prefix}_public_subnets`, index] })),
  ];
  const parsed: { cidr: string; path: PropertyKey[]; range: Address4 }[] = [];
  for (const subnet of subnets) {
    const range = parseCidr(subnet.cidr);
    if (!range) continue;
    if (vpc && !range.isInSubnet(vpc)) {
      issue(subnet.path, `subnet is outside the VPC ${cidrText}`, JSON.stringify(subnet.cidr), `a CIDR inside ${cidrText}`);
    }
    for (const other of parsed) {
      if (range.isInSubnet(other.range) || other.range.isInSubnet(range)) {
        issue(subnet.path, `subnet overlaps ${jsonPath(other.path)} (${other.cidr})`, JSON.stringify(subnet.cidr), "subnets of one VPC that do not overlap each other");
      }
    }
    parsed.push({ ...subnet, range });
  }
}
