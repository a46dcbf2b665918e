import { describe, expect, it } from "vitest";
import { DatabaseEndpoint, DatabaseEndpointProps } from "../../modules/dms/database-endpoint.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const base: DatabaseEndpointProps = {
  endpointId: "dms-lz-dev-target",
  endpointType: "target",
  engine: "aurora-postgresql",
  databaseName: "appdb",
  secretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:dms-target-AbC123",
  accessRoleArn: "arn:aws:iam::111122223333:role/dms-lz-dev-dms-secrets",
  serverName: "vpce-0123.vpce-svc-0456.us-east-1.vpce.amazonaws.com",
  port: 5432,
};

function endpoint(props: Partial<DatabaseEndpointProps> = {}) {
  let created: DatabaseEndpoint | undefined;
  const json = synthConstruct((scope) => (created = new DatabaseEndpoint(scope, "target", { ...base, ...props })));
  return { json, endpoint: onlyResource(json, "aws_dms_endpoint"), created: created! };
}

describe("DatabaseEndpoint", () => {
  it("authenticates through Secrets Manager only, with TLS required by default", () => {
    const { endpoint: resource } = endpoint();
    expect(resource).toMatchObject({
      endpoint_id: "dms-lz-dev-target",
      endpoint_type: "target",
      engine_name: "aurora-postgresql",
      database_name: "appdb",
      secrets_manager_arn: base.secretArn,
      secrets_manager_access_role_arn: base.accessRoleArn,
      ssl_mode: "require",
    });
    for (const key of ["username", "password", "server_name", "port"]) expect(resource).not.toHaveProperty(key);
  });

  it("publishes the host and port the secret must hold, since DMS reads them from the secret", () => {
    const { created } = endpoint();
    expect(created.serverName).toBe(base.serverName);
    expect(created.port).toBe(5432);
  });

  it("creates a DMS certificate from a PEM for verify-full, and uses an existing one by ARN", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const { json, endpoint: resource } = endpoint({ sslMode: "verify-full", certificatePem: pem });
    expect(onlyResource(json, "aws_dms_certificate")).toMatchObject({ certificate_id: "dms-lz-dev-target-ca", certificate_pem: pem });
    expect(resource).toMatchObject({ ssl_mode: "verify-full", certificate_arn: "${aws_dms_certificate.target_certificate.certificate_arn}" });
    const byArn = endpoint({ sslMode: "verify-ca", certificateArn: "arn:aws:dms:us-east-1:111122223333:cert:ABC" });
    expect(resourcesOf(byArn.json, "aws_dms_certificate")).toEqual({});
    expect(byArn.endpoint.certificate_arn).toBe("arn:aws:dms:us-east-1:111122223333:cert:ABC");
  });

  it("passes PostgreSQL settings (heartbeat, slot, plugin, DDL capture) into postgres_settings", () => {
    const { endpoint: resource } = endpoint({
      endpointType: "source",
      engine: "postgres",
      postgres: { heartbeatEnable: true, heartbeatFrequency: 5, slotName: "dms_slot", pluginName: "pglogical", captureDdls: false, mapBooleanAsBoolean: true },
    });
    expect(resource.postgres_settings).toEqual({ heartbeat_enable: true, heartbeat_frequency: 5, slot_name: "dms_slot", plugin_name: "pglogical", capture_ddls: false, map_boolean_as_boolean: true });
  });

  it("writes the SQL Server capture choices as extra connection attributes (the 5.100 provider has no settings block)", () => {
    const { endpoint: resource } = endpoint({ endpointType: "source", engine: "sqlserver", sqlServer: { capture: "ms-replication", safeguardPolicy: "exclusive-automatic-truncation", readBackupOnly: true } });
    expect(resource).toMatchObject({ engine_name: "sqlserver", extra_connection_attributes: "safeguardPolicy=EXCLUSIVE_AUTOMATIC_TRUNCATION;readBackupOnly=Y;" });
    const rds = endpoint({ endpointType: "source", engine: "sqlserver", sqlServer: { capture: "ms-cdc", platform: "rds" } });
    expect(rds.endpoint).not.toHaveProperty("extra_connection_attributes");
    expect(rds.created.sqlServerCapture).toBe("ms-cdc");
  });

  it.each([
    ["self-managed MS-CDC skips MS-Replication", { capture: "ms-cdc" }, "ignoreMsReplicationEnablement=true;"],
    ["DMS enables MS-CDC itself", { capture: "ms-cdc", setUpMsCdcForTables: true }, "ignoreMsReplicationEnablement=true;SetUpMsCdcForTables=true;"],
    ["MS-Replication, MS-CDC for tables without keys set up by DMS", { capture: "ms-replication", setUpMsCdcForTables: true }, "SetUpMsCdcForTables=true;"],
    ["full load only: nothing to capture", { capture: "full-load-only" }, undefined],
  ] as const)("SQL Server capture reaches the endpoint: %s", (_name, sqlServer, attributes) => {
    const { endpoint: resource } = endpoint({ endpointType: "source", engine: "sqlserver", sqlServer });
    expect(resource.extra_connection_attributes).toBe(attributes);
  });

  it.each([
    ["MS-Replication on RDS", { capture: "ms-replication", platform: "rds" }, /RDS for SQL Server does not support MS-Replication/],
    ["DMS setting up MS-CDC on RDS (no sysadmin)", { capture: "ms-cdc", platform: "rds", setUpMsCdcForTables: true }, /never grants/],
    ["setting up MS-CDC for a full-load-only source", { capture: "full-load-only", setUpMsCdcForTables: true }, /no MS-CDC to set up/],
  ] as const)("refuses a SQL Server capture AWS refuses: %s", (_name, sqlServer, message) => {
    expect(() => endpoint({ endpointType: "source", engine: "sqlserver", sqlServer })).toThrow(message);
  });

  it("refuses combinations DMS rejects at apply time", () => {
    expect(() => endpoint({ sslMode: "verify-full" })).toThrow(/needs the CA certificate/);
    expect(() => endpoint({ engine: "sqlserver", sqlServer: { capture: "ms-cdc" } })).toThrow(/SQL Server is supported as a source only/);
    expect(() => endpoint({ endpointType: "source", engine: "sqlserver" })).toThrow(/needs sqlServer settings/);
    expect(() => endpoint({ endpointType: "source", engine: "sqlserver", sqlServer: { capture: "ms-cdc" }, sslMode: "verify-ca", certificateArn: "arn:x" })).toThrow(/not verify-ca/);
    expect(() => endpoint({ sqlServer: { capture: "ms-cdc" } })).toThrow(/SQL Server sources only/);
  });
});
