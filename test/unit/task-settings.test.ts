import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTaskSettings, LOG_COMPONENTS } from "../../modules/dms/task-settings.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What DescribeReplicationTasks returns for a task created without settings (see the fixture's _comment). */
const described = (() => {
  const { _comment, ...document } = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "dms-described-task-settings.json"), "utf8"));
  return document as { [key: string]: Json };
})();

// The comparison hashicorp/aws 5.100 uses to decide whether replication_task_settings changed
// (internal/service/dms/task_settings_json.go: suppressEquivalentTaskSettings, taskSettingsEqual,
// normalizeLogComponents), ported so the test can show a clean plan after apply.
function normalizeLogComponents(logging: { [key: string]: Json } | null | undefined): void {
  if (!logging || !Array.isArray(logging.LogComponents)) return;
  logging.LogComponents = Object.fromEntries((logging.LogComponents as { Id: string; Severity: string }[]).map((c) => [c.Id, c.Severity]));
}
function taskSettingsEqual(state: Json | undefined, proposed: Json | undefined): boolean {
  if (proposed === null || proposed === undefined) return true;
  if (typeof state === "boolean" || typeof state === "number" || typeof state === "string") return state === proposed;
  if (state !== null && typeof state === "object" && !Array.isArray(state)) {
    if (proposed === null || typeof proposed !== "object" || Array.isArray(proposed)) return false;
    const remaining = { ...proposed };
    for (const [key, value] of Object.entries(state)) {
      if (!taskSettingsEqual(value, remaining[key])) return false;
      delete remaining[key];
    }
    return Object.keys(remaining).length === 0;
  }
  return false;
}
function providerSeesNoChange(stateText: string, proposedText: string): boolean {
  const state = JSON.parse(stateText);
  const proposed = JSON.parse(proposedText);
  if (state.Logging) {
    delete state.Logging.CloudWatchLogGroup;
    delete state.Logging.CloudWatchLogStream;
    normalizeLogComponents(state.Logging);
  }
  if (proposed.Logging) normalizeLogComponents(proposed.Logging);
  return taskSettingsEqual(state, proposed);
}

/** DMS keeps what a task was created with and fills in the rest from its defaults. */
function storedByDms(sent: { [key: string]: Json }): { [key: string]: Json } {
  const merge = (base: Json, over: Json): Json => {
    if (base && over && typeof base === "object" && typeof over === "object" && !Array.isArray(base) && !Array.isArray(over)) {
      const out: { [key: string]: Json } = { ...base };
      for (const [key, value] of Object.entries(over)) out[key] = key in base ? merge(base[key], value) : value;
      return out;
    }
    return over;
  };
  const stored = merge(described, sent) as { [key: string]: Json };
  // Logging on: DMS reports the log group and stream it created.
  const logging = stored.Logging as { [key: string]: Json };
  if (logging.EnableLogging) Object.assign(logging, { CloudWatchLogGroup: "dms-tasks-dms-lz-dev", CloudWatchLogStream: "dms-task-ABCDEFGHIJ" });
  return stored;
}

/** Every key path of a document, `Section.Key`. */
function keyPaths(document: { [key: string]: Json }, prefix = ""): string[] {
  return Object.entries(document).flatMap(([key, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? keyPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("buildTaskSettings", () => {
  const settings = buildTaskSettings();
  const text = JSON.stringify(settings);

  it("is a JSON document with DMS row validation and logging on, limited LOB mode at 32 KB", () => {
    const parsed = JSON.parse(text);
    expect(parsed.ValidationSettings.EnableValidation).toBe(true);
    expect(parsed.Logging.EnableLogging).toBe(true);
    expect(parsed.TargetMetadata).toMatchObject({ SupportLobs: true, LimitedSizeLobMode: true, FullLobMode: false, LobMaxSize: 32 });
    expect(parsed.FullLoadSettings).toMatchObject({ MaxFullLoadSubTasks: 8, TargetTablePrepMode: "DROP_AND_CREATE" });
  });

  it("carries every key of every section DMS returns, so nothing is left to DMS's discretion", () => {
    const sent = keyPaths(settings as { [key: string]: Json });
    const missing = keyPaths(described).filter(
      (path) => !sent.includes(path) && !["Logging.CloudWatchLogGroup", "Logging.CloudWatchLogStream", "ControlTablesSettings.historyTimeslotInMinutes"].includes(path),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(settings).sort()).toEqual(Object.keys(described).sort());
  });

  it("sends only keys DMS echoes back: a key it drops would show as a change on every plan", () => {
    const echoed = keyPaths(described);
    expect(keyPaths(settings as { [key: string]: Json }).filter((path) => !echoed.includes(path))).toEqual([]);
    const ids = (described.Logging as { LogComponents: { Id: string }[] }).LogComponents.map((c) => c.Id);
    expect(LOG_COMPONENTS.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("never sets the read-only CloudWatch log group or stream (terraform-provider-aws #21512)", () => {
    expect(text).not.toMatch(/CloudWatchLog(Group|Stream)/);
  });

  it("plans clean after apply under the provider's comparison, for defaults and for tuned options", () => {
    for (const options of [{}, { lobMode: "full" as const, lobChunkSizeKb: 128, validation: false, logging: false, maxFullLoadSubTasks: 16, targetTablePrepMode: "TRUNCATE_BEFORE_LOAD" as const, batchApply: true, controlSchema: "dms_control" }]) {
      const sent = buildTaskSettings(options) as { [key: string]: Json };
      expect(providerSeesNoChange(JSON.stringify(storedByDms(sent)), JSON.stringify(sent))).toBe(true);
    }
  });

  it("the ported comparison does report the known perpetual diffs (so the test above can fail)", () => {
    const sent = buildTaskSettings() as { [key: string]: Json };
    const withDroppedKey = { ...sent, TTSettings: { EnableTT: false, FailTaskOnTTFailure: false } }; // #43974
    expect(providerSeesNoChange(JSON.stringify(storedByDms(sent)), JSON.stringify(withDroppedKey))).toBe(false);
    const rewritten = storedByDms(sent);
    (rewritten.TargetMetadata as { [key: string]: Json }).LobMaxSize = 64;
    expect(providerSeesNoChange(JSON.stringify(rewritten), JSON.stringify(sent))).toBe(false);
  });

  it("omits EnableLogContext with logging off, as the provider's validation requires", () => {
    const off = buildTaskSettings({ logging: false }).Logging as Record<string, unknown>;
    expect(off.EnableLogging).toBe(false);
    expect(off).not.toHaveProperty("EnableLogContext");
  });

  it("maps the LOB modes and rejects nonsense sizes", () => {
    expect(buildTaskSettings({ lobMode: "none" }).TargetMetadata).toMatchObject({ SupportLobs: false, FullLobMode: false, LimitedSizeLobMode: false });
    expect(buildTaskSettings({ lobMode: "full", lobChunkSizeKb: 128 }).TargetMetadata).toMatchObject({ SupportLobs: true, FullLobMode: true, LimitedSizeLobMode: false, LobChunkSize: 128 });
    expect(() => buildTaskSettings({ lobMaxSizeKb: 0 })).toThrow(/lobMaxSizeKb must be a positive integer/);
    expect(() => buildTaskSettings({ maxFullLoadSubTasks: 2.5 })).toThrow(/maxFullLoadSubTasks/);
  });
});
