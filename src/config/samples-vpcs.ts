// The aws-samples/aws-dms-terraform VPC keys (vpc_*, vpc2_*, vpc3_*), kept at the top level exactly
// as that sample spells them, and normalized once, where they are parsed, into one typed shape
// (`vpcs.vpc2.cidr`) that checks and props read. Only error paths spell the flat key again.
import { z } from "zod";
import { availabilityZone, vpcCidr } from "./fields.js";

export const VPC_PREFIXES = ["vpc", "vpc2", "vpc3"] as const;
export type VpcPrefix = (typeof VPC_PREFIXES)[number];
export type VpcRole = "source" | "dms" | "target";

/** The aws-samples key prefix of each role's VPC, per topology. */
export const ROLE_PREFIXES = {
  three_vpc: { source: "vpc", dms: "vpc2", target: "vpc3" },
  single_vpc: { dms: "vpc" },
} as const satisfies Record<"three_vpc" | "single_vpc", Partial<Record<VpcRole, VpcPrefix>>>;

function vpcFields(prefix: VpcPrefix, role: string) {
  return {
    name: z.string().min(1).max(255).optional().describe(`Name tag of the ${role} VPC.`),
    cidr: vpcCidr.optional().describe(`IPv4 CIDR of the ${role} VPC (/16 to /28).`),
    azs: z.array(availabilityZone).optional().describe(`Availability zones of the ${role} VPC, one per subnet, in subnet order.`),
    private_subnets: z.array(vpcCidr).optional().describe(`Private subnet CIDRs of the ${role} VPC, one per AZ in \`${prefix}_azs\`.`),
    public_subnets: z
      .array(vpcCidr)
      .optional()
      .describe(`Public subnet CIDRs of the ${role} VPC, one per AZ; created, with an internet gateway, only when network.nat_gateway uses them.`),
  };
}

type VpcFieldSchemas = ReturnType<typeof vpcFields>;
export type VpcField = keyof VpcFieldSchemas;
export const VPC_FIELDS = ["name", "cidr", "azs", "private_subnets", "public_subnets"] as const satisfies readonly VpcField[];

/** One VPC's keys, as the sample gives them (each may be missing). */
export type SamplesVpc = { readonly [F in VpcField]?: z.output<VpcFieldSchemas[F]> };
export type SamplesVpcs = Readonly<Record<VpcPrefix, SamplesVpc>>;

type Prefixed<P extends string, S> = { [K in keyof S & string as `${P}_${K}`]: S[K] };

function prefixed<P extends VpcPrefix>(prefix: P, role: string): Prefixed<P, VpcFieldSchemas> {
  return Object.fromEntries(Object.entries(vpcFields(prefix, role)).map(([field, schema]) => [`${prefix}_${field}`, schema])) as Prefixed<P, VpcFieldSchemas>;
}

/** The flat keys, for the top-level schema. */
export const samplesVpcKeys = {
  ...prefixed("vpc", "source (three_vpc) or only (single_vpc)"),
  ...prefixed("vpc2", "DMS (three_vpc only)"),
  ...prefixed("vpc3", "target (three_vpc only)"),
};

type FlatKey = keyof typeof samplesVpcKeys;
type FlatValues = { readonly [K in FlatKey]?: z.output<(typeof samplesVpcKeys)[K]> };

/** The flat key of a VPC field, for error paths: `vpc2_azs`. */
export function vpcKey(prefix: VpcPrefix, field: VpcField): FlatKey {
  return `${prefix}_${field}`;
}

/** Replaces the flat keys of a parsed config by `vpcs`. */
export function normalizeSamplesVpcs<T extends FlatValues>(parsed: T): Omit<T, FlatKey> & { vpcs: SamplesVpcs } {
  const rest: Record<string, unknown> = { ...parsed };
  const vpcs = {} as Record<VpcPrefix, Record<string, unknown>>;
  for (const prefix of VPC_PREFIXES) {
    vpcs[prefix] = {};
    for (const field of VPC_FIELDS) {
      const key = vpcKey(prefix, field);
      if (parsed[key] !== undefined) vpcs[prefix][field] = parsed[key];
      delete rest[key];
    }
  }
  return { ...(rest as Omit<T, FlatKey>), vpcs: vpcs as SamplesVpcs };
}
