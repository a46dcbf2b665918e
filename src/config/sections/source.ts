// Where the source database is. In three_vpc it sits behind the source hop (IP targets of an
// on-premises or EC2 server); in single_vpc DMS reaches it by host name.
import { z } from "zod";
import { ipv4Address, port } from "../fields.js";

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
  })
  .prefault({})
  .describe("The source database's location.");
