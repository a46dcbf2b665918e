// The capabilities put together: every cross-field check, and the mapping of a validated config to
// the environment stack's typed props. Each capability's own rules live in its module.
import type { EnvironmentStackProps } from "../../stacks/environment-stack.js";
import { adoptionChecks, importProps } from "./adoption.js";
import { applicationProps, parameterNamesProps, parametersCheck, parameterPath } from "./application.js";
import type { CrossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { csvPipelineCheck, csvPipelineProps } from "./csv-pipeline.js";
import { databaseCheck, databaseSettings, targetDatabaseProps } from "./database.js";
import { dmsCheck, dmsProps } from "./dms.js";
import { environmentCheck, stateBackendProps, tagProps } from "./environment.js";
import { mediaChecks, mediaProps } from "./media.js";
import { networkChecks, networkProps } from "./network.js";
import { operationsProps } from "./operations.js";
import { policyCheck } from "./policy.js";
import type { EnvironmentConfig } from "./schema.js";
import { secretsCheck, secretsProps } from "./secrets.js";
import { sourceCheck, sourceDatabaseProps, sourcesCheck } from "./source.js";
import { inertTemplateText } from "./template-text.js";

export const CROSS_CHECKS: readonly CrossCheck[] = [
  ...networkChecks,
  sourceCheck,
  sourcesCheck,
  environmentCheck,
  ...mediaChecks,
  csvPipelineCheck,
  ...adoptionChecks,
  policyCheck,
  databaseCheck,
  secretsCheck,
  parametersCheck,
  dmsCheck,
];

/**
 * The stack's props. Every string that reaches Terraform is made inert (template-text.ts); the
 * stack's name is a directory and the backend block is never evaluated, so those two are not.
 */
export function toStackProps(config: EnvironmentConfig, context: ConfigContext): EnvironmentStackProps {
  const { stackName, backend, ...terraformValues } = stackProps(config, context);
  return { stackName, backend, ...inertTemplateText(terraformValues) };
}

function stackProps(config: EnvironmentConfig, context: ConfigContext): EnvironmentStackProps {
  return {
    stackName: context.dirName,
    environment: context.environment,
    project: context.project,
    region: config.region,
    accountId: config.account_id,
    protected: context.isProtected,
    tags: tagProps(config, context),
    backend: stateBackendProps(config, context),
    network: networkProps(config, context),
    parameterPath: parameterPath(config, context),
    application: applicationProps(config),
    database: {
      target: targetDatabaseProps(config, context),
      sources: sourceDatabaseProps(config, context, databaseSettings(config, context)),
      secrets: secretsProps(config, context),
      parameterNames: parameterNamesProps(config),
    },
    media: mediaProps(config, context),
    csvPipeline: csvPipelineProps(config, context),
    imports: importProps(config),
    dms: dmsProps(config, context),
    operations: operationsProps(config),
  };
}
