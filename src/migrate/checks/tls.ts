// Whether the server accepts (and insists on) TLS, which DMS endpoints should use.
import type { DatabaseRole } from "../connection.js";
import type { Finding } from "../findings.js";
import type { ServerFacts } from "../server-facts.js";

export function tlsFindings(role: DatabaseRole, facts: ServerFacts): Finding[] {
  const check = `${role}-tls`;
  if (facts.settings.get("ssl") === "off") {
    return [
      {
        check,
        severity: "warning",
        object: role,
        detail: `ssl = off on the ${role} server: a DMS endpoint with ssl_mode require cannot connect, and data and passwords cross the network unencrypted`,
        fix: "Turn TLS on (ssl = on with a server certificate) and set the DMS endpoint's ssl_mode to verify-full",
      },
    ];
  }
  if (facts.settings.get("rds.force_ssl") === "0") {
    return [
      {
        check,
        severity: "warning",
        object: role,
        detail: "TLS is available but not enforced (rds.force_ssl = 0): clients may still connect unencrypted",
        fix: "Set rds.force_ssl = 1 in the parameter group and use ssl_mode verify-full on the DMS endpoint",
      },
    ];
  }
  return [
    {
      check,
      severity: "info",
      object: role,
      detail: `TLS is on (this connection ${facts.connectionTls ? "is" : "is not"} encrypted)`,
      fix: facts.connectionTls ? "" : "Connect with sslmode=verify-full and --sslrootcert to check the certificate as DMS will",
    },
  ];
}
