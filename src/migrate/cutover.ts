// What a team checks on cutover day, after DMS has copied the data and before the application
// writes to the target: DMS copies rows, not sequence values, so every serial and identity
// sequence on the target still starts where DDL left it; a CDC task leaves a logical slot (and
// perhaps a publication and DMS's DDL-capture objects) on the source that retains WAL forever once
// the task is gone; and a load that disabled triggers or added constraints NOT VALID leaves them so.
// Sequences are the one thing fixed here (--apply, one transaction, idempotent); everything on the
// source is only reported with its SQL, never dropped, because the source is still production.
import type pg from "pg";
import { listTables, type TableInfo } from "./catalog.js";
import { connect, describeConnection, type ConnectionSpec } from "./connection.js";
import { sortFindings, type Finding } from "./findings.js";
import type { TableSelector } from "./scope.js";
import { quoteIdent } from "./sql.js";

export interface CutoverOptions {
  readonly source: ConnectionSpec;
  readonly target: ConnectionSpec;
  /** Tables whose sequences, triggers, constraints and indexes are checked. @default every user table */
  readonly tables?: readonly TableSelector[];
  readonly excludedTables?: readonly TableSelector[];
  /** Set the target's sequences (one transaction), then check again. @default false */
  readonly apply?: boolean;
}

export interface CutoverReport {
  readonly source: string;
  readonly target: string;
  readonly tablesInScope: number;
  /** Sequences --apply set (empty without --apply). */
  readonly applied: readonly SequenceFix[];
  /** What is left after --apply (or everything found, without it). Blockers first. */
  readonly findings: readonly Finding[];
}

/** A sequence on the target and the value it must be set to (`setval(name, value, true)`). */
export interface SequenceFix {
  /** `schema.sequence`, quoted as quote_ident quotes it. */
  readonly sequence: string;
  /** The highest value already used: the data's max (min for a descending sequence) or the source's last value. */
  readonly value: bigint;
  /** The value the next nextval() on the target would return. */
  readonly targetNext: bigint;
  /** The columns the sequence feeds, `schema.table.column`. */
  readonly feeds: readonly string[];
}

export async function runCutover(options: CutoverOptions): Promise<CutoverReport> {
  const source = await connect(options.source);
  let target: pg.Client | undefined;
  try {
    target = await connect(options.target);
    const tables = await listTables(target, { include: options.tables, exclude: options.excludedTables });
    let fixes = await sequenceFixes(source, target, tables);
    const applied: SequenceFix[] = [];
    if (options.apply && fixes.length > 0) {
      await applySequenceFixes(target, fixes);
      applied.push(...fixes);
      fixes = await sequenceFixes(source, target, tables);
    }
    const findings = [
      ...fixes.map(sequenceFinding),
      ...(await sourceLeftoverFindings(source)),
      ...(await targetStateFindings(target, tables)),
    ];
    return {
      source: describeConnection(options.source),
      target: describeConnection(options.target),
      tablesInScope: tables.length,
      applied,
      findings: sortFindings(findings),
    };
  } finally {
    await source.end();
    await target?.end();
  }
}

interface TargetSequence {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly displayName: string;
  readonly increment: bigint;
  readonly lastValue: bigint;
  readonly isCalled: boolean;
  readonly feeds: { readonly tableOid: number; readonly column: string; readonly displayName: string }[];
}

/**
 * Sequences that feed a column of a table in scope: owned ones (serial: dependency type `a`,
 * identity: `i`) and any a column default calls with nextval() (a dependency of the default).
 */
async function targetSequences(target: pg.Client, tables: readonly TableInfo[]): Promise<TargetSequence[]> {
  if (tables.length === 0) return [];
  const { rows } = await target.query(
    `WITH feeds AS (
       SELECT d.objid AS seq_oid, d.refobjid AS table_oid, d.refobjsubid AS attnum
         FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
       UNION
       SELECT d.refobjid, ad.adrelid, ad.adnum
         FROM pg_attrdef ad
         JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                         AND d.refclassid = 'pg_class'::regclass
     )
     SELECT s.oid, n.nspname AS schema, s.relname AS name,
            quote_ident(n.nspname) || '.' || quote_ident(s.relname) AS display_name,
            seq.seqincrement::text AS increment,
            f.table_oid, a.attname AS column_name,
            quote_ident(tn.nspname) || '.' || quote_ident(t.relname) || '.' || quote_ident(a.attname) AS column_display
       FROM feeds f
       JOIN pg_class s ON s.oid = f.seq_oid AND s.relkind = 'S'
       JOIN pg_sequence seq ON seq.seqrelid = s.oid
       JOIN pg_namespace n ON n.oid = s.relnamespace
       JOIN pg_class t ON t.oid = f.table_oid
       JOIN pg_namespace tn ON tn.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = f.table_oid AND a.attnum = f.attnum
      WHERE f.table_oid = ANY($1::oid[])
      ORDER BY n.nspname, s.relname, tn.nspname, t.relname, a.attname`,
    [tables.map((t) => t.oid)],
  );
  const bySequence = new Map<number, TargetSequence>();
  for (const row of rows) {
    let sequence = bySequence.get(row.oid);
    if (!sequence) {
      // last_value and is_called live in the sequence relation itself; read them one by one.
      const state = await target.query(`SELECT last_value::text AS last_value, is_called FROM ${row.display_name}`);
      sequence = {
        oid: row.oid,
        schema: row.schema,
        name: row.name,
        displayName: row.display_name,
        increment: BigInt(row.increment),
        lastValue: BigInt(state.rows[0].last_value),
        isCalled: state.rows[0].is_called,
        feeds: [],
      };
      bySequence.set(row.oid, sequence);
    }
    sequence.feeds.push({ tableOid: row.table_oid, column: row.column_name, displayName: row.column_display });
  }
  return [...bySequence.values()];
}

