// One environment: the provider, the state backend and the modules wired together. It declares
// the typed props it needs and nothing reads raw config here.
import { S3Backend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { addAwsProvider } from "../modules/core/aws-provider.js";
import { ReadableIdStack } from "../modules/core/readable-id-stack.js";
import { MigrationNetwork } from "../modules/network/migration-network.js";
import { SingleVpcNetwork, SingleVpcNetworkProps } from "../modules/network/single-vpc-network.js";
import { ThreeVpcNetwork, ThreeVpcNetworkProps } from "../modules/network/three-vpc-network.js";

export interface StateBackendProps {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** @default the bucket's default encryption */
  readonly kmsKeyId?: string;
}

export type NetworkProps =
  | ({ readonly topology: "three_vpc" } & Omit<ThreeVpcNetworkProps, "region" | "namePrefix">)
  | ({ readonly topology: "single_vpc" } & Omit<SingleVpcNetworkProps, "region" | "namePrefix">);

export interface EnvironmentStackProps {
  /** The stack's name: the `variables/<env>` directory, as `cdktf deploy <env>` uses it. */
  readonly stackName: string;
  /** Environment name: the stack's name, resource names and the Environment tag. */
  readonly environment: string;
  readonly project: string;
  readonly region: string;
  /** Deletion protection, final snapshots, prevent_destroy and Multi-AZ. */
  readonly protected: boolean;
  /** Tags on every resource, through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** @default local state */
  readonly backend?: StateBackendProps;
  readonly network: NetworkProps;
  /** Parameter Store path of the application's configuration, `/<project>/<env>` by default. */
  readonly parameterPath: string;
  /** @default no application policies */
  readonly application?: ApplicationProps;
}

export interface ApplicationProps {
  /** Existing IAM role the application runs as; policies are attached to it. */
  readonly roleName: string;
  /** Existing security group of the application's instances. */
  readonly securityGroupId?: string;
}

export class EnvironmentStack extends ReadableIdStack {
  readonly network: MigrationNetwork;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, props.stackName);
    const namePrefix = `${props.project}-${props.environment}`;
    addAwsProvider(this, { region: props.region, defaultTags: props.tags });
    if (props.backend) {
      new S3Backend(this, {
        bucket: props.backend.bucket,
        key: props.backend.key,
        region: props.backend.region,
        encrypt: true,
        kmsKeyId: props.backend.kmsKeyId,
      });
      // S3-native locking (Terraform 1.10+) instead of a DynamoDB table; the cdktf bindings
      // predate the argument.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }

    this.network =
      props.network.topology === "three_vpc"
        ? new ThreeVpcNetwork(this, "network", { ...props.network, region: props.region, namePrefix })
        : new SingleVpcNetwork(this, "network", { ...props.network, region: props.region, namePrefix });
    this.networkOutputs();
  }

  private networkOutputs(): void {
    const network = this.network;
    new TerraformOutput(this, "dms_vpc_id", { value: network.dmsVpc.vpcId, description: "VPC of the DMS replication instance" });
    new TerraformOutput(this, "target_vpc_id", { value: network.targetVpc.vpcId, description: "VPC of the target database" });
    if (network.sourceHop) {
      new TerraformOutput(this, "source_hop_endpoint_dns_name", { value: network.sourceHop.serverName, description: "Host name DMS uses for the source database" });
      new TerraformOutput(this, "source_hop_endpoint_service_name", { value: network.sourceHop.endpointService.serviceName, description: "Source hop's endpoint service" });
    }
    if (network.targetHop) {
      new TerraformOutput(this, "target_hop_endpoint_dns_name", { value: network.targetHop.serverName, description: "Host name DMS uses for the target database" });
      new TerraformOutput(this, "target_hop_endpoint_service_name", { value: network.targetHop.endpointService.serviceName, description: "Target hop's endpoint service" });
    }
    if (network.workstation) {
      new TerraformOutput(this, "workstation_instance_id", { value: network.workstation.instance.id, description: "aws ssm start-session --target <this>" });
    }
  }
}
