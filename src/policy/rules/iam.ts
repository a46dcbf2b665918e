// IAM policies of the stack's roles: no administrator-style grants.
import type { PlannedResource } from "../plan-resources.js";
import { PolicyStatement, policyStatements } from "../policy-document.js";
import type { PolicyRule } from "../types.js";

const POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"];
const ADMIN_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/** The allow statements of every policy document the resource carries, with where each came from. */
function allowStatements(resource: PlannedResource): { where: string; statement: PolicyStatement }[] {
  const documents =
    resource.type === "aws_iam_role"
      ? Array.from({ length: resource.blockCount("inline_policy") }, (_, index) => ({
          where: `inline_policy ${resource.value<string>("inline_policy", index, "name") ?? index}`,
          statements: policyStatements(resource, "policy", "inline_policy", index),
        }))
      : [{ where: "policy", statements: policyStatements(resource, "policy") }];
  return documents.flatMap(({ where, statements }) => (statements ?? []).filter((statement) => statement.effect === "Allow").map((statement) => ({ where, statement })));
}

const onEveryResource = (statement: PolicyStatement) => statement.resources.includes("*");
const isEveryAction = (action: string) => action === "*" || action === "*:*";
const isServiceWildcard = (action: string) => /^[a-z0-9-]+:\*$/i.test(action);

export const iamRules: readonly PolicyRule[] = [
  {
    id: "LZ-IAM-001",
    title: 'No policy allows "*" actions on "*" resources',
    severity: "error",
    checkov: ["CKV_AWS_62", "CKV_AWS_63"],
    resourceTypes: POLICY_TYPES,
    fix: "List the actions the role needs and the ARNs it needs them on.",
    check: (resource) =>
      allowStatements(resource)
        .filter(({ statement }) => onEveryResource(statement) && (statement.actions.some(isEveryAction) || statement.notActions.length > 0))
        .map(({ where }) => `${where} allows every action on every resource`),
  },
  {
    id: "LZ-IAM-002",
    title: 'No policy allows a whole service ("s3:*") on "*" resources',
    severity: "error",
    checkov: ["CKV_AWS_355"],
    resourceTypes: POLICY_TYPES,
    fix: 'Name the actions (e.g. "s3:GetObject") and scope Resource to the stack\'s ARNs.',
    check: (resource) =>
      allowStatements(resource)
        .filter(({ statement }) => onEveryResource(statement))
        .flatMap(({ where, statement }) => statement.actions.filter(isServiceWildcard).map((action) => `${where} allows ${action} on every resource`)),
  },
  {
    id: "LZ-IAM-003",
    title: "No administrator managed policies attached",
    severity: "error",
    checkov: ["CKV_AWS_274"],
    resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_role"],
    fix: "Attach a policy scoped to what the role does (AWS managed service-role policies such as AmazonDMSVPCManagementRole are fine).",
    check: (resource) => {
      const arns = resource.type === "aws_iam_role" ? (resource.value<string[]>("managed_policy_arns") ?? []) : [resource.value<string>("policy_arn") ?? ""];
      return arns.filter((arn) => ADMIN_POLICIES.test(arn)).map((arn) => `attaches ${arn}`);
    },
  },
];
