// Cross-field checks of the `csv_pipeline` section. The loads are validated by the handler's own
// CSV_LOADS parser, so config time and run time agree on what a valid load is.
import { parseLoadRules } from "../../../modules/csv-pipeline/handler/load-rules.js";
import { ConfigIssue, FileOf, issueCollector } from "../errors.js";
import type { EnvironmentConfig } from "../schema.js";
import { PROTECTED_BY_DEFAULT } from "../to-props.js";


export function csvPipelineIssues(config: EnvironmentConfig, dirName: string, fileOf: FileOf): ConfigIssue[] {
  const pipeline = config.csv_pipeline;
  if (!pipeline.enabled) return [];
  const { issues, issue } = issueCollector(fileOf);

  if (!config.database.enabled) {
    issue(["csv_pipeline", "enabled"], "the CSV pipeline loads into the target database, which is not enabled", "true", "database.enabled true, or csv_pipeline.enabled false");
  }
  if (pipeline.loads.length === 0) {
    issue(["csv_pipeline", "loads"], "no loads configured", "an empty list", "at least one { prefix, table, mode }");
  }
  const isProtected = config.protected ?? PROTECTED_BY_DEFAULT.includes(config.environment ?? dirName);
  if (pipeline.force_destroy && isProtected) {
    issue(["csv_pipeline", "force_destroy"], "force_destroy in a protected environment", "true", "false: a protected inbox is never emptied by terraform destroy");
  }

  const rules = pipeline.loads.map(({ allow_empty, ...rest }) => ({ ...rest, ...(allow_empty === undefined ? {} : { allowEmpty: allow_empty }) }));
  for (const problem of parseLoadRules(JSON.stringify(rules)).problems) {
    const match = /^CSV_LOADS\[(\d+)\](?:\.(\w+))?[^:]*: (.*)$/.exec(problem);
    const path = match ? ["csv_pipeline", "loads", Number(match[1]), ...(match[2] ? [match[2] === "allowEmpty" ? "allow_empty" : match[2]] : [])] : ["csv_pipeline", "loads"];
    issue(path, match ? match[3] : problem, undefined, "a load the handler accepts (see docs/csv-pipeline.md)");
  }
  pipeline.loads.forEach((load, index) => {
    pipeline.loads.forEach((other, otherIndex) => {
      if (otherIndex > index && (other.prefix.startsWith(load.prefix) || load.prefix.startsWith(other.prefix))) {
        issue(["csv_pipeline", "loads", otherIndex, "prefix"], `overlaps the prefix of load ${index} ("${load.prefix}"); S3 refuses overlapping notifications`, JSON.stringify(other.prefix), "prefixes where neither starts with the other");
      }
    });
    if (pipeline.post_load_action === "move" && /^(processed|failed)\//.test(load.prefix)) {
      issue(["csv_pipeline", "loads", index, "prefix"], "with post_load_action move, processed/ and failed/ hold moved objects", JSON.stringify(load.prefix), "a prefix outside processed/ and failed/");
    }
  });
  return issues;
}
