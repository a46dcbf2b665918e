import { describe, expect, it } from "vitest";
import { ReplicationTask, ReplicationTaskProps } from "../../modules/dms/replication-task.js";
import { buildTableMappings } from "../../modules/dms/table-mappings.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

const base: ReplicationTaskProps = {
  taskId: "dms-lz-dev-accounts",
  migrationType: "full-load-and-cdc",
  replicationInstanceArn: "arn:aws:dms:us-east-1:111122223333:rep:INSTANCE",
  sourceEndpointArn: "arn:aws:dms:us-east-1:111122223333:endpoint:SOURCE",
  targetEndpointArn: "arn:aws:dms:us-east-1:111122223333:endpoint:TARGET",
  tableMappings: buildTableMappings({ include: [{ schema: "demo_schema", table: "demo_accounts" }] }),
};

function task(props: Partial<ReplicationTaskProps> = {}) {
  const json = synthConstruct((scope) => new ReplicationTask(scope, "accounts", { ...base, ...props }));
  return { resource: onlyResource(json, "aws_dms_replication_task") };
}

describe("ReplicationTask", () => {
  it("is created stopped, with the mapping and the complete settings document as JSON", () => {
    const { resource } = task();
    expect(resource).toMatchObject({ replication_task_id: "dms-lz-dev-accounts", migration_type: "full-load-and-cdc", start_replication_task: false });
    expect(JSON.parse(resource.table_mappings as string)).toEqual(base.tableMappings);
    const settings = JSON.parse(resource.replication_task_settings as string);
    expect(settings.ValidationSettings.EnableValidation).toBe(true);
    expect(settings.Logging).not.toHaveProperty("CloudWatchLogGroup");
    expect(resource).not.toHaveProperty("lifecycle");
  });

  it("starts on request, passes typed settings, and offers the documented ignore switch", () => {
    const { resource } = task({ start: true, settings: { lobMaxSizeKb: 256, targetTablePrepMode: "TRUNCATE_BEFORE_LOAD" }, ignoreSettingsChanges: true });
    expect(resource.start_replication_task).toBe(true);
    expect(JSON.parse(resource.replication_task_settings as string)).toMatchObject({ TargetMetadata: { LobMaxSize: 256 }, FullLoadSettings: { TargetTablePrepMode: "TRUNCATE_BEFORE_LOAD" } });
    expect(resource.lifecycle).toEqual({ ignore_changes: ["replication_task_settings"] });
  });

  it("takes a CDC start time or position for cdc tasks only, and checks the time's format", () => {
    expect(task({ migrationType: "cdc", cdcStartTime: "2026-05-01T00:00:00Z" }).resource.cdc_start_time).toBe("2026-05-01T00:00:00Z");
    expect(task({ migrationType: "cdc", cdcStartPosition: "0/3A2B1C0" }).resource.cdc_start_position).toBe("0/3A2B1C0");
    expect(() => task({ cdcStartTime: "2026-05-01T00:00:00Z" })).toThrow(/migration type "cdc" only, not "full-load-and-cdc"/);
    expect(() => task({ migrationType: "cdc", cdcStartTime: "yesterday" })).toThrow(/neither an RFC 3339 time nor Unix seconds/);
    expect(() => task({ migrationType: "cdc", cdcStartTime: "2026-02-30T00:00:00Z" })).toThrow(/neither an RFC 3339 time/);
    expect(task({ migrationType: "cdc", cdcStartTime: "1714521600" }).resource.cdc_start_time).toBe("1714521600");
    expect(() => task({ migrationType: "cdc", cdcStartTime: "1714521600", cdcStartPosition: "0/1" })).toThrow(/not both/);
  });

  it("refuses an invalid mapping document, naming the rule and field", () => {
    expect(() => task({ tableMappings: { rules: [{ "rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include" }] } })).toThrow(
      /rules\[0\]\.object-locator: missing or not an object/,
    );
  });
});
