// The built bundle, not the source: loaded by a plain `node` child process that has nothing but
// environment variables, it must load a CSV on its own (no node_modules beside it).
import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { csvPipelineBundleZip } from "../../modules/csv-pipeline/csv-pipeline.js";
import { extractLambdaZip } from "../helpers/lambda-zip.js";
import { startPostgres, type PostgresServer } from "../helpers/postgres-server.js";
import { putObjectAndEvent, startS3Server, type S3Server } from "../helpers/s3-server.js";

const BUCKET = "landing";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:csv-pipeline-db-AbCdEf";
let postgres: PostgresServer;
let s3: S3Server;
let admin: pg.Client;
let bundleDir: string;
let secrets: { server: Server; endpoint: string; requests: string[] };

/**
 * Answers Secrets Manager's GetSecretValue (JSON 1.1 protocol) on loopback: there is no local
 * Secrets Manager, and this lets the bundled SDK client make its real request.
 */
async function startSecretsEndpoint(secretString: string) {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      requests.push(`${request.headers["x-amz-target"]} ${body}`);
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      response.writeHead(SecretId === SECRET_ARN ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify(SecretId === SECRET_ARN ? { ARN: SECRET_ARN, Name: "csv-pipeline-db", SecretString: secretString } : { __type: "ResourceNotFoundException", message: "no such secret" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3Server([BUCKET])]);
  admin = new pg.Client({ connectionString: postgres.connectionString });
  await admin.connect();
  await admin.query("CREATE TABLE public.orders (id int PRIMARY KEY, item text NOT NULL, placed date)");
  secrets = await startSecretsEndpoint(
    JSON.stringify({ username: postgres.user, password: "unused-with-trust-auth", host: postgres.host, port: postgres.port, dbname: postgres.database, sslmode: "disable" }),
  );
  // The very zip the construct deploys, unpacked as Lambda unpacks it.
  bundleDir = extractLambdaZip(csvPipelineBundleZip());
});

afterAll(async () => {
  await admin?.end();
  await s3?.stop();
  secrets?.server.close();
  postgres?.stop();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundle's handler on `events`, one after the other in one process (one cold start), as Lambda would. */
function runBundle(env: Record<string, string>, events: readonly unknown[]): Promise<ChildRun> {
  const script = `
    const { handler } = require("./index.js");
    (async () => {
      for (const event of JSON.parse(process.env.TEST_EVENTS)) {
        const result = await handler(event);
        process.stdout.write("RESULT " + JSON.stringify(result) + "\\n");
      }
    })().catch((error) => { console.error("HANDLER ERROR " + error.message); process.exit(1); });`;
  // Asynchronous, so this process keeps serving S3 and Secrets Manager requests meanwhile.
  const child = spawn(process.execPath, ["-e", script], {
    cwd: bundleDir,
    env: { PATH: process.env.PATH ?? "", TEST_EVENTS: JSON.stringify(events), ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

function results(run: ChildRun): unknown[] {
  return run.stdout
    .split("\n")
    .filter((line) => line.startsWith("RESULT "))
    .map((line) => JSON.parse(line.slice("RESULT ".length)));
}

it("bundles everything into one index.js", () => {
  expect(readdirSync(bundleDir)).toEqual(["index.js"]);
});

it("loads CSVs from the environment alone: Secrets Manager credentials fetched once, S3 through AWS_ENDPOINT_URL_S3", async () => {
  const first = await putObjectAndEvent(s3.client, BUCKET, "orders/day 1.csv", "id,item,placed\n1,tea,2024-03-01\n2,cake,\n");
  const second = await putObjectAndEvent(s3.client, BUCKET, "orders/day 2.csv", "item,id\nbread,3\n");

  const run = await runBundle(
    {
      ...s3.env,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      DB_SECRET_ARN: SECRET_ARN,
      CSV_LOADS: JSON.stringify([{ prefix: "orders/", table: "public.orders", mode: "append" }]),
    },
    [first, second],
  );

  expect(run.stderr).not.toContain("HANDLER ERROR");
  expect(run.code).toBe(0);
  expect(results(run)).toEqual([
    { results: [expect.objectContaining({ key: "orders/day 1.csv", status: "loaded", rows: 2 })] },
    { results: [expect.objectContaining({ key: "orders/day 2.csv", status: "loaded", rows: 1 })] },
  ]);
  expect(secrets.requests).toEqual([`secretsmanager.GetSecretValue ${JSON.stringify({ SecretId: SECRET_ARN })}`]);
  expect((await admin.query("SELECT id, item FROM orders ORDER BY id")).rows).toEqual([
    { id: 1, item: "tea" },
    { id: 2, item: "cake" },
    { id: 3, item: "bread" },
  ]);
  // One JSON log line per object, for CloudWatch Logs.
  expect(run.stdout).toContain('"message":"csv-pipeline loaded"');
});

it("uses libpq's PG* variables when no secret is configured", async () => {
  await admin.query("TRUNCATE orders");
  const event = await putObjectAndEvent(s3.client, BUCKET, "pgenv/o.csv", "id,item\n9,jam\n");

  const run = await runBundle({ ...s3.env, ...postgres.env, CSV_LOADS: JSON.stringify([{ prefix: "pgenv/", table: "orders", mode: "replace" }]) }, [event]);

  expect(run.code).toBe(0);
  expect(results(run)).toEqual([{ results: [expect.objectContaining({ status: "loaded", rows: 1 })] }]);
  expect((await admin.query("SELECT id, item FROM orders")).rows).toEqual([{ id: 9, item: "jam" }]);
});

it("fails the cold start with every configuration problem listed", async () => {
  const run = await runBundle({ ...s3.env, ...postgres.env, CSV_LOADS: '[{"prefix":"x/","table":"t","mode":"truncate"}]', POST_LOAD_ACTION: "shred" }, []);

  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain("csv-pipeline configuration is invalid");
  expect(run.stderr).toContain("CSV_LOADS[0].mode: expected one of replace, append, upsert");
  expect(run.stderr).toContain('POST_LOAD_ACTION: must be "tag" or "move", not "shred"');
});
