// Where the source databases are. The aws-samples `source` section is the source keyed "source";
// `sources` adds more, each with its own DMS secret and, in three_vpc, its own PrivateLink hop (IP
// targets) or an existing network path (host name and the networks DMS may reach). Parsing
// normalizes both into one map by key, which DMS source endpoints name (`source_key`). In three_vpc
// the "source" source sits behind the source hop (IP targets of an on-premises or EC2 server, or
// the simulated source database); in single_vpc DMS reaches every source by host name. The
// simulated source starts from the target's settings, made small and unprotected.
import { z } from "zod";
import { DatabaseSettings, PRIMARY_SOURCE_KEY, SourceDatabaseProps } from "../../stacks/database-wiring.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { DEFAULT_ENGINE_VERSIONS, databaseEngine, databaseName, defaultIdentifier, engineVersion, instanceClass, masterUsername } from "./database.js";
import { ipv4Address, networkCidr, port } from "./fields.js";
import type { EnvironmentConfig } from "./schema.js";

export const sourceKeys = {
  source: z
    .strictObject({
      ip_addresses: z
        .array(ipv4Address)
        .default([])
        .describe("IP addresses of the source database server, registered as the source hop's targets (three_vpc)."),
      port: port.default(5432).describe("Port of the source database server."),
      host: z
        .string()
        .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, "expected a DNS host name")
        .optional()
        .describe("Host name of the source database (single_vpc)."),
      database_name: databaseName.default("postgres").describe("Database DMS reads from; written into the DMS source secret (simulated) or its template (external)."),
      username: masterUsername
        .default("postgres")
        .describe("User DMS connects to the source as: the simulated source's master user, or the user named in the external source secret's template."),
      simulated: z
        .strictObject({
          enabled: z.boolean().default(false).describe("Create a simulated source (three_vpc): a database in the source VPC behind the source hop, with logical replication on, as in the aws-samples demo."),
          engine: databaseEngine.default("aurora-postgresql").describe("Engine of the simulated source."),
          engine_version: engineVersion.optional().describe("Engine version of the simulated source. Default: as for the target database's engine."),
          instance_class: instanceClass.default("db.t4g.medium").describe("Instance class of the simulated source."),
        })
        .prefault({})
        .describe("A simulated source database instead of an external one (three_vpc only)."),
    })
    .prefault({})
    .describe("The source database's location."),
};

const sourceKey = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "expected a key of lowercase letters and digits, single hyphens between them, starting with a letter (it becomes part of resource names)")
  .max(12, "expected at most 12 characters (it becomes part of the hop's load balancer name)");

const additionalSource = z.strictObject({
  ip_addresses: z
    .array(ipv4Address)
    .default([])
    .describe("three_vpc: IP addresses of the database server, registered as the targets of this source's own hop (an NLB, endpoint service and interface endpoint)."),
  host: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, "expected a DNS host name")
    .optional()
    .describe("Host name DMS connects to over an existing network path (single_vpc, or three_vpc without a hop: e.g. a Transit Gateway the DMS VPC is attached to)."),
  network_cidrs: z
    .array(networkCidr)
    .default([])
    .describe("With host: the networks the DMS security group may reach on the port."),
  port: port.default(5432).describe("Port of the database server (1433 for SQL Server)."),
  database_name: z.string().min(1).max(128).describe("Database DMS reads from."),
  username: z.string().min(1).max(128).describe("User named in this source's DMS secret template (its value, with the password, is set outside Terraform)."),
  allowed_principals: z
    .array(z.string())
    .default([])
    .describe("three_vpc hop: IAM principals allowed to request a connection to its endpoint service (as network.source_hop.allowed_principals)."),
});

export const sourcesKeys = {
  sources: z
    .record(sourceKey, additionalSource)
    .default({})
    .describe('More source databases besides the source section (which is the source keyed "source"): each has its own DMS secret and, in three_vpc, its own PrivateLink hop (ip_addresses) or an existing network path (host, network_cidrs). DMS source endpoints name theirs with source_key.'),
};

