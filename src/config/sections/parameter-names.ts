// Names of the entries the database writes under the Parameter Store path. The defaults are the
// names the blog's application already reads under /cloudtalents/startup.
import { z } from "zod";

const parameterName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "expected a parameter name relative to parameters.path, such as database_endpoint");

export const parameterNames = z
  .strictObject({
    database_endpoint: parameterName.default("database_endpoint").describe("Host name of the database writer."),
    database_port: parameterName.default("database_port").describe("Database port."),
    database_name: parameterName.default("database_name").describe("Database name."),
    db_user: parameterName.default("db_user").describe("Database user name."),
    db_secret_arn: parameterName.default("db_secret_arn").describe("ARN of the Secrets Manager secret holding the database login (instead of a plaintext password)."),
    secret_key: parameterName.default("secret_key").describe("The application's generated secret key (SecureString)."),
  })
  .prefault({})
  .describe("Names of the database entries under parameters.path.");
