// Apply-readiness: what an offline plan accepts and AWS refuses at apply or quietly breaks after it.
// Each rule is one class of first-deploy failure found in review (issue #13); each has a breaking
// fixture. They read references between planned resources, so they judge users' plans the same way.
import { Address4 } from "ip-address";
import type { PlannedResource, PolicyContext } from "../plan-resources.js";
import { configAddress } from "../plan-resources.js";
import { PolicyStatement, readPolicy } from "../policy-document.js";

/** The statements of a policy attribute, or undefined when they cannot be read. */
function policyStatements(resource: PlannedResource, attribute: string): PolicyStatement[] | undefined {
  const read = readPolicy(resource, attribute);
  return read && "statements" in read ? read.statements : undefined;
}
import type { PolicyRule } from "../types.js";

/** Resources of `type` in the plan that an attribute of `resource` refers to. */
function referenced(context: PolicyContext, resource: PlannedResource, attribute: string, type: string): PlannedResource[] {
  return resource.references(attribute).flatMap((address) => {
    const found = context.resource(address);
    return found?.type === type ? [found] : [];
  });
}

/** Whether `resource`'s `attribute` refers to `target`. */
const refersTo = (resource: PlannedResource, attribute: string, target: PlannedResource) => resource.references(attribute).includes(configAddress(target.address));

/** The text of an attribute as synthesized (for values known only after apply, such as jsonencode(...) with ARNs). */
function synthesizedText(resource: PlannedResource, ...path: readonly (string | number)[]): string {
  let value: unknown = resource.synthesized;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  if (value !== undefined) return typeof value === "string" ? value : JSON.stringify(value);
  const planned = resource.value<unknown>(...path);
  return typeof planned === "string" ? planned : JSON.stringify(planned ?? "");
}

// --- LZ-RDY-001: endpoint acceptance ---------------------------------------------------------

const ACCEPTANCE: PolicyRule = {
  id: "LZ-RDY-001",
  title: "An endpoint service that requires acceptance accepts the stack's own endpoints",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_vpc_endpoint_service"],
  fix: "Add an aws_vpc_endpoint_connection_accepter for each endpoint of this stack that connects to the service (the provider counts pendingAcceptance as created, so nothing else ever accepts it), or set acceptance_required = false.",
  check: (service, context) => {
    if (service.value("acceptance_required") !== true) return [];
    const accepters = context.ofType("aws_vpc_endpoint_connection_accepter").filter((accepter) => refersTo(accepter, "vpc_endpoint_service_id", service));
    return context
      .ofType("aws_vpc_endpoint")
      .filter((endpoint) => refersTo(endpoint, "service_name", service))
      .filter((endpoint) => !accepters.some((accepter) => refersTo(accepter, "vpc_endpoint_id", endpoint)))
      .map((endpoint) => `${endpoint.address} connects but nothing accepts it: it stays pendingAcceptance and carries no traffic`);
  },
};

// --- LZ-RDY-002: encrypted topics and the services that publish to them ----------------------

/** Which service principal publishes to a topic, by the resource that names the topic. */
const PUBLISHERS: readonly { type: string; attributes: readonly string[]; service: string }[] = [
  { type: "aws_cloudwatch_metric_alarm", attributes: ["alarm_actions", "ok_actions", "insufficient_data_actions"], service: "cloudwatch.amazonaws.com" },
  { type: "aws_cloudwatch_composite_alarm", attributes: ["alarm_actions", "ok_actions", "insufficient_data_actions"], service: "cloudwatch.amazonaws.com" },
  { type: "aws_cloudwatch_event_target", attributes: ["arn"], service: "events.amazonaws.com" },
];

const admits = (statements: readonly PolicyStatement[] | undefined, service: string, needs: (action: string) => boolean) =>
  (statements ?? []).some((statement) => statement.effect === "Allow" && statement.principals.includes(service) && statement.actions.some(needs));

const KMS_ACTIONS = [/^kms:\*$/, /^kms:GenerateDataKey(\*)?$/];
const needsKms = (action: string) => KMS_ACTIONS.some((pattern) => pattern.test(action));
const needsPublish = (action: string) => action === "sns:Publish" || action === "sns:*";