/** For each sequence on the target, the fix it needs; empty when every sequence is ahead of the data. */
async function sequenceFixes(source: pg.Client, target: pg.Client, tables: readonly TableInfo[]): Promise<SequenceFix[]> {
  const fixes: SequenceFix[] = [];
  for (const sequence of await targetSequences(target, tables)) {
    const ascending = sequence.increment > 0n;
    const used = [...(await dataExtremes(target, sequence, tables, ascending)), ...(await sourceUsedValue(source, sequence))];
    if (used.length === 0) continue;
    const value = used.reduce((a, b) => (ascending ? (b > a ? b : a) : b < a ? b : a));
    const targetNext = sequence.isCalled ? sequence.lastValue + sequence.increment : sequence.lastValue;
    const behind = ascending ? targetNext <= value : targetNext >= value;
    if (behind) fixes.push({ sequence: sequence.displayName, value, targetNext, feeds: sequence.feeds.map((f) => f.displayName) });
  }
  return fixes;
}

/** The highest (lowest, for a descending sequence) value in each column the sequence feeds. */
async function dataExtremes(target: pg.Client, sequence: TargetSequence, tables: readonly TableInfo[], ascending: boolean): Promise<bigint[]> {
  const values: bigint[] = [];
  for (const feed of sequence.feeds) {
    const table = tables.find((t) => t.oid === feed.tableOid);
    if (!table) continue;
    const aggregate = ascending ? "max" : "min";
    const { rows } = await target.query(`SELECT ${aggregate}(${quoteIdent(feed.column)})::text AS value FROM ${table.displayName}`);
    if (rows[0].value !== null) values.push(BigInt(rows[0].value));
  }
  return values;
}

/** The last value the source's sequence of the same name handed out, when it exists and was used. */
async function sourceUsedValue(source: pg.Client, sequence: TargetSequence): Promise<bigint[]> {
  // pg_sequences.last_value is NULL when the sequence was never used or cannot be read.
  const { rows } = await source.query(
    `SELECT last_value::text AS last_value FROM pg_sequences WHERE schemaname = $1 AND sequencename = $2`,
    [sequence.schema, sequence.name],
  );
  return rows.length > 0 && rows[0].last_value !== null ? [BigInt(rows[0].last_value)] : [];
}

