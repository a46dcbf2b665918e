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
import { rdsRegionalCaBundle } from "../modules/core/rds-ca.js";
import { authenticatingSslMode, type EndpointSslMode } from "../modules/dms/database-endpoint.js";
import { ConstructError } from "../modules/core/construct-error.js";
import { PRIMARY_SOURCE_KEY, SourceDatabaseProps } from "./database-wiring.js";

export interface DmsEndpointStackProps extends Omit<DmsEndpointSpec, "serverName" | "port" | "secretArn" | "accessRoleArn"> {
  /**
   * Source endpoints: the key of the source database they read (its secret, hop or host).
   * @default "source" (the aws-samples source section)
   */
  readonly sourceKey?: string;
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
}

export interface DmsWiringContext {
  readonly props: DmsStackProps;
  readonly network: MigrationNetwork;
  /** `<project>-<environment>`. */
  readonly namePrefix: string;
  /** The region, for the RDS CA bundle of the stack's own databases. */
  readonly region: string;
  readonly database?: PostgresDatabase;
  /** The simulated source (three_vpc), an RDS database whose engine the source endpoints must name and whose CA the stack knows. */
  readonly simulatedSource?: PostgresDatabase;
  readonly dmsCredentials?: DmsCredentials;
  /** Every source database by key (host, port, and whether a hop reaches it). */
  readonly sources: Readonly<Record<string, SourceDatabaseProps>>;
}

