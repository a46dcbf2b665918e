// IAM policies of the stack's roles: no administrator-style grants, and no restrictable action on
// every resource. Policies known only after apply are read from their configuration with
// placeholders (see ../policy-document.ts); what still cannot be judged is reported unverifiable.
import type { PlannedResource } from "../plan-resources.js";
import { conditionValues, PolicyStatement, readPolicy } from "../policy-document.js";
import { CheckResult, PolicyRule, unverifiable } from "../types.js";
import { couldEqual, hasPlaceholder } from "../unknown-values.js";

const POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"];
const ADMIN_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/**
 * Actions with no resource-level permission (the Service Authorization Reference lists no resource
 * type for them): "*" is the only Resource they can name. Every other action is restrictable, as
 * checkov's CKV_AWS_355 (cloudsplaining over policy_sentry's action table) treats it; an action
 * missing here is flagged rather than passed. A trailing `*` matches a prefix.
 */
const UNRESTRICTABLE_ACTIONS = [
  "ec2:Describe*",
  "elasticloadbalancing:Describe*",
  // DMS lists (DescribeReplicationTasks, DescribeReplicationInstances) are account-level, filtered by ARN.
  "dms:DescribeReplicationTasks",
  "dms:DescribeReplicationInstances",
  "sts:GetCallerIdentity",
  "kms:ListAliases",
  "kms:ListKeys",
  "secretsmanager:GetRandomPassword",
  "secretsmanager:ListSecrets",
  "ssm:DescribeParameters",
  "cloudwatch:PutMetricData",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "s3:ListAllMyBuckets",
];

const isUnrestrictable = (action: string) =>
  UNRESTRICTABLE_ACTIONS.some((pattern) => (pattern.endsWith("*") ? action.toLowerCase().startsWith(pattern.slice(0, -1).toLowerCase()) && !action.slice(pattern.length - 1).includes("*") : action.toLowerCase() === pattern.toLowerCase()));

interface PolicySource {
  readonly where: string;
  readonly statements?: readonly PolicyStatement[];
  readonly unreadable?: string;
}

/** Every policy document the resource carries, with where each came from. */
function policiesOf(resource: PlannedResource): PolicySource[] {
  const documents =
    resource.type === "aws_iam_role"
      ? Array.from({ length: resource.blockCount("inline_policy") }, (_, index) => ({
          where: `inline_policy ${resource.value<string>("inline_policy", index, "name") ?? index}`,
          read: readPolicy(resource, "policy", "inline_policy", index),
        }))
      : [{ where: "policy", read: readPolicy(resource, "policy") }];
  return documents.flatMap(({ where, read }): PolicySource[] => (read === undefined ? [] : "unreadable" in read ? [{ where, unreadable: read.unreadable }] : [{ where, statements: read.statements }]));
}

/** "yes" / "no" / "maybe": the statement applies to every resource. */
function onEveryResource(statement: PolicyStatement): "yes" | "no" | "maybe" {
  if (statement.notResources.length > 0) return "yes";
  const verdicts = statement.resources.map((resource) => couldEqual(resource, "*"));
  return verdicts.includes("yes") ? "yes" : verdicts.includes("maybe") ? "maybe" : "no";
}

/** Runs `judge` over each Allow statement; unreadable documents are reported unverifiable. */
function overAllowStatements(resource: PlannedResource, judge: (where: string, statement: PolicyStatement) => CheckResult[]): CheckResult[] {
  return policiesOf(resource).flatMap(({ where, statements, unreadable }) =>
    unreadable !== undefined ? [unverifiable(unreadable)] : (statements ?? []).filter((statement) => statement.effect !== "Deny").flatMap((statement) => judge(where, statement)),
  );
}

/**
 * Services that assume roles or use resources on the account's behalf without the account's
 * conditions being knowable to them: EC2 instance profiles carry no source account.
 */
const NO_SOURCE_CONTEXT = new Set(["ec2.amazonaws.com"]);
/** Conditions that tie a service's access to this account's own resources. */
const CONFUSED_DEPUTY_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "kms:EncryptionContext:aws:logs:arn"];

/** Where each resource type keeps a policy that names service principals. */
const SERVICE_POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role: "assume_role_policy",
  aws_sns_topic_policy: "policy",
  aws_sqs_queue_policy: "policy",
  aws_kms_key_policy: "policy",
  aws_kms_key: "policy",
  aws_s3_bucket_policy: "policy",
};

