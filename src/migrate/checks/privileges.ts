// The connecting role must be able to read every table in scope (full load reads them all).
import type { Finding } from "../findings.js";
import type { SourceContext } from "./context.js";

export function selectPrivilegeFindings(context: SourceContext): Finding[] {
  const user = context.facts.userSql;
  const missing = context.tables.filter((t) => !t.canSelect || !t.schemaUsage);
  return missing.map((table) => {
    const grants = [
      ...(table.schemaUsage ? [] : [`GRANT USAGE ON SCHEMA ${table.schemaDisplayName} TO ${user};`]),
      ...(table.canSelect ? [] : [`GRANT SELECT ON ${table.displayName} TO ${user};`]),
    ];
    const lacking = [...(table.schemaUsage ? [] : ["USAGE on its schema"]), ...(table.canSelect ? [] : ["SELECT"])];
    return {
      check: "select-privilege",
      severity: "blocker" as const,
      object: table.displayName,
      detail: `role ${context.facts.user} lacks ${lacking.join(" and ")}: DMS cannot read the table`,
      fix: grants.join(" "),
    };
  });
}