const ENCRYPTED_TOPIC: PolicyRule = {
  id: "LZ-RDY-002",
  title: "Services publishing to a KMS-encrypted topic are admitted by the key policy and the topic policy",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_sns_topic"],
  fix: "Admit the publishing service (cloudwatch.amazonaws.com for alarms, events.amazonaws.com for EventBridge) in the key policy (kms:GenerateDataKey*, kms:Decrypt) and in the topic policy (sns:Publish), with aws:SourceAccount / aws:SourceArn conditions where the service sets them.",
  check: (topic, context) => {
    if (!topic.isSet("kms_master_key_id")) return [];
    const services = new Set(
      PUBLISHERS.flatMap(({ type, attributes, service }) => (context.ofType(type).some((publisher) => attributes.some((attribute) => refersTo(publisher, attribute, topic))) ? [service] : [])),
    );
    if (services.size === 0) return [];
    const keys = referenced(context, topic, "kms_master_key_id", "aws_kms_key");
    const keyPolicies = keys.flatMap((key) => [
      ...(key.isSet("policy") ? [policyStatements(key, "policy")] : []),
      ...context.ofType("aws_kms_key_policy").filter((policy) => refersTo(policy, "key_id", key)).map((policy) => policyStatements(policy, "policy")),
    ]);
    const topicPolicies = [
      ...(topic.isSet("policy") ? [policyStatements(topic, "policy")] : []),
      ...context.ofType("aws_sns_topic_policy").filter((policy) => refersTo(policy, "arn", topic)).map((policy) => policyStatements(policy, "policy")),
    ];
    const problems: string[] = [];
    for (const service of services) {
      // A key outside the plan (an ARN in config) has a policy this plan cannot see.
      if (keys.length > 0 && !keyPolicies.some((statements) => admits(statements, service, needsKms))) {
        problems.push(`${service} publishes to the topic, but the policy of ${keys.map((key) => key.address).join(", ")} does not let it use the key: every message is dropped`);
      }
      // SNS's default topic policy admits the owner account's CloudWatch alarms, not EventBridge.
      const defaultPolicyAdmits = topicPolicies.length === 0 && service === "cloudwatch.amazonaws.com";
      if (!defaultPolicyAdmits && !topicPolicies.some((statements) => admits(statements, service, needsPublish))) {
        problems.push(`${service} publishes to the topic, but the topic policy does not allow it sns:Publish`);
      }
    }
    return problems;
  },
};

// --- LZ-RDY-003: fixed names on resources replaced before they are destroyed -----------------

/** Types whose name must be unique (per account, region or VPC), so two of one name cannot coexist. */
const UNIQUELY_NAMED = [
  "aws_security_group", "aws_db_parameter_group", "aws_rds_cluster_parameter_group", "aws_db_subnet_group", "aws_db_option_group",
  "aws_launch_template", "aws_lb", "aws_lb_target_group", "aws_iam_role", "aws_iam_policy", "aws_iam_instance_profile",
  "aws_dms_replication_subnet_group", "aws_cloudwatch_log_group", "aws_sqs_queue", "aws_sns_topic", "aws_lambda_function",
];

const FIXED_NAME_REPLACEMENT: PolicyRule = {
  id: "LZ-RDY-003",
  title: "Resources replaced before they are destroyed have generated names",
  severity: "error",
  checkov: [],
  resourceTypes: UNIQUELY_NAMED,
  fix: "Use name_prefix instead of name (the Name tag can carry the readable name), or drop create_before_destroy where destroying first is acceptable.",
  check: (resource) => {
    const block = resource.synthesized;
    const lifecycle = block?.lifecycle as { create_before_destroy?: boolean } | undefined;
    if (lifecycle?.create_before_destroy !== true) return [];
    const name = block?.name;
    return typeof name === "string" && name !== ""
      ? [`create_before_destroy with the fixed name ${JSON.stringify(name)}: the replacement is refused while the old one still holds it (e.g. InvalidGroup.Duplicate, DBParameterGroupAlreadyExists)`]
      : [];
  },
};

// --- LZ-RDY-004: minor-version pins with automatic minor upgrades ----------------------------

/** Whether a PostgreSQL engine version names a minor version ("17.6"; "17" names only the major). */
const pinsMinor = (version: string) => /^\d{2,}\.\d+/.test(version) || /^9\.\d+\.\d+/.test(version);

