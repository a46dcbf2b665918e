// What the rest of the landing zone needs from a network, whichever topology built it.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { MigrationWorkstation } from "./migration-workstation.js";
import { NetworkVpc } from "./network-vpc.js";
import { PrivateLinkHop } from "./privatelink-hop.js";
import { ServiceEndpoints } from "./service-endpoints.js";

export type Topology = "three_vpc" | "single_vpc";

export interface MigrationNetwork {
  readonly topology: Topology;
  /** The VPC of the DMS replication instance. */
  readonly dmsVpc: NetworkVpc;
  /** The VPC of the target database (the same VPC in single_vpc). */
  readonly targetVpc: NetworkVpc;
  /** The source VPC (three_vpc only). */
  readonly sourceVpc?: NetworkVpc;
  /** The replication instance's group; its egress is granted path by path. */
  readonly dmsSecurityGroup: SecurityGroup;
  /** AWS service endpoints in the DMS VPC. */
  readonly dmsServiceEndpoints: ServiceEndpoints;
  /** Source VPC to DMS VPC (three_vpc only). */
  readonly sourceHop?: PrivateLinkHop;
  /** Target VPC to DMS VPC (three_vpc only). */
  readonly targetHop?: PrivateLinkHop;
  readonly workstation?: MigrationWorkstation;
  /** AWS service endpoints in the target VPC, created the first time something there needs them. */
  targetServiceEndpoints(): ServiceEndpoints;
  /** AWS service endpoints in the source VPC (three_vpc only; for a simulated source's logins function). */
  sourceServiceEndpoints?(): ServiceEndpoints;
}

export interface WorkstationSettings {
  /** Which VPC the workstation sits in (ignored in single_vpc). */
  readonly vpc: "source" | "dms" | "target";
  readonly instanceType: string;
  readonly amiSsmParameter: string;
  readonly sessionManagerSecurityGroupName: string;
}
