// Validated snake_case config → the stack's typed camelCase props. Defaults that depend on other
// settings (protection, names) are resolved here, once.
import { hopResourceName } from "../../modules/core/naming.js";
import type { NetworkVpcProps } from "../../modules/network/network-vpc.js";
import type { HopSettings } from "../../modules/network/three-vpc-network.js";
import type { EnvironmentStackProps, NetworkProps } from "../../stacks/environment-stack.js";
import { importProps, vpcSpec } from "./props/adoption.js";
import { databaseProps } from "./props/database.js";
import { csvPipelineProps } from "./props/csv-pipeline.js";
import { dmsProps } from "./props/dms.js";
import { mediaProps } from "./props/media.js";
import { EnvironmentConfig } from "./schema.js";

export const PROTECTED_BY_DEFAULT = ["prod", "production"];

/** `envDir`: the environment's directory, against which files named in config are resolved. */
export function toStackProps(config: EnvironmentConfig, dirName: string, envDir = dirName): EnvironmentStackProps {
  const environment = config.environment ?? dirName;
  const isProtected = config.protected ?? PROTECTED_BY_DEFAULT.includes(environment);
  return {
    stackName: dirName,
    environment,
    project: config.project,
    region: config.region,
    protected: isProtected,
    tags: { ...config.common_tags, Environment: environment, ManagedBy: "dms-landing-zone" },
    backend: stateBackend(config, environment),
    network: networkProps(config, environment, isProtected),
    parameterPath: config.parameters.path ?? `/${config.project}/${environment}`,
    application: config.application.role_name ? { roleName: config.application.role_name, securityGroupId: config.application.security_group_id } : undefined,
    database: databaseProps(config, environment, isProtected),
    media: mediaProps(config, isProtected),
    csvPipeline: csvPipelineProps(config, isProtected),
    imports: importProps(config),
    dms: dmsProps(config, isProtected, envDir),
  };
}

function stateBackend(config: EnvironmentConfig, environment: string): EnvironmentStackProps["backend"] {
  const bucket = config.backend?.bucket ?? (config.backend_bucket?.endsWith("-") ? `${config.backend_bucket}${environment}` : config.backend_bucket);
  if (!bucket) return undefined;
  return {
    bucket,
    key: config.backend?.key ?? `${environment}/terraform.tfstate`,
    region: config.backend?.region ?? config.region,
    kmsKeyId: config.backend?.kms_key_id,
  };
}

function vpcProps(config: EnvironmentConfig, prefix: "vpc" | "vpc2" | "vpc3"): NetworkVpcProps {
  const raw = config as unknown as Record<string, unknown>;
  return {
    name: raw[`${prefix}_name`] as string,
    cidr: raw[`${prefix}_cidr`] as string,
    availabilityZones: raw[`${prefix}_azs`] as string[],
    privateSubnetCidrs: raw[`${prefix}_private_subnets`] as string[],
    publicSubnetCidrs: (raw[`${prefix}_public_subnets`] as string[] | undefined) ?? [],
    // NAT goes only where public subnets exist to hold it.
    natGateway: ((raw[`${prefix}_public_subnets`] as string[] | undefined) ?? []).length > 0 ? config.network.nat_gateway : "none",
  };
}

function networkProps(config: EnvironmentConfig, environment: string, isProtected: boolean): NetworkProps {
  const network = config.network;
  const workstation = network.workstation.enabled
    ? {
        vpc: network.workstation.vpc,
        instanceType: config.instance_size,
        amiSsmParameter: network.workstation.ami_ssm_parameter,
        sessionManagerSecurityGroupName: `${environment}-${config.ssm_sg_name}`,
      }
    : undefined;
  const common = {
    serviceEndpoints: network.service_endpoints,
    serviceEndpointsSecurityGroupName: `${environment}-${config.s3_sg_name}`,
    workstation,
  };
  if (config.topology === "single_vpc") {
    return { topology: "single_vpc", vpc: vpcSpec(config, "dms", () => vpcProps(config, "vpc")), ...common };
  }
  const hop = (name: "source" | "target", settings: typeof network.source_hop, ipTargets: readonly string[]): HopSettings => ({
    port: settings.port,
    loadBalancerName: hopResourceName(environment, config.nlb_name, name),
    targetGroupName: hopResourceName(environment, config.nlb_tg_name, name),
    endpointServiceName: `${environment}-${config.vpc_endpoint_service_name}-${name}`,
    endpointName: `${environment}-${config.vpc_endpoint_name}-${name}`,
    endpointSecurityGroupName: `${environment}-${config.endpoint_sg_name}-${name}`,
    acceptanceRequired: settings.acceptance_required,
    allowedPrincipals: settings.allowed_principals,
    ipTargets,
    deletionProtection: isProtected,
  });
  return {
    topology: "three_vpc",
    sourceVpc: vpcSpec(config, "source", () => vpcProps(config, "vpc")),
    dmsVpc: vpcSpec(config, "dms", () => vpcProps(config, "vpc2")),
    targetVpc: vpcSpec(config, "target", () => vpcProps(config, "vpc3")),
    sourceHop: hop("source", network.source_hop, config.source.ip_addresses),
    targetHop: hop("target", network.target_hop, []),
    ...common,
  };
}
