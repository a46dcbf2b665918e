// A PostgreSQL server with TLS on, its certificate signed by a throw-away CA (as RDS's are by the
// RDS CA), for tests of authenticated connections. The certificate names only the host names given.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresServer, StartPostgresOptions, startPostgres } from "./postgres-server.js";

export interface TlsPostgres {
  readonly server: PostgresServer;
  /** PEM file of the CA that signed the server's certificate. */
  readonly caFile: string;
  stop(): void;
}

/** `subjectAltName` entries, e.g. `["DNS:localhost", "IP:127.0.0.1"]`. */
export async function startTlsPostgres(subjectAltNames: readonly string[], options: StartPostgresOptions = {}): Promise<TlsPostgres> {
  const certs = mkdtempSync(join(tmpdir(), "lz-tls-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: certs, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=dms-lz test CA");
  openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=dms-lz test server");
  writeFileSync(join(certs, "san.cnf"), `subjectAltName=${subjectAltNames.join(",")}\n`);
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.cnf");
  chmodSync(certs, 0o755);
  chmodSync(join(certs, "server.key"), 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    for (const file of ["server.key", "server.crt"]) chownSync(join(certs, file), uid, uid);
  }
  const server = await startPostgres({ ...options, settings: { ...options.settings, ssl: "on", ssl_cert_file: join(certs, "server.crt"), ssl_key_file: join(certs, "server.key") } });
  return {
    server,
    caFile: join(certs, "ca.crt"),
    stop() {
      server.stop();
      rmSync(certs, { recursive: true, force: true });
    },
  };
}