export function wireDms(scope: Construct, context: DmsWiringContext): DmsMigration {
  const { props, network } = context;
  const endpoints: Record<string, DmsEndpointSpec> = {};
  for (const [key, endpoint] of Object.entries(props.endpoints)) {
    const { secretArn, accessRoleArn, sourceKey = PRIMARY_SOURCE_KEY, ...rest } = endpoint;
    const path = `${scope.node.path}/dms/endpoints/${key}`;
    if (endpoint.endpointType === "source" && !context.sources[sourceKey]) {
      throw new ConstructError(path, `source_key "${sourceKey}" names no source; the sources are ${Object.keys(context.sources).map((name) => `"${name}"`).join(", ")}`);
    }
    const credentials = context.dmsCredentials;
    const secret = secretArn ?? (endpoint.endpointType === "source" ? credentials?.sources[sourceKey]?.secretArn : credentials?.target.secretArn);
    const role = accessRoleArn ?? credentials?.accessRoleArn;
    if (secret === undefined || role === undefined) {
      throw new ConstructError(path, `no Secrets Manager credentials; enable the target database (its wiring creates the DMS secrets) or set secrets_manager_arn and secrets_manager_access_role_arn`);
    }
    const { throughHop, ...place } = location(path, endpoint.endpointType, sourceKey, context);
    endpoints[key] = { ...rest, engine: engineOf(path, endpoint, context), ...place, ...tls(endpoint, throughHop, secretArn === undefined, context), secretArn: secret, accessRoleArn: role };
  }

  const migration = new DmsMigration(scope, "dms", {
    ...props,
    name: context.namePrefix,
    instance: { ...props.instance, subnets: network.dmsVpc.privateSubnets, securityGroupIds: [network.dmsSecurityGroup.id] },
    endpoints,
    networkReady: [...Object.values(network.sourceHops ?? {}), network.targetHop].flatMap((hop) => (hop ? [hop.connection] : [])),
  });

  // The network grants DMS its hops and the database wiring its target; an external single_vpc
  // source is known only by name, so its networks come from config.
  const primary = context.sources[PRIMARY_SOURCE_KEY];
  if (network.topology === "single_vpc" && primary) {
    props.sourceEgressCidrs.forEach((cidr, index) => {
      new VpcSecurityGroupEgressRule(scope, `dms_source_egress_${index}`, {
        securityGroupId: network.dmsSecurityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: primary.port,
        toPort: primary.port,
        description: `DMS to the source database (${primary.host ?? "external"})`,
      });
    });
  }
  // Further sources over an existing network path: the networks their config names.
  for (const [key, source] of Object.entries(context.sources)) {
    if (key === PRIMARY_SOURCE_KEY || source.throughHop) continue;
    (source.networkCidrs ?? []).forEach((cidr, index) => {
      new VpcSecurityGroupEgressRule(scope, `dms_source_${key.replace(/-/g, "_")}_egress_${index}`, {
        securityGroupId: network.dmsSecurityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: source.port,
        toPort: source.port,
        description: `DMS to the source database ${key} (${source.host ?? "external"})`,
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
  output(
    "dms_endpoint_tls",
    mapOf(endpoints, tlsReport),
    "How each endpoint authenticates its server (require: encrypted, the server NOT authenticated)",
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
  const database = builtDatabase(endpoint, context);
  if (!database || endpoint.secretArn !== undefined) return endpoint.engine;
  if (endpoint.engine !== database.engine) {
    throw new ConstructError(path, `engine_name "${endpoint.engine}" but the ${endpoint.endpointType} database this stack builds is ${database.engine}; set engine_name to "${database.engine}"`);
  }
  return database.engine;
}

/** The database this stack builds that the endpoint reaches: the target, or the simulated source (the "source" source only). */
function builtDatabase(endpoint: DmsEndpointStackProps, context: DmsWiringContext): PostgresDatabase | undefined {
  if (endpoint.endpointType === "target") return context.database;
  return (endpoint.sourceKey ?? PRIMARY_SOURCE_KEY) === PRIMARY_SOURCE_KEY ? context.simulatedSource : undefined;
}

/**
 * TLS that authenticates the server wherever the stack knows its CA: the stack's own databases (the
 * target, the simulated source) are checked against the region's RDS CA bundle, verify-full where
 * DMS connects to the database's own name and verify-ca through a PrivateLink hop, whose vpce- DNS
 * name is in no certificate. A CA the user gives is used as given; without one, an external source
 * stays on `require` (encrypted, not authenticated), which the dms_endpoint_tls output reports.
 */
function tls(endpoint: DmsEndpointStackProps, throughHop: boolean, stackSecret: boolean, context: DmsWiringContext): { sslMode?: EndpointSslMode; certificatePem?: string } {
  if (endpoint.certificatePem !== undefined || endpoint.certificateArn !== undefined) return {};
  const ownDatabase = stackSecret && builtDatabase(endpoint, context) !== undefined;
  if (!ownDatabase || endpoint.engine === "sqlserver") return {};
  const sslMode = endpoint.sslMode ?? authenticatingSslMode(throughHop, endpoint.engine);
  return sslMode === "require" ? { sslMode } : { sslMode, certificatePem: rdsRegionalCaBundle(context.region) };
}

function tlsReport(endpoint: DmsEndpointSpec): string {
  const mode = endpoint.sslMode ?? "require";
  if (mode === "require") return "require: encrypted, server not authenticated (give its CA: certificate_file or certificate_arn)";
  return `${mode}: server authenticated by ${endpoint.certificateArn ? "the given DMS certificate" : "the CA in its DMS certificate"}`;
}

/**
 * Where DMS connects for an endpoint: through the source's own hop or the target hop in three_vpc,
 * directly in single_vpc and for a further source over an existing network path.
 */
function location(path: string, type: "source" | "target", sourceKey: string, context: DmsWiringContext): { serverName: string; port: number; throughHop: boolean } {
  const { network } = context;
  if (type === "source") {
    const source = context.sources[sourceKey];
    const hop = source.throughHop ? network.sourceHops?.[sourceKey] : undefined;
    if (hop) return { serverName: hop.serverName, port: hop.port, throughHop: true };
    if (source.host === undefined) throw new ConstructError(path, `source "${sourceKey}" has no hop and no host for DMS to reach`);
    return { serverName: source.host, port: source.port, throughHop: false };
  }
  if (network.targetHop) return { serverName: network.targetHop.serverName, port: network.targetHop.port, throughHop: true };
  if (!context.database) throw new ConstructError(path, "a single_vpc target needs the target database (database.enabled)");
  return { serverName: context.database.address, port: context.database.port, throughHop: false };
}

/** `{ key: value }` with Terraform expressions as values; keys are the user's. */
function mapOf<T>(items: Readonly<Record<string, T>>, value: (item: T) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(items).map(([key, item]) => [key, value(item)]));
}