const MINOR_PIN: PolicyRule = {
  id: "LZ-RDY-004",
  title: "Engine versions pin only the major version where AWS upgrades minors automatically",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_db_instance", "aws_rds_cluster"],
  fix: 'Set engine_version to the major version only (e.g. "17"; AWS picks the minor and the provider keeps the prefix without a diff), or set auto_minor_version_upgrade = false and upgrade minors yourself.',
  check: (db, context) => {
    const version = db.value<string>("engine_version");
    if (!/postgres/.test(db.value<string>("engine") ?? "") || version === undefined || !pinsMinor(version)) return [];
    const upgraders =
      db.type === "aws_db_instance"
        ? [db]
        : [db, ...context.ofType("aws_rds_cluster_instance").filter((instance) => refersTo(instance, "cluster_identifier", db))];
    const automatic = upgraders.filter((resource) => resource.value("auto_minor_version_upgrade") === true);
    return automatic.length > 0
      ? [`engine_version = "${version}" with auto_minor_version_upgrade on ${automatic.map((resource) => resource.address).join(", ")}: after AWS upgrades the minor, the next plan proposes a downgrade that apply cannot make`]
      : [];
  },
};

// --- LZ-RDY-005: policies on roles nothing creates --------------------------------------------

const ROLE_POLICY: PolicyRule = {
  id: "LZ-RDY-005",
  title: "Policies attach to roles the plan creates or looks up",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_instance_profile"],
  fix: "Create the role in the stack (for an application: its role and instance profile), refer to it by reference, or look it up with data.aws_iam_role; a role named only by a string that nothing creates fails with NoSuchEntity in a fresh account.",
  check: (resource, context) => {
    const references = resource.references("role");
    if (references.some((address) => context.resource(address)?.type === "aws_iam_role" || address.includes("data.aws_iam_role."))) return [];
    const name = resource.value<string>("role");
    if (name === undefined) return [];
    const roleName = name.replace(/^arn:[^:]+:iam::\d{12}:role\/(.*\/)?/, "");
    if (context.ofType("aws_iam_role").some((role) => role.value("name") === roleName)) return [];
    return [`role "${roleName}" is neither created nor looked up in this plan`];
  },
};

// --- LZ-RDY-006: first-run start types ---------------------------------------------------------

const START_TASK_TARGET = "arn:aws:scheduler:::aws-sdk:databasemigration:startReplicationTask";
const NOT_FIRST_RUN = /StartReplicationTaskType\W+(reload-target|resume-processing)/;

const FIRST_RUN: PolicyRule = {
  id: "LZ-RDY-006",
  title: "A DMS task's first run is start-replication",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_scheduler_schedule", "aws_dms_replication_config"],
  fix: "Start a task that never ran with start-replication (AWS: any other start type on a first run results in data errors); for a recurring reload, run a state machine that reads the task and picks start-replication or reload-target (the dms module's TaskReloadSchedule).",
  check: (resource, context) => {
    if (resource.type === "aws_dms_replication_config") {
      const type = resource.value<string>("start_replication_type");
      return resource.actions.includes("create") && resource.value("start_replication") === true && type !== undefined && type !== "start-replication"
        ? [`starts a new replication with ${type}`]
        : [];
    }
    if (resource.value<string>("target", 0, "arn") !== START_TASK_TARGET) return [];
    const type = synthesizedText(resource, "target", "input").match(NOT_FIRST_RUN)?.[1] ?? synthesizedText(resource, "target", 0, "input").match(NOT_FIRST_RUN)?.[1];
    if (!type) return [];
    const newTasks = resource
      .references("target")
      .map((address) => context.resource(address))
      .filter((task): task is PlannedResource => task?.type === "aws_dms_replication_task" && task.actions.includes("create"));
    return newTasks.map((task) => `sends ${type} to ${task.address}, which this plan creates and nothing starts first`);
  },
};

// --- LZ-RDY-007: endpoint engine vs database engine --------------------------------------------

const DATABASES = ["aws_db_instance", "aws_rds_cluster"];

/** The databases an endpoint reaches: named directly, or through the secret whose value the stack writes from them. */
function databasesOf(endpoint: PlannedResource, context: PolicyContext): PlannedResource[] {
  const direct = endpoint.references("server_name").flatMap((address) => {
    const found = context.resource(address);
    return found && DATABASES.includes(found.type) ? [found] : [];
  });
  const secrets = endpoint.references("secrets_manager_arn");
  const viaSecret = context
    .ofType("aws_secretsmanager_secret_version")
    .filter((version) => version.references("secret_id").some((address) => secrets.includes(address)))
    .flatMap((version) => ["secret_string", "secret_string_wo"].flatMap((attribute) => version.references(attribute)))
    .flatMap((address) => {
      const found = context.resource(address);
      return found && DATABASES.includes(found.type) ? [found] : [];
    });
  return [...new Map([...direct, ...viaSecret].map((db) => [db.address, db])).values()];
}

