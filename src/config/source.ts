// Where the source database is. In three_vpc it sits behind the source hop (IP targets of an
// on-premises or EC2 server, or the simulated source database); in single_vpc DMS reaches it by
// host name. The simulated source starts from the target's settings, made small and unprotected.
import { z } from "zod";
import type { DatabaseSettings, SourceDatabaseProps } from "../../stacks/database-wiring.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { DEFAULT_ENGINE_VERSIONS, databaseEngine, databaseName, defaultIdentifier, engineVersion, instanceClass, masterUsername } from "./database.js";
import { ipv4Address, port } from "./fields.js";
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

/** `targetSettings`: the target's server settings, which a simulated source starts from. */
export function sourceDatabaseProps(config: Pick<EnvironmentConfig, "source" | "topology">, context: ConfigContext, targetSettings: DatabaseSettings): SourceDatabaseProps {
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
  };
}