/** Sets every sequence in one transaction, so a failure leaves none half-set. */
async function applySequenceFixes(target: pg.Client, fixes: readonly SequenceFix[]): Promise<void> {
  await target.query("BEGIN");
  try {
    for (const fix of fixes) await target.query("SELECT setval($1::regclass, $2::bigint, true)", [fix.sequence, fix.value.toString()]);
    await target.query("COMMIT");
  } catch (error) {
    await target.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export function setvalSql(fix: SequenceFix): string {
  return `SELECT setval('${fix.sequence.replaceAll("'", "''")}', ${fix.value}, true);`;
}

function sequenceFinding(fix: SequenceFix): Finding {
  return {
    check: "sequence-behind",
    severity: "blocker",
    object: fix.sequence,
    detail: `the next value on the target is ${fix.targetNext}, but ${fix.value} is already used (feeds ${fix.feeds.join(", ")}): the first insert collides with an existing key`,
    fix: `dms-lz cutover --apply, or on the target: ${setvalSql(fix)}`,
  };
}

/** Replication slots, publications and DMS's DDL-capture objects left on the source. */
async function sourceLeftoverFindings(source: pg.Client): Promise<Finding[]> {
  const findings: Finding[] = [];
  const slots = await source.query(
    `SELECT slot_name, plugin, database, active,
            COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint::text AS retained_bytes
       FROM pg_replication_slots WHERE slot_type = 'logical' ORDER BY slot_name`,
  );
  for (const slot of slots.rows) {
    const retained = `${(Number(slot.retained_bytes) / 1024 / 1024).toFixed(1)} MB of WAL retained`;
    findings.push({
      check: "replication-slot",
      severity: slot.active ? "warning" : "blocker",
      object: `source slot ${slot.slot_name}`,
      detail: slot.active
        ? `logical slot (${slot.plugin}, database ${slot.database}) is in use by a running task; ${retained}`
        : `logical slot (${slot.plugin}, database ${slot.database}) has no consumer and keeps WAL until the source's disk is full; ${retained}`,
      fix: `after the last CDC task is stopped and deleted, on the source: SELECT pg_drop_replication_slot('${String(slot.slot_name).replaceAll("'", "''")}');`,
    });
  }
  const publications = await source.query(`SELECT quote_ident(pubname) AS name FROM pg_publication ORDER BY pubname`);
  for (const publication of publications.rows) {
    findings.push({
      check: "publication",
      severity: "warning",
      object: `source publication ${publication.name}`,
      detail: "a publication for logical replication is still defined on the source",
      fix: `when no task uses it, on the source: DROP PUBLICATION ${publication.name};`,
    });
  }
  // DMS installs these to capture DDL during CDC (the CaptureDdls endpoint setting).
  const ddlCapture = await source.query(
    `SELECT 'event trigger' AS kind, quote_ident(evtname) AS name, 'DROP EVENT TRIGGER ' || quote_ident(evtname) || ';' AS sql
       FROM pg_event_trigger WHERE evtname LIKE 'awsdms\\_%'
     UNION ALL
     SELECT 'table', quote_ident(n.nspname) || '.' || quote_ident(c.relname), 'DROP TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ';'
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relname = 'awsdms_ddl_audit'
     UNION ALL
     SELECT 'function', p.oid::regprocedure::text, 'DROP FUNCTION ' || p.oid::regprocedure::text || ';'
       FROM pg_proc p WHERE p.proname = 'awsdms_intercept_ddl'
     ORDER BY 1, 2`,
  );
  for (const object of ddlCapture.rows) {
    findings.push({
      check: "dms-ddl-capture",
      severity: "warning",
      object: `source ${object.kind} ${object.name}`,
      detail: `DMS's DDL capture ${object.kind} is still installed on the source`,
      fix: `when no CDC task runs, on the source: ${object.sql}`,
    });
  }
  return findings;
}

/** Triggers left disabled, constraints left NOT VALID and invalid indexes on the target's tables in scope. */
async function targetStateFindings(target: pg.Client, tables: readonly TableInfo[]): Promise<Finding[]> {
  if (tables.length === 0) return [];
  const oids = [tables.map((t) => t.oid)];
  const findings: Finding[] = [];
  const tableName = (oid: number) => tables.find((t) => t.oid === oid)?.displayName ?? String(oid);

  const triggers = await target.query(
    `SELECT tgrelid AS table_oid, quote_ident(tgname) AS name FROM pg_trigger
      WHERE tgrelid = ANY($1::oid[]) AND NOT tgisinternal AND tgenabled = 'D' ORDER BY tgrelid, tgname`,
    oids,
  );
  for (const trigger of triggers.rows) {
    findings.push({
      check: "trigger-disabled",
      severity: "blocker",
      object: `${tableName(trigger.table_oid)} trigger ${trigger.name}`,
      detail: "the trigger is disabled, so the application's writes will not fire it",
      fix: `on the target: ALTER TABLE ${tableName(trigger.table_oid)} ENABLE TRIGGER ${trigger.name};`,
    });
  }

  const constraints = await target.query(
    `SELECT conrelid AS table_oid, quote_ident(conname) AS name,
            CASE contype WHEN 'f' THEN 'foreign key' ELSE 'check constraint' END AS kind
       FROM pg_constraint WHERE conrelid = ANY($1::oid[]) AND NOT convalidated ORDER BY conrelid, conname`,
    oids,
  );
  for (const constraint of constraints.rows) {
    findings.push({
      check: "constraint-not-valid",
      severity: "blocker",
      object: `${tableName(constraint.table_oid)} ${constraint.kind} ${constraint.name}`,
      detail: `the ${constraint.kind} is NOT VALID: rows loaded before it was added were never checked`,
      fix: `on the target: ALTER TABLE ${tableName(constraint.table_oid)} VALIDATE CONSTRAINT ${constraint.name};`,
    });
  }

  const indexes = await target.query(
    `SELECT i.indrelid AS table_oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indrelid = ANY($1::oid[]) AND NOT i.indisvalid ORDER BY 2`,
    oids,
  );
  for (const index of indexes.rows) {
    findings.push({
      check: "index-invalid",
      severity: "blocker",
      object: `${tableName(index.table_oid)} index ${index.name}`,
      detail: "the index is invalid (a failed CREATE INDEX CONCURRENTLY): queries do not use it and a unique one enforces nothing",
      fix: `on the target: REINDEX INDEX CONCURRENTLY ${index.name};`,
    });
  }
  return findings;
}
