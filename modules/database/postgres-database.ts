// What the rest of the landing zone needs from a PostgreSQL database, whether an Aurora cluster or
// an RDS instance built it: where it is, who may connect, and how DMS and the pipeline reach it.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformResource } from "cdktf";

export type PostgresEngine = "aurora-postgresql" | "postgres";

export interface S3ImportProps {
  /** The bucket the `aws_s3` extension reads (`aws_s3.table_import_from_s3`). */
  readonly bucketArn: string;
  /**
   * Object key prefix the database may read.
   * @default the whole bucket
   */
  readonly keyPrefix?: string;
  /**
   * KMS key of the bucket's SSE-KMS encryption.
   * @default none (SSE-S3)
   */
  readonly kmsKeyArn?: string;
  /**
   * Prefix list of the VPC's S3 gateway endpoint: the database's group gets HTTPS egress to it.
   * @default no egress rule (the database reaches S3 some other way)
   */
  readonly s3PrefixListId?: string;
}

export interface PostgresDatabase {
  readonly engine: PostgresEngine;
  /** Cluster identifier (Aurora) or instance identifier (RDS). */
  readonly identifier: string;
  /** Host name of the writer: the cluster endpoint, or the instance's address. */
  readonly address: string;
  readonly port: number;
  /** The database created with the server; DMS endpoints and the application use it. */
  readonly databaseName: string;
  readonly masterUsername: string;
  /** The database's group; it admits the port only from peers named with `allowFrom`. */
  readonly securityGroup: SecurityGroup;
  /** The cluster or instance resource, for dependencies. */
  readonly resource: TerraformResource;
  /** RDS's resource ID of the database; it changes only when the database is replaced. */
  readonly resourceId: string;
  /**
   * RDS's own secret for the master password (`username`, `password`; no host or port, so DMS
   * cannot use it): only the database-logins function reads it.
   */
  readonly masterUserSecretArn: string;
  /** Identifiers RDS events name for this database (cluster and instances). */
  readonly eventSourceIdentifiers: readonly string[];
  /** Lets a group (DMS, a hop's NLB, a Lambda) reach the database port; both rules of the pair. */
  allowFrom(id: string, peer: SecurityGroup, description: string): void;
  /** Admits an existing group by ID (the application's instances); its egress is not ours to set. */
  allowFromGroupId(id: string, groupId: string, description: string): void;
  /** Lets the `aws_s3` extension read a bucket: a role scoped to it, associated as `s3Import`. */
  allowS3Import(id: string, props: S3ImportProps): void;
}
