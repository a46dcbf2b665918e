// Cross-field checks of the `database`, `source` (simulated), `secrets` and `parameters.names`
// sections: protections a protected environment must not lose, settings that belong to the other
// engine, and combinations AWS would refuse only at apply time.
import { ConfigIssue, FileOf, issueCollector } from "../errors.js";
import type { EnvironmentConfig } from "../schema.js";
import { PROTECTED_BY_DEFAULT } from "../to-props.js";


const AURORA_ONLY = ["readers", "serverless_v2", "instance_parameters"] as const;
const RDS_INSTANCE_ONLY = ["multi_az", "allocated_storage_gb", "max_allocated_storage_gb"] as const;
const OWN_KEYS: Record<string, string> = { "rds.force_ssl": "database.force_ssl", "rds.logical_replication": "database.logical_replication" };

export function databaseIssues(config: EnvironmentConfig, dirName: string, fileOf: FileOf): ConfigIssue[] {
  const { issues, issue } = issueCollector(fileOf);
  const isProtected = config.protected ?? PROTECTED_BY_DEFAULT.includes(config.environment ?? dirName);
  const database = config.database;
  const aurora = database.engine === "aurora-postgresql";

  if (database.enabled) {
    if (isProtected) {
      if (database.skip_final_snapshot) {
        issue(["database", "skip_final_snapshot"], "a protected environment keeps a final snapshot", "true", "false (or no skip_final_snapshot), or protected: false");
      }
      if (database.deletion_protection === false) {
        issue(["database", "deletion_protection"], "a protected environment keeps deletion protection", "false", "true (or no deletion_protection)");
      }
      if (database.backup_retention_days < 7) {
        issue(["database", "backup_retention_days"], "a protected environment keeps 7 days of backups at least", String(database.backup_retention_days), "7 to 35");
      }
      if (aurora && database.readers === 0) {
        issue(["database", "readers"], "a protected Aurora cluster is Multi-AZ: it needs a reader to fail over to", "0", "1 or more (or no readers: 1 by default)");
      }
      if (!aurora && database.multi_az === false) {
        issue(["database", "multi_az"], "a protected environment's database is Multi-AZ", "false", "true (or no multi_az)");
      }
    }
    for (const key of aurora ? RDS_INSTANCE_ONLY : AURORA_ONLY) {
      if (database[key] !== undefined) {
        issue(["database", key], `this key is used only by engine "${aurora ? "postgres" : "aurora-postgresql"}"`, JSON.stringify(database[key]), `no ${key} with engine "${database.engine}"`);
      }
    }
    if (aurora && database.log_exports.includes("upgrade")) {
      issue(["database", "log_exports"], "Aurora PostgreSQL exports no upgrade log", JSON.stringify(database.log_exports), `log types from "postgresql", "iam-db-auth-error"`);
    }
    if (database.serverless_v2 && database.serverless_v2.min_capacity > database.serverless_v2.max_capacity) {
      issue(["database", "serverless_v2", "min_capacity"], "minimum capacity above the maximum", String(database.serverless_v2.min_capacity), `at most max_capacity (${database.serverless_v2.max_capacity})`);
    }
    if (database.allocated_storage_gb !== undefined && database.max_allocated_storage_gb !== undefined && database.max_allocated_storage_gb < database.allocated_storage_gb) {
      issue(["database", "max_allocated_storage_gb"], "the autoscaling ceiling is below the initial storage", String(database.max_allocated_storage_gb), `at least allocated_storage_gb (${database.allocated_storage_gb})`);
    }
    for (const section of ["parameters", "instance_parameters"] as const) {
      for (const name of Object.keys(database[section] ?? {})) {
        if (OWN_KEYS[name]) issue(["database", section, name], `${name} has its own key`, JSON.stringify(database[section]?.[name]), `${OWN_KEYS[name]} instead`);
      }
    }
    if (config.topology === "three_vpc" && database.port !== config.network.target_hop.port) {
      issue(["database", "port"], "the target hop forwards its port to the database unchanged", String(database.port), `network.target_hop.port (${config.network.target_hop.port}), or that port changed to match`);
    }
  }

  const simulated = config.source.simulated;
  if (simulated.enabled) {
    if (config.topology !== "three_vpc") {
      issue(["source", "simulated", "enabled"], "the simulated source sits in the source VPC behind the source hop", "true", 'topology "three_vpc", or source.host for an existing source');
    }
    if (config.source.ip_addresses.length > 0) {
      issue(["source", "ip_addresses"], "the simulated source registers its own address in the source hop", JSON.stringify(config.source.ip_addresses), "no ip_addresses with source.simulated.enabled");
    }
    if (config.topology === "three_vpc" && config.source.port !== config.network.source_hop.port) {
      issue(["source", "port"], "the source hop forwards its port to the simulated source unchanged", String(config.source.port), `network.source_hop.port (${config.network.source_hop.port})`);
    }
  }

  const window = config.secrets.recovery_window_days;
  if (isProtected && window !== undefined && window < 30) {
    issue(["secrets", "recovery_window_days"], "a protected environment keeps deleted secrets restorable for 30 days", String(window), "30 (or no recovery_window_days)");
  }

  const names = Object.entries(config.parameters.names);
  names.forEach(([key, name], index) => {
    const earlier = names.slice(0, index).find(([, other]) => other === name);
    if (earlier) issue(["parameters", "names", key], `the same name as parameters.names.${earlier[0]}`, JSON.stringify(name), "a name no other entry uses");
  });
  return issues;
}
