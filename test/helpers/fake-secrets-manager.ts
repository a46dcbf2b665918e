// A stand-in for the Secrets Manager API on 127.0.0.1, just enough for the AWS provider to read a
// secret (DescribeSecret, GetResourcePolicy): an offline plan can then show an import. It runs in
// a child process because Terraform is run synchronously.
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

const SERVER = `
const http = require("node:http");
const secrets = JSON.parse(process.argv[1]);
const server = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    const target = String(request.headers["x-amz-target"] || "");
    const input = body ? JSON.parse(body) : {};
    const secret = secrets.find((candidate) => candidate.ARN === input.SecretId || candidate.Name === input.SecretId);
    const reply = (status, payload) => {
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "fake" });
      response.end(JSON.stringify(payload));
    };
    if (!secret) return reply(400, { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." });
    if (target.endsWith(".DescribeSecret")) return reply(200, { ...secret, RotationEnabled: false, Tags: [], VersionIdsToStages: {} });
    if (target.endsWith(".GetResourcePolicy")) return reply(200, { ARN: secret.ARN, Name: secret.Name });
    reply(400, { __type: "UnknownOperationException", message: target });
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

export interface FakeSecretsManager {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startFakeSecretsManager(secrets: readonly { ARN: string; Name: string; Description?: string; KmsKeyId?: string }[]): Promise<FakeSecretsManager> {
  const child: ChildProcess = spawn(process.execPath, ["-e", SERVER, JSON.stringify(secrets)], { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return {
    endpoint: `http://127.0.0.1:${chunk.toString().trim()}`,
    async stop() {
      child.kill();
      await once(child, "exit");
    },
  };
}
