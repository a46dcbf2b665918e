// DMS wired into an environment: which host and port each endpoint's secret must name (the hop's
// endpoint in three_vpc, the database or the external host in single_vpc), which secrets and
// access role the endpoints use (the database wiring's, unless config names others), the DMS
// group's egress to an external single_vpc source, and the outputs. The environment stack calls
// `wireDms` once, after the database.
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { PostgresDatabase } from "../modules/database/postgres-database.js";
import { DmsEndpointSpec, DmsMigration, DmsMigrationProps } from "../modules/dms/dms-migration.js";
import { DMS_CLOUDWATCH_LOGS_ROLE_NAME, DMS_VPC_ROLE_NAME } from "../modules/dms/dms-service-roles.js";
import type { ReplicationInstanceProps } from "../modules/dms/replication-instance.js";
import type { MigrationNetwork } from "../modules/network/migration-network.js";
import type { DmsCredentials } from "../modules/secrets/dms-secrets-access-role.js";
import { ConstructError } from "../modules/core/construct-error.js";

export interface DmsEndpointStackProps extends Omit<DmsEndpointSpec, "serverName" | "port" | "secretArn" | "accessRoleArn"> {
  /** @default the database wiring's DMS secret for this endpoint type */
  readonly secretArn?: string;
  /** @default the database wiring's DMS secrets access role */
  readonly accessRoleArn?: string;
}

export interface DmsStackProps extends Omit<DmsMigrationProps, "name" | "instance" | "endpoints"> {
  readonly instance: Omit<ReplicationInstanceProps, "instanceId" | "dependsOn" | "subnets" | "securityGroupIds">;
  readonly endpoints: Readonly<Record<string, DmsEndpointStackProps>>;
  /** single_vpc, external source: networks the DMS group may reach on the source port. */
  readonly sourceEgressCidrs: readonly string[];
  /** The source's host (single_vpc) and port. */
  readonly source: { readonly host?: string; readonly port: number };
}

export interface DmsWiringContext {
  readonly props: DmsStackProps;
  readonly network: MigrationNetwork;
  /** `<project>-<environment>`. */
  readonly namePrefix: string;
  readonly database?: PostgresDatabase;
  /** The simulated source (three_vpc), whose engine the source endpoints must name. */
  readonly simulatedSource?: PostgresDatabase;
  readonly dmsCredentials?: DmsCredentials;
}

export function wireDms(scope: Construct, context: DmsWiringContext): DmsMigration {
  const { props, network } = context;
  const endpoints: Record<string, DmsEndpointSpec> = {};
  for (const [key, endpoint] of Object.entries(props.endpoints)) {
    const { secretArn, accessRoleArn, ...rest } = endpoint;
    const credentials = context.dmsCredentials;
    const secret = secretArn ?? (endpoint.endpointType === "source" ? credentials?.source.secretArn : credentials?.target.secretArn);
    const role = accessRoleArn ?? credentials?.accessRoleArn;
    if (secret === undefined || role === undefined) {
      throw new ConstructError(`${scope.node.path}/dms/endpoints/${key}`, `no Secrets Manager credentials; enable the target database (its wiring creates the DMS secrets) or set secrets_manager_arn and secrets_manager_access_role_arn`);
    }
    endpoints[key] = { ...rest, engine: engineOf(`${scope.node.path}/dms/endpoints/${key}`, endpoint, context), ...location(`${scope.node.path}/dms/endpoints/${key}`, endpoint.endpointType, context), secretArn: secret, accessRoleArn: role };
  }

  const migration = new DmsMigration(scope, "dms", {
    ...props,
    name: context.namePrefix,
    instance: { ...props.instance, subnets: network.dmsVpc.privateSubnets, securityGroupIds: [network.dmsSecurityGroup.id] },
    endpoints,
    networkReady: [network.sourceHop, network.targetHop].flatMap((hop) => (hop ? [hop.connection] : [])),
  });

  // The network grants DMS its hops and the database wiring its target; an external single_vpc
  // source is known only by name, so its networks come from config.
  if (network.topology === "single_vpc") {
    props.sourceEgressCidrs.forEach((cidr, index) => {
      new VpcSecurityGroupEgressRule(scope, `dms_source_egress_${index}`, {
        securityGroupId: network.dmsSecurityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: props.source.port,
        toPort: props.source.port,
        description: `DMS to the source database (${props.source.host ?? "external"})`,
      });
    });
  }

  const output = (id: string, value: unknown, description: string) => new TerraformOutput(scope, id, { value, description });
  if (migration.replication) {
    output("dms_replication_instance_arn", migration.replication.arn, "ARN of the DMS replication instance");
    output("dms_task_arns", mapOf(migration.tasks, (task) => task.arn), "DMS replication task ARNs by task key (aws dms start-replication-task --replication-task-arn ...)");
  } else {
    output("dms_replication_config_arns", mapOf(migration.tasks, (task) => task.arn), "DMS Serverless replication config ARNs by task key (aws dms start-replication --replication-config-arn ...)");
  }
  output("dms_endpoint_arns", mapOf(migration.endpoints, (endpoint) => endpoint.arn), "DMS endpoint ARNs by endpoint key");
  output(
    "dms_endpoint_secret_hosts",
    mapOf(migration.endpoints, (endpoint) => `${endpoint.serverName}:${endpoint.port}`),
    "host:port each endpoint's secret must hold (DMS reads host and port from the secret)",
  );
  output("dms_events_topic_arn", migration.notifications.topic.arn, "SNS topic receiving DMS instance and task events");
  output(
    "dms_service_role_arns",
    { vpc: migration.roleArn(DMS_VPC_ROLE_NAME), cloudwatch_logs: migration.roleArn(DMS_CLOUDWATCH_LOGS_ROLE_NAME) },
    `The account-level DMS roles (${props.serviceRoles === "existing" ? "adopted, not managed" : "managed"} by this stack)`,
  );
  return migration;
}

/**
 * The endpoint's engine_name, taken from the database it reaches when this stack builds that
 * database: DMS's PostgreSQL and Aurora PostgreSQL endpoints differ (e.g. Babelfish and
 * aurora-specific settings), so an endpoint naming the other engine is refused.
 */
function engineOf(path: string, endpoint: DmsEndpointStackProps, context: DmsWiringContext): DmsEndpointSpec["engine"] {
  const database = endpoint.endpointType === "target" ? context.database : context.simulatedSource;
  if (!database || endpoint.secretArn !== undefined) return endpoint.engine;
  if (endpoint.engine !== database.engine) {
    throw new ConstructError(path, `engine_name "${endpoint.engine}" but the ${endpoint.endpointType} database this stack builds is ${database.engine}; set engine_name to "${database.engine}"`);
  }
  return database.engine;
}

/** Where DMS connects for an endpoint: through the hop in three_vpc, directly in single_vpc. */
function location(path: string, type: "source" | "target", context: DmsWiringContext): { serverName: string; port: number } {
  const { network, props } = context;
  const hop = type === "source" ? network.sourceHop : network.targetHop;
  if (hop) return { serverName: hop.serverName, port: hop.port };
  if (type === "source") {
    if (props.source.host === undefined) throw new ConstructError(path, "a single_vpc source needs source.host");
    return { serverName: props.source.host, port: props.source.port };
  }
  if (!context.database) throw new ConstructError(path, "a single_vpc target needs the target database (database.enabled)");
  return { serverName: context.database.address, port: context.database.port };
}

/** `{ key: value }` with Terraform expressions as values; keys are the user's. */
function mapOf<T>(items: Readonly<Record<string, T>>, value: (item: T) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(items).map(([key, item]) => [key, value(item)]));
}