export const iamRules: readonly PolicyRule[] = [
  {
    id: "LZ-IAM-001",
    title: 'No policy allows "*" actions on "*" resources',
    severity: "error",
    checkov: ["CKV_AWS_62", "CKV_AWS_63"],
    resourceTypes: POLICY_TYPES,
    fix: "List the actions the role needs and the ARNs it needs them on.",
    check: (resource) =>
      overAllowStatements(resource, (where, statement) => {
        const everything = statement.notActions.length > 0 ? "yes" : statement.actions.some((action) => couldEqual(action, "*") === "yes" || action === "*:*") ? "yes" : statement.actions.some((action) => couldEqual(action, "*") === "maybe") ? "maybe" : "no";
        const everywhere = onEveryResource(statement);
        if (everything === "yes" && everywhere === "yes") return [`${where} allows every action on every resource`];
        if (everything !== "no" && everywhere !== "no") return [unverifiable(`${where}: an action or resource known only after apply could make it allow every action on every resource`)];
        return [];
      }),
  },
  {
    id: "LZ-IAM-002",
    title: 'No policy allows a restrictable action on "*" resources',
    severity: "error",
    checkov: ["CKV_AWS_355", "CKV_AWS_290"],
    resourceTypes: POLICY_TYPES,
    fix: 'Scope Resource to the stack\'s ARNs (e.g. iam:PassRole on the one role it passes); only actions with no resource-level permission (ec2:Describe*, sts:GetCallerIdentity, ...) may name "*".',
    check: (resource) =>
      overAllowStatements(resource, (where, statement) => {
        const everywhere = onEveryResource(statement);
        if (everywhere === "no") return [];
        const unknownActions = statement.actions.filter(hasPlaceholder);
        const restrictable = statement.actions.filter((action) => !hasPlaceholder(action) && !isUnrestrictable(action));
        if (everywhere === "maybe") return restrictable.length + unknownActions.length > 0 ? [unverifiable(`${where}: a Resource known only after apply could be "*" for ${[...restrictable, ...unknownActions].join(", ")}`)] : [];
        return [
          ...restrictable.map((action) => `${where} allows ${action} on every resource`),
          ...unknownActions.map((action) => unverifiable(`${where}: action ${action} is known only after apply and is allowed on every resource`)),
        ];
      }),
  },
  {
    id: "LZ-IAM-004",
    title: "Service principals are held to this account (confused deputy)",
    severity: "warning",
    checkov: [],
    resourceTypes: Object.keys(SERVICE_POLICY_ATTRIBUTES),
    fix: "Add Condition StringEquals aws:SourceAccount (the account, e.g. split from a created resource's ARN) or ArnLike aws:SourceArn (the resource acting) to each statement that allows a service principal.",
    check: (resource) => {
      const read = readPolicy(resource, SERVICE_POLICY_ATTRIBUTES[resource.type]);
      if (read === undefined) return [];
      if ("unreadable" in read) return [unverifiable(read.unreadable)];
      return read.statements
        .filter((statement) => statement.effect === "Allow")
        .flatMap((statement): CheckResult[] => {
          const services = statement.services.filter((service) => !NO_SOURCE_CONTEXT.has(service));
          if (services.length === 0 || CONFUSED_DEPUTY_KEYS.some((key) => conditionValues(statement, key).length > 0)) return [];
          return [`${services.join(", ")} may act for any account: no aws:SourceAccount or aws:SourceArn condition`];
        });
    },
  },
  {
    id: "LZ-IAM-003",
    title: "No administrator managed policies attached",
    severity: "error",
    checkov: ["CKV_AWS_274"],
    resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_role"],
    fix: "Attach a policy scoped to what the role does (AWS managed service-role policies such as AmazonDMSVPCManagementRole are fine).",
    check: (resource) => {
      const resolved = resource.type === "aws_iam_role" ? resource.resolved("managed_policy_arns") : [resource.resolved("policy_arn")];
      const arns = (Array.isArray(resolved) ? resolved : resolved === undefined ? [] : [resolved]).map(String);
      return arns.flatMap((arn): CheckResult[] => {
        if (ADMIN_POLICIES.test(arn)) return [`attaches ${arn}`];
        // The name decides: `arn:${partition}:iam::aws:policy/X` is as readable as a literal. A policy
        // the stack creates is judged by LZ-IAM-001/002; any other unknown ARN cannot be judged.
        const knownName = /:policy\/[^⟨⟩]+$/.test(arn);
        return hasPlaceholder(arn) && !knownName && !/⟨(module\.[\w-]+\.)*aws_iam_policy\./.test(arn) ? [unverifiable(`attaches ${arn}, known only after apply`)] : [];
      });
    },
  },
];
