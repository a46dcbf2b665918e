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
  const network = cidr.startAddress().correctForm();
  if (network !== cidr.addressMinusSuffix) {
    ctx.addIssue({ code: "custom", message: `host bits are set; expected the network address ${network}/${cidr.subnetMask}` });
  }
});

export const ipv4Address = z
  .string()
  .refine((value) => /^\d{1,3}(\.\d{1,3}){3}$/.test(value) && Address4.isValid(value), "expected an IPv4 address such as 10.20.0.15");

export const port = z.number().int().min(1).max(65535);

export const tagMap = z.record(z.string().min(1).max(128), z.string().max(256));

/** An S3 bucket name (the general-purpose naming rules). */
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit")
  .refine((value) => !value.includes(".."), "expected no two adjacent dots in a bucket name");

export const awsAccountId = z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account ID");

export const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/, "expected an IAM principal ARN such as arn:aws:iam::123456789012:root");