const ENDPOINT_ENGINE: PolicyRule = {
  id: "LZ-RDY-007",
  title: "A DMS endpoint's engine_name matches the database it reaches",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_dms_endpoint"],
  fix: 'Set engine_name to the database\'s engine: "postgres" for RDS PostgreSQL, "aurora-postgresql" for Aurora PostgreSQL (the environment stack derives it from the database it builds).',
  check: (endpoint, context) => {
    const engine = endpoint.value<string>("engine_name");
    if (engine === undefined) return [];
    return databasesOf(endpoint, context)
      .filter((db) => db.value<string>("engine") !== undefined && db.value<string>("engine") !== engine)
      .map((db) => `engine_name "${engine}" but ${db.address} is ${db.value<string>("engine")}`);
  },
};

// --- LZ-RDY-008: NLB IP targets with no route ---------------------------------------------------

const ROUTE_TARGETS = ["transit_gateway_id", "gateway_id", "vpc_peering_connection_id", "network_interface_id", "nat_gateway_id", "core_network_arn"];

const UNROUTED_TARGET: PolicyRule = {
  id: "LZ-RDY-008",
  title: "IP targets outside the load balancer's VPC have a route",
  severity: "error",
  checkov: [],
  resourceTypes: ["aws_lb_target_group_attachment"],
  fix: "Attach the VPC to the Transit Gateway or virtual private gateway that reaches the target and route its network in the VPC's route tables (network source gateway settings), or use a target inside the VPC.",
  check: (attachment, context) => {
    if (attachment.value("availability_zone") !== "all") return [];
    const ip = attachment.value<string>("target_id");
    if (ip === undefined || !Address4.isValid(ip)) return [];
    const vpcs = referenced(context, attachment, "target_group_arn", "aws_lb_target_group").flatMap((group) => referenced(context, group, "vpc_id", "aws_vpc"));
    // A VPC outside the plan has routes this plan cannot see.
    if (vpcs.length === 0) return [];
    const tables = context.ofType("aws_route_table").filter((table) => vpcs.some((vpc) => refersTo(table, "vpc_id", vpc)));
    const routed = context.ofType("aws_route").some((route) => {
      if (!tables.some((table) => refersTo(route, "route_table_id", table))) return false;
      const destination = route.value<string>("destination_cidr_block");
      return destination !== undefined && new Address4(ip).isInSubnet(new Address4(destination)) && ROUTE_TARGETS.some((target) => route.isSet(target));
    });
    const propagated = context.ofType("aws_vpn_gateway_route_propagation").some((propagation) => tables.some((table) => refersTo(propagation, "route_table_id", table)));
    return routed || propagated ? [] : [`target ${ip} is outside ${vpcs.map((vpc) => vpc.address).join(", ")} and no route in its route tables leads there: the NLB's health checks and DMS's connections go nowhere`];
  },
};

// --- LZ-RDY-009: reserved concurrency ------------------------------------------------------------

const RESERVED_CONCURRENCY: PolicyRule = {
  id: "LZ-RDY-009",
  title: "Functions reserve no concurrency a new account may not have",
  severity: "warning",
  checkov: [],
  resourceTypes: ["aws_lambda_function"],
  fix: "Leave reserved_concurrent_executions unset unless the account's concurrency quota has room (AWS keeps a floor of unreserved executions, and new accounts start at the minimum quota); bound work another way (SQS event source maximum concurrency, advisory locks, idempotent runs).",
  check: (fn) => {
    const reserved = fn.value<number>("reserved_concurrent_executions");
    if (reserved === undefined || reserved < 0) return [];
    return [reserved === 0 ? "reserved_concurrent_executions = 0: the function can never run" : `reserved_concurrent_executions = ${reserved} fails with InvalidParameterValueException where unreserved concurrency would drop below its minimum`];
  },
};

export const readinessRules: readonly PolicyRule[] = [ACCEPTANCE, ENCRYPTED_TOPIC, FIXED_NAME_REPLACEMENT, MINOR_PIN, ROLE_POLICY, FIRST_RUN, ENDPOINT_ENGINE, UNROUTED_TARGET, RESERVED_CONCURRENCY];
