// A stand-in for the Secrets Manager API on 127.0.0.1 (no local Secrets Manager exists): enough for
// the AWS provider to read a secret (DescribeSecret, GetResourcePolicy), so an offline plan can show
// an import, and for the db-users function to read, write and rotate values (GetSecretValue,
// PutSecretValue, UpdateSecretVersionStage, with version ids and labels). It runs in a child
// process because Terraform is run synchronously.
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

const SERVER = `
const http = require("node:http");
const secrets = JSON.parse(process.argv[1]);
// secret ARN -> [{ id, value, stages }]
const versions = new Map();
let counter = 0;
const versionsOf = (secret) => versions.get(secret.ARN) || versions.set(secret.ARN, []).get(secret.ARN);
const moveStage = (secret, stage, toId) => {
  for (const version of versionsOf(secret)) version.stages = version.stages.filter((s) => s !== stage);
  const target = versionsOf(secret).find((v) => v.id === toId);
  if (target) target.stages.push(stage);
};
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
    const list = versionsOf(secret);
    if (target.endsWith(".DescribeSecret")) {
      const stages = Object.fromEntries(list.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]));
      return reply(200, { ...secret, RotationEnabled: false, Tags: [], VersionIdsToStages: stages });
    }
    if (target.endsWith(".GetSecretValue")) {
      const version = input.VersionId ? list.find((v) => v.id === input.VersionId) : list.find((v) => v.stages.includes(input.VersionStage || "AWSCURRENT"));
      if (!version) return reply(400, { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" });
      return reply(200, { ARN: secret.ARN, Name: secret.Name, VersionId: version.id, SecretString: version.value, VersionStages: version.stages });
    }
    if (target.endsWith(".PutSecretValue")) {
      const id = input.ClientRequestToken || "v" + ++counter;
      const stages = input.VersionStages || ["AWSCURRENT"];
      list.push({ id, value: input.SecretString, stages: [] });
      for (const stage of stages) {
        if (stage === "AWSCURRENT") {
          const previous = list.find((v) => v.stages.includes("AWSCURRENT"));
          if (previous) moveStage(secret, "AWSPREVIOUS", previous.id);
        }
        moveStage(secret, stage, id);
      }
      return reply(200, { ARN: secret.ARN, Name: secret.Name, VersionId: id, VersionStages: stages });
    }
    if (target.endsWith(".UpdateSecretVersionStage")) {
      if (input.VersionStage === "AWSCURRENT" && input.RemoveFromVersionId) moveStage(secret, "AWSPREVIOUS", input.RemoveFromVersionId);
      moveStage(secret, input.VersionStage, input.MoveToVersionId);
      return reply(200, { ARN: secret.ARN, Name: secret.Name });
    }
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
