// What change data capture needs on the source: logical WAL, a free replication slot and WAL
// sender per task, a wal_sender_timeout DMS accepts, and a role allowed to replicate.
import type { Finding } from "../findings.js";
import type { SourceContext } from "./context.js";

export async function cdcFindings(context: SourceContext): Promise<Finding[]> {
  const { facts } = context;
  const findings: Finding[] = [walLevelFinding(context)];

  const { rows } = await context.client.query(
    `SELECT (SELECT count(*) FROM pg_replication_slots)::int AS slots_used,
            (SELECT string_agg(slot_name, ', ' ORDER BY slot_name) FROM pg_replication_slots WHERE NOT active) AS inactive_slots,
            (SELECT count(*) FROM pg_stat_replication)::int AS senders_used`,
  );
  const usage = rows[0];
  const maxSlots = Number(facts.settings.get("max_replication_slots") ?? 0);
  const freeSlots = maxSlots - usage.slots_used;
  findings.push(
    freeSlots > 0
      ? { check: "replication-slots", severity: "info", object: "source", detail: `${freeSlots} of ${maxSlots} replication slots free (each DMS CDC task uses one)`, fix: "" }
      : {
          check: "replication-slots",
          severity: "blocker",
          object: "source",
          detail: `no free replication slot: ${usage.slots_used} of max_replication_slots = ${maxSlots} in use; each DMS CDC task needs one`,
          fix: "Raise max_replication_slots (needs a restart) or drop slots nobody uses with pg_drop_replication_slot(name)",
        },
  );
  if (usage.inactive_slots) {
    findings.push({
      check: "replication-slots",
      severity: "warning",
      object: "source",
      detail: `inactive replication slots hold back WAL until they are consumed or dropped: ${usage.inactive_slots}`,
      fix: "Drop slots left by old tasks: SELECT pg_drop_replication_slot('<name>')",
    });
  }

  const maxSenders = Number(facts.settings.get("max_wal_senders") ?? 0);
  const freeSenders = maxSenders - usage.senders_used;
  findings.push(
    freeSenders > 0
      ? { check: "wal-senders", severity: "info", object: "source", detail: `${freeSenders} of ${maxSenders} WAL senders free (each running DMS CDC task uses one)`, fix: "" }
      : {
          check: "wal-senders",
          severity: "blocker",
          object: "source",
          detail: `no free WAL sender: ${usage.senders_used} of max_wal_senders = ${maxSenders} in use`,
          fix: "Raise max_wal_senders (needs a restart)",
        },
  );

  // The user guide: DMS fails when wal_sender_timeout is between 0 and 10 seconds (0 disables it).
  const senderTimeoutMs = Number(facts.settings.get("wal_sender_timeout") ?? 0);
  if (senderTimeoutMs > 0 && senderTimeoutMs < 10_000) {
    findings.push({
      check: "wal-sender-timeout",
      severity: "blocker",
      object: "source",
      detail: `wal_sender_timeout = ${senderTimeoutMs} ms; DMS needs 0 (off) or at least 10000 ms`,
      fix: "Set wal_sender_timeout to 0 or between 10s and 5min",
    });
  }

  findings.push(replicationPrivilegeFinding(context));
  return findings;
}

function walLevelFinding({ facts }: SourceContext): Finding {
  const walLevel = facts.settings.get("wal_level");
  if (walLevel === "logical") {
    return { check: "wal-level", severity: "info", object: "source", detail: "wal_level = logical", fix: "" };
  }
  if (facts.rds || facts.aurora) {
    return {
      check: "wal-level",
      severity: "blocker",
      object: "source",
      detail: `wal_level = ${walLevel} (rds.logical_replication = ${facts.settings.get("rds.logical_replication") ?? "?"}): CDC needs logical decoding`,
      fix: `Set rds.logical_replication = 1 in the DB ${facts.aurora ? "cluster " : ""}parameter group and reboot`,
    };
  }
  return {
    check: "wal-level",
    severity: "blocker",
    object: "source",
    detail: `wal_level = ${walLevel}: CDC needs logical decoding`,
    fix: "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL",
  };
}

function replicationPrivilegeFinding({ facts }: SourceContext): Finding {
  const how = facts.superuser
    ? "is a superuser"
    : facts.replicationRole
      ? "has REPLICATION"
      : facts.rdsReplication
        ? "is a member of rds_replication"
        : undefined;
  if (how) {
    return { check: "replication-privilege", severity: "info", object: "source", detail: `role ${facts.user} ${how}`, fix: "" };
  }
  return {
    check: "replication-privilege",
    severity: "blocker",
    object: "source",
    detail: `role ${facts.user} can neither create replication slots nor stream changes (no REPLICATION, not in rds_replication)`,
    fix:
      facts.rds || facts.aurora
        ? `GRANT rds_replication TO ${facts.userSql};`
        : `ALTER ROLE ${facts.userSql} REPLICATION;`,
  };
}
