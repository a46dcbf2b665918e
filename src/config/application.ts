// The application that reads the landing zone's outputs at run time (the blog's EC2 instances):
// its role gets read access to the Parameter Store path, secrets and media it needs, and the
// Parameter Store tree it reads (the path and the names of the database entries under it; the
// defaults are the names the blog's application already reads under /cloudtalents/startup).
import { z } from "zod";
import type { ParameterNames } from "../../stacks/database-wiring.js";
import type { ApplicationProps } from "../../stacks/environment-stack.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import type { EnvironmentConfig } from "./schema.js";

const parameterName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "expected a parameter name relative to parameters.path, such as database_endpoint");

export const applicationKeys = {
  application: z
    .strictObject({
      role_name: z
        .string()
        .regex(/^[\w+=,.@-]{1,64}$/, "expected an IAM role name (1-64 letters, digits and +=,.@_-)")
        .optional()
        .describe("IAM role of the application (for example the EC2 instance profile's role). Policies granting what it needs are attached to it. No value: no application policies."),
      create_role: z
        .boolean()
        .default(false)
        .describe("Create role_name (trusted by EC2) and an instance profile of the same name. false: the role must exist already (policies on a role nothing creates fail with NoSuchEntity)."),
      security_group_id: z
        .string()
        .regex(/^sg-[0-9a-f]{8,17}$/, "expected a security group ID such as sg-0123456789abcdef0")
        .optional()
        .describe("Existing security group of the application's instances; the target database admits it on the database port."),
    })
    .prefault({})
    .describe("The application that uses the migrated database."),
  parameters: z
    .strictObject({
      path: z
        .string()
        .regex(/^(\/[A-Za-z0-9_.-]+)+$/, "expected a Parameter Store path such as /cloudtalents/startup")
        .optional()
        .describe("Parameter Store path the application reads its configuration from. Default: /<project>/<environment>."),
      names: z
        .strictObject({
          database_endpoint: parameterName.default("database_endpoint").describe("Host name of the database writer."),
          database_port: parameterName.default("database_port").describe("Database port."),
          database_name: parameterName.default("database_name").describe("Database name."),
          db_user: parameterName.default("db_user").describe("Database user name."),
          db_secret_arn: parameterName.default("db_secret_arn").describe("ARN of the Secrets Manager secret holding the database login (instead of a plaintext password)."),
          secret_key: parameterName.default("secret_key").describe("The application's generated secret key (SecureString)."),
        })
        .prefault({})
        .describe("Names of the database entries under parameters.path."),
    })
    .prefault({})
    .describe("The Parameter Store tree the application reads."),
};

export const parametersCheck = crossCheck(["parameters"], (config, _context, issue) => {
  const names = Object.entries(config.parameters.names);
  names.forEach(([key, name], index) => {
    const earlier = names.slice(0, index).find(([, other]) => other === name);
    if (earlier) issue(["parameters", "names", key], `the same name as parameters.names.${earlier[0]}`, JSON.stringify(name), "a name no other entry uses");
  });
});

export function applicationProps(config: Pick<EnvironmentConfig, "application">): ApplicationProps | undefined {
  const application = config.application;
  return application.role_name ? { roleName: application.role_name, createRole: application.create_role, securityGroupId: application.security_group_id } : undefined;
}

export function parameterPath(config: Pick<EnvironmentConfig, "parameters">, context: ConfigContext): string {
  return config.parameters.path ?? `/${context.project}/${context.environment}`;
}

export function parameterNamesProps(config: Pick<EnvironmentConfig, "parameters">): ParameterNames {
  const names = config.parameters.names;
  return {
    databaseEndpoint: names.database_endpoint,
    databasePort: names.database_port,
    databaseName: names.database_name,
    dbUser: names.db_user,
    dbSecretArn: names.db_secret_arn,
    secretKey: names.secret_key,
  };
}
