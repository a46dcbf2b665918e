// Field rules shared by every capability (AWS value formats: regions, CIDRs, bucket names, ...).
// Relations between fields (a subnet inside its VPC, AZ coverage, name lengths) are each checked
// by the capability module that owns them.
import { Address4 } from "ip-address";
import { z } from "zod";

export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "expected an AWS region such as eu-west-1");

export const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/, "expected an availability zone name such as eu-west-1a");

/** Parses an IPv4 CIDR, or returns undefined. */
export function parseCidr(value: string): Address4 | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || !Address4.isValid(value)) return undefined;
  return new Address4(value);
}

/** The network address of a CIDR, when host bits are set in it. */
function hostBitsProblem(cidr: Address4): string | undefined {
  const network = cidr.startAddress().correctForm();
  return network === cidr.addressMinusSuffix ? undefined : `host bits are set; expected the network address ${network}/${cidr.subnetMask}`;
}

/** An IPv4 network in CIDR form (a single address is a /32) with no host bits set, as AWS takes it in rules and routes. */
export const networkCidr = z.string().superRefine((value, ctx) => {
  const cidr = parseCidr(value);
  if (!cidr) {
    ctx.addIssue({ code: "custom", message: "expected an IPv4 CIDR such as 10.20.0.0/24 or 10.20.0.15/32" });
    return;
  }
  const problem = hostBitsProblem(cidr);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An IPv4 network in CIDR form whose host bits are zero and whose prefix AWS accepts (/16 to /28). */
export const vpcCidr = z.string().superRefine((value, ctx) => {
  const cidr = parseCidr(value);
  if (!cidr) {
    ctx.addIssue({ code: "custom", message: "expected an IPv4 CIDR block such as 10.0.0.0/16" });
    return;
  }
  if (cidr.subnetMask < 16 || cidr.subnetMask > 28) {
    ctx.addIssue({ code: "custom", message: "expected a prefix length from /16 to /28 (the range AWS accepts for VPCs and subnets)" });
  }
  const problem = hostBitsProblem(cidr);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ipv4Address = z
  .string()
  .refine((value) => /^\d{1,3}(\.\d{1,3}){3}$/.test(value) && Address4.isValid(value), "expected an IPv4 address such as 10.20.0.15");

export const port = z.number().int().min(1).max(65535);

/**
 * Tags as every AWS service takes them: keys of 1-128 characters that do not start with the
 * reserved `aws:` prefix (in any case), values of at most 256.
 */
export const tagMap = z.record(
  z
    .string()
    .min(1)
    .max(128)
    .refine((key) => !key.toLowerCase().startsWith("aws:"), "expected a tag key that does not start with aws: (reserved for AWS)"),
  z.string().max(256),
);

/** A value that names a CloudWatch Logs retention period (the only ones the API accepts). */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const logRetentionDays = z.literal(CLOUDWATCH_RETENTION_DAYS, { error: `expected one of the CloudWatch retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}` });

/**
 * An IANA time zone this runtime knows: one of Intl.supportedValuesOf("timeZone"), UTC, or an
 * IANA name the runtime resolves to one of them (Asia/Kolkata is listed as Asia/Calcutta).
 * Offsets and lower-case spellings are refused; EventBridge Scheduler takes the IANA names.
 */
export function isKnownTimeZone(zone: string): boolean {
  const known = Intl.supportedValuesOf("timeZone");
  if (zone === "UTC" || known.includes(zone)) return true;
  if (!/^[A-Z][A-Za-z_]*(\/[A-Z][A-Za-z0-9_+-]*)+$/.test(zone)) return false;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    return resolved === "UTC" || resolved.startsWith("Etc/") || known.includes(resolved);
  } catch {
    return false;
  }
}

export const timeZone = z.string().refine(isKnownTimeZone, "expected an IANA time zone such as UTC or Europe/Berlin");

/**
 * A security group name, or the part of one the config gives: 1-200 characters of the set EC2
 * accepts in a VPC (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*); the environment name
 * and a hop name are added around it.
 */
export const securityGroupName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, "expected letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (the characters EC2 accepts in a security group name)");

/** A customer managed KMS key, by ARN. */
export const kmsKeyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

/** An S3 bucket name (the general-purpose naming rules). */
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit")
  .refine((value) => !value.includes(".."), "expected no two adjacent dots in a bucket name");

export const awsAccountId = z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account ID");

export const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/, "expected an IAM principal ARN such as arn:aws:iam::123456789012:root");