export const sourcesCheck = crossCheck(["sources", "topology"], (config, _context, issue) => {
  for (const [key, source] of Object.entries(config.sources)) {
    if (key === PRIMARY_SOURCE_KEY) issue(["sources", key], `"${PRIMARY_SOURCE_KEY}" is the source section's key`, JSON.stringify(key), "another key, or the source section itself");
    const hop = source.ip_addresses.length > 0;
    const path = source.host !== undefined;
    if (config.topology === "single_vpc" && hop) issue(["sources", key, "ip_addresses"], "in single_vpc DMS reaches the source by host name", JSON.stringify(source.ip_addresses), "host and network_cidrs instead of ip_addresses");
    if (hop && path) issue(["sources", key, "host"], "a source is reached through its own hop (ip_addresses) or an existing path (host), not both", JSON.stringify(source.host), "one of ip_addresses and host");
    if (!hop && !path) issue(["sources", key], "DMS has no way to reach this source", "neither ip_addresses nor host", config.topology === "three_vpc" ? "ip_addresses (its own hop) or host and network_cidrs (an existing path)" : "host and network_cidrs");
    if (path && source.network_cidrs.length === 0) issue(["sources", key, "network_cidrs"], `DMS may reach no network of ${source.host}`, "[]", "the CIDRs of the source server that the DMS security group may reach");
    if (!path && source.network_cidrs.length > 0) issue(["sources", key, "network_cidrs"], "network_cidrs go with host (an existing network path)", JSON.stringify(source.network_cidrs), "no network_cidrs, or a host");
  }
});

export const sourceCheck = crossCheck(["source", "topology", "network"], (config, _context, issue) => {
  const source = config.source;
  if (config.topology === "three_vpc") {
    if (source.host !== undefined) {
      issue(["source", "host"], "in three_vpc the source is reached through the source hop", JSON.stringify(source.host), "source.ip_addresses (the hop's targets) instead of source.host");
    }
  } else if (source.ip_addresses.length > 0) {
    issue(["source", "ip_addresses"], "in single_vpc DMS reaches the source by host name", JSON.stringify(source.ip_addresses), "source.host instead of source.ip_addresses");
  }

  const simulated = source.simulated;
  if (simulated.enabled) {
    if (config.topology !== "three_vpc") {
      issue(["source", "simulated", "enabled"], "the simulated source sits in the source VPC behind the source hop", "true", 'topology "three_vpc", or source.host for an existing source');
    }
    if (source.ip_addresses.length > 0) {
      issue(["source", "ip_addresses"], "the simulated source registers its own address in the source hop", JSON.stringify(source.ip_addresses), "no ip_addresses with source.simulated.enabled");
    }
    if (config.topology === "three_vpc" && source.port !== config.network.source_hop.port) {
      issue(["source", "port"], "the source hop forwards its port to the simulated source unchanged", String(source.port), `network.source_hop.port (${config.network.source_hop.port})`);
    }
  }
});

/**
 * Every source by key: the source section under "source", then `sources`. `targetSettings`: the
 * target's server settings, which a simulated source starts from.
 */
export function sourceDatabaseProps(config: Pick<EnvironmentConfig, "source" | "sources" | "topology">, context: ConfigContext, targetSettings: DatabaseSettings): Record<string, SourceDatabaseProps> {
  const additional = Object.fromEntries(
    Object.entries(config.sources).map(([key, source]): [string, SourceDatabaseProps] => [
      key,
      { host: source.host, port: source.port, databaseName: source.database_name, username: source.username, networkCidrs: source.network_cidrs, throughHop: source.ip_addresses.length > 0 },
    ]),
  );
  return { [PRIMARY_SOURCE_KEY]: primarySourceProps(config, context, targetSettings), ...additional };
}

function primarySourceProps(config: Pick<EnvironmentConfig, "source" | "topology">, context: ConfigContext, targetSettings: DatabaseSettings): SourceDatabaseProps {
  const source = config.source;
  const simulated = source.simulated;
  return {
    simulated:
      simulated.enabled && config.topology === "three_vpc"
        ? {
            ...targetSettings,
            engine: simulated.engine,
            identifier: defaultIdentifier(context, "source"),
            engineVersion: simulated.engine_version ?? DEFAULT_ENGINE_VERSIONS[simulated.engine],
            instanceClass: simulated.instance_class,
            readers: simulated.engine === "aurora-postgresql" ? 0 : undefined,
            serverlessV2: undefined,
            instanceParameters: undefined,
            multiAz: simulated.engine === "postgres" ? false : undefined,
            allocatedStorageGb: undefined,
            maxAllocatedStorageGb: undefined,
            port: source.port,
            databaseName: source.database_name,
            masterUsername: source.username,
            storageKmsKeyArn: undefined,
            parameters: {},
            logExports: ["postgresql"],
          }
        : undefined,
    host: source.host,
    port: source.port,
    databaseName: source.database_name,
    username: source.username,
    throughHop: config.topology === "three_vpc",
  };
}
