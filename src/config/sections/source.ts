// Where the source database is. In three_vpc it sits behind the source hop (IP targets of an
// on-premises or EC2 server, or the simulated source cluster); in single_vpc DMS reaches it by
// host name.
import { z } from "zod";
import { ipv4Address, port } from "../fields.js";
import { databaseEngine, databaseName, engineVersion, instanceClass, masterUsername } from "./database.js";

export const sourceSection = z
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
        password_version: z.number().int().min(1).default(1).describe("Bump to generate a new password for the simulated source."),
      })
      .prefault({})
      .describe("A simulated source database instead of an external one (three_vpc only)."),
  })
  .prefault({})
  .describe("The source database's location.");
