// The small-migration topology: the application, DMS and the database side by side in one VPC.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { MigrationNetwork, WorkstationSettings } from "./migration-network.js";
import { MigrationWorkstation } from "./migration-workstation.js";
import { networkVpc, VpcSpec } from "./existing-vpc.js";
import { NetworkVpc } from "./network-vpc.js";
import { emptySecurityGroup } from "./security-group-rules.js";
import { ServiceEndpoints } from "./service-endpoints.js";
import { VpcFlowLogs } from "./vpc-flow-logs.js";

export interface SingleVpcNetworkProps {
  readonly region: string;
  /** `<project>-<environment>`: prefix of the groups and roles this construct names. */
  readonly namePrefix: string;
  /** The VPC to create, or an existing one. */
  readonly vpc: VpcSpec;
  readonly serviceEndpoints: readonly string[];
  readonly serviceEndpointsSecurityGroupName: string;
  /**
   * Days the VPC flow log groups keep their logs.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /** @default no workstation */
  readonly workstation?: WorkstationSettings;
}

export class SingleVpcNetwork extends Construct implements MigrationNetwork {
  readonly topology = "single_vpc" as const;
  readonly vpc: NetworkVpc;
  readonly dmsSecurityGroup: SecurityGroup;
  readonly dmsServiceEndpoints: ServiceEndpoints;
  readonly workstation?: MigrationWorkstation;
  readonly flowLogs: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: SingleVpcNetworkProps) {
    super(scope, id);
    this.vpc = networkVpc(this, "vpc", props.vpc);
    this.dmsSecurityGroup = emptySecurityGroup(this, "dms_security_group", {
      name: `${props.namePrefix}-dms`,
      description: "DMS replication instance: egress to the databases and AWS service endpoints only",
      vpcId: this.vpc.vpcId,
    });
    this.dmsServiceEndpoints = new ServiceEndpoints(this, "service_endpoints", {
      vpc: this.vpc,
      region: props.region,
      services: props.serviceEndpoints,
      securityGroupName: props.serviceEndpointsSecurityGroupName,
    });
    this.dmsServiceEndpoints.allowClient("dms", this.dmsSecurityGroup);
    this.flowLogs = new VpcFlowLogs(this, "flow_logs", { namePrefix: props.namePrefix, region: props.region, vpcs: [this.vpc], retentionDays: props.flowLogRetentionDays });
    if (props.workstation) {
      this.workstation = new MigrationWorkstation(this, "workstation", { ...props.workstation, vpc: this.vpc, region: props.region, name: props.namePrefix });
      // Secrets Manager, KMS and S3 (the package repositories) through the VPC's endpoints.
      this.dmsServiceEndpoints.allowClient("workstation", this.workstation.securityGroup);
    }
  }

  get dmsVpc(): NetworkVpc {
    return this.vpc;
  }

  get targetVpc(): NetworkVpc {
    return this.vpc;
  }

  targetServiceEndpoints(): ServiceEndpoints {
    return this.dmsServiceEndpoints;
  }
}
