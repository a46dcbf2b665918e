// The application that reads the landing zone's outputs at run time (the blog's EC2 instances):
// its role gets read access to the Parameter Store path, secrets and media it needs.
import { z } from "zod";
import { parameterNames } from "./parameter-names.js";

export const applicationSection = z
  .strictObject({
    role_name: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, "expected an IAM role name (1-64 letters, digits and +=,.@_-)")
      .optional()
      .describe("Existing IAM role of the application (for example the EC2 instance profile's role). Policies granting what it needs are attached to it. No value: no application policies."),
    security_group_id: z
      .string()
      .regex(/^sg-[0-9a-f]{8,17}$/, "expected a security group ID such as sg-0123456789abcdef0")
      .optional()
      .describe("Existing security group of the application's instances; the target database admits it on the database port."),
  })
  .prefault({})
  .describe("The application that uses the migrated database.");

export const parametersSection = z
  .strictObject({
    path: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)+$/, "expected a Parameter Store path such as /cloudtalents/startup")
      .optional()
      .describe("Parameter Store path the application reads its configuration from. Default: /<project>/<environment>."),
    names: parameterNames,
  })
  .prefault({})
  .describe("The Parameter Store tree the application reads.");
