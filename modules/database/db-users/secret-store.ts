// The few Secrets Manager calls the function makes: read a version, write one, and move the
// AWSCURRENT label at the end of a rotation.
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";

export interface SecretStore {
  /** The value of a version (by label, default AWSCURRENT, or id); undefined when there is none. */
  get(secretId: string, version?: { stage?: string; versionId?: string }): Promise<string | undefined>;
  /** Writes a new version (AWSCURRENT unless other labels are given). */
  put(secretId: string, value: string, version?: { token?: string; stages?: string[] }): Promise<void>;
  /** The id of the version labelled AWSCURRENT. */
  currentVersionId(secretId: string): Promise<string | undefined>;
  /** Moves AWSCURRENT to `versionId` from `fromVersionId`. */
  promote(secretId: string, versionId: string, fromVersionId: string | undefined): Promise<void>;
}

export function secretsManagerStore(client: SecretsManagerClient): SecretStore {
  return {
    async get(secretId, version = {}) {
      try {
        const result = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: version.versionId ? undefined : version.stage ?? "AWSCURRENT", VersionId: version.versionId }));
        return result.SecretString;
      } catch (error) {
        // A secret created empty by Terraform has no version yet.
        if (error instanceof ResourceNotFoundException || (error as { name?: string }).name === "ResourceNotFoundException") return undefined;
        throw error;
      }
    },
    async put(secretId, value, version = {}) {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value, ClientRequestToken: version.token, VersionStages: version.stages }));
    },
    async currentVersionId(secretId) {
      const described = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes("AWSCURRENT"))?.[0];
    },
    async promote(secretId, versionId, fromVersionId) {
      await client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: "AWSCURRENT", MoveToVersionId: versionId, RemoveFromVersionId: fromVersionId }));
    },
  };
}
