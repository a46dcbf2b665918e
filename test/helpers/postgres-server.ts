// A real, throw-away PostgreSQL server for runtime tests (see DESIGN.md: initdb refuses to run
// as root, so as root every server binary runs through `runuser -u postgres --`).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedDir } from "./test-cache.js";

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** A libpq connection string for the superuser, without a password (trust auth). */
  readonly connectionString: string;
  /** libpq environment variables (PGHOST, PGPORT, ...) for this server. */
  readonly env: Record<string, string>;
  readonly binDir: string;
  stop(): void;
}

export interface StartPostgresOptions {
  /** `wal_level = logical` and replication slots, as a CDC source needs. @default false */
  readonly logical?: boolean;
  /** Extra `-c name=value` server settings. */
  readonly settings?: Record<string, string>;
}

/** Finds the newest installed PostgreSQL server; PG_BIN overrides. Fails naming what is missing. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL server binaries not found (no /usr/lib/postgresql/<v>/bin/initdb): install the Debian package " +
        "'postgresql' (apt-get install -y postgresql) or set PG_BIN to the directory holding initdb and pg_ctl",
    );
  }
  return join(root, versions[0], "bin");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function runAsServerUser(binary: string, args: string[]): void {
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
  const result = spawnSync(cmd, argv, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

const running = new Set<PostgresServer>();
process.once("exit", () => {
  for (const server of running) server.stop();
});

/** A scratch directory the server user owns. */
function serverUserDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-pg-"));
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

const user = "postgres";
const INITDB_ARGS = ["-U", user, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"];

/**
 * A freshly initialised cluster, made once per server version (test/helpers/test-cache.ts):
 * each server starts from a copy of it, a third of a second where initdb takes three.
 */
function templateDataDir(binDir: string): string {
  const known = templates.get(binDir);
  if (known) return known;
  const version = execFileSync(join(binDir, "postgres"), ["--version"]).toString().trim();
  const key = createHash("sha256").update(`${binDir}\0${version}\0${INITDB_ARGS.join(" ")}`).digest("hex").slice(0, 20);
  const template = cachedDir(join("postgres", key), (partial) => {
    const scratch = serverUserDir();
    try {
      runAsServerUser(join(binDir, "initdb"), ["-D", join(scratch, "data"), ...INITDB_ARGS]);
      execFileSync("cp", ["-a", join(scratch, "data"), join(partial, "data")]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
  templates.set(binDir, join(template, "data"));
  return join(template, "data");
}

const templates = new Map<string, string>();

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  const dir = serverUserDir();
  const dataDir = join(dir, "data");
  // -a keeps the server user's ownership and the 0700 modes postgres insists on.
  execFileSync("cp", ["-a", templateDataDir(binDir), dataDir]);

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: dir,
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    ...(options.logical ? { wal_level: "logical", max_replication_slots: "10", max_wal_senders: "10" } : {}),
    ...options.settings,
  };
  const serverOptions = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  runAsServerUser(join(binDir, "pg_ctl"), ["-D", dataDir, "-l", join(dir, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);

  let stopped = false;
  const server: PostgresServer = {
    host: "127.0.0.1",
    port,
    user,
    database: "postgres",
    connectionString: `postgresql://${user}@127.0.0.1:${port}/postgres`,
    env: { PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: user, PGDATABASE: "postgres", PGSSLMODE: "disable" },
    binDir,
    stop() {
      if (stopped) return;
      stopped = true;
      running.delete(server);
      try {
        runAsServerUser(join(binDir, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  running.add(server);
  return server;
}
