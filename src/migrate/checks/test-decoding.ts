// Proves logical decoding works end to end (--test-decoding): creates a temporary logical slot
// with test_decoding (the plugin DMS uses when pglogical is absent), writes a logical message,
// reads it back through the slot, and drops the slot.
import type { Finding } from "../findings.js";
import type { SourceContext } from "./context.js";

export async function testDecodingFindings(context: SourceContext): Promise<Finding[]> {
  const { client, facts } = context;
  const slot = `dms_lz_preflight_${process.pid}_${Date.now()}`;
  // Temporary slots (PostgreSQL 10+) vanish with the session even if the drop below never runs.
  const temporary = facts.versionNum >= 100_000 ? ", true" : "";
  let created = false;
  try {
    // Creating a slot waits for running transactions to end; don't wait forever on a busy source.
    await client.query("SET statement_timeout = '30s'");
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'test_decoding'${temporary})`, [slot]);
    created = true;
    const marker = `dms-lz preflight ${slot}`;
    const emitted = await emitMessage(context, marker);
    const { rows } = await client.query("SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL)", [slot]);
    const decoded = rows.some((row) => String(row.data).includes(marker));
    if (emitted && !decoded) {
      return [
        {
          check: "test-decoding",
          severity: "blocker",
          object: "source",
          detail: "a temporary test_decoding slot was created, but a logical message written after it did not come back through it",
          fix: "Check the server log for logical decoding errors",
        },
      ];
    }
    return [
      {
        check: "test-decoding",
        severity: "info",
        object: "source",
        detail: emitted
          ? "logical decoding works: a temporary test_decoding slot decoded a test message"
          : "a temporary test_decoding slot was created and read (this role may not write logical messages, so no change was decoded)",
        fix: "",
      },
    ];
  } catch (error) {
    return [
      {
        check: "test-decoding",
        severity: "blocker",
        object: "source",
        detail: `cannot decode changes with test_decoding: ${(error as Error).message}`,
        fix: "Check wal_level, the REPLICATION privilege and a free replication slot (see the findings above); self-managed servers need the test_decoding plugin (PostgreSQL contrib)",
      },
    ];
  } finally {
    if (created) await client.query("SELECT pg_drop_replication_slot($1)", [slot]).catch(() => undefined);
    await client.query("RESET statement_timeout").catch(() => undefined);
  }
}

/**
 * Writes a transactional logical message and commits it with synchronous_commit on: a slot
 * decodes only flushed WAL, and an asynchronous commit could leave the message unflushed.
 */
async function emitMessage({ client }: SourceContext, marker: string): Promise<boolean> {
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL synchronous_commit = on");
    await client.query("SELECT pg_logical_emit_message(true, 'dms-lz', $1)", [marker]);
    await client.query("COMMIT");
    return true;
  } catch {
    await client.query("ROLLBACK").catch(() => undefined);
    return false;
  }
}
