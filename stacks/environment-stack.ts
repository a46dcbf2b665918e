// One environment: the provider, the state backend and the modules wired together. It declares
// the typed props it needs and nothing reads raw config here.
import { S3Backend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { addAwsProvider } from "../modules/core/aws-provider.js";
import { importExisting } from "../modules/core/import-existing.js";
import { ReadableIdStack } from "../modules/core/readable-id-stack.js";
import { MigrationNetwork } from "../modules/network/migration-network.js";
import { SingleVpcNetwork, SingleVpcNetworkProps } from "../modules/network/single-vpc-network.js";
import { ThreeVpcNetwork, ThreeVpcNetworkProps } from "../modules/network/three-vpc-network.js";
import { MediaStorage, MediaStorageProps } from "../modules/media/media-storage.js";
import { CsvPipeline, CsvPipelineProps } from "../modules/csv-pipeline/csv-pipeline.js";
import { DatabaseSecretRef, DatabaseStackProps, DatabaseWiring, wireDatabase } from "./database-wiring.js";
import { DmsStackProps, wireDms } from "./dms-wiring.js";
import { OperationsStackProps, wireOperations } from "./operations-wiring.js";
import type { DmsMigration } from "../modules/dms/dms-migration.js";
import type { PostgresDatabase } from "../modules/database/postgres-database.js";
import type { DmsCredentials } from "../modules/secrets/dms-secrets-access-role.js";
import type { ParameterTree } from "../modules/secrets/parameter-tree.js";
import { ConstructError } from "../modules/core/construct-error.js";
import { ApplicationRole } from "../modules/secrets/application-role.js";

export interface StateBackendProps {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** @default the bucket's default encryption */
  readonly kmsKeyId?: string;
}

export type NetworkProps =
  | ({ readonly topology: "three_vpc" } & Omit<ThreeVpcNetworkProps, "region" | "namePrefix">)
  | ({ readonly topology: "single_vpc" } & Omit<SingleVpcNetworkProps, "region" | "namePrefix">);

export interface EnvironmentStackProps {
  /** The stack's name: the `variables/<env>` directory, as `cdktf deploy <env>` uses it. */
  readonly stackName: string;
  /** Environment name: the stack's name, resource names and the Environment tag. */
  readonly environment: string;
  readonly project: string;
  readonly region: string;
  /**
   * The AWS account: the provider refuses to apply in any other (`allowed_account_ids`).
   * @default any account the credentials name
   */
  readonly accountId?: string;
  /** Deletion protection, final snapshots, prevent_destroy and Multi-AZ. */
  readonly protected: boolean;
  /** Tags on every resource, through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** @default local state */
  readonly backend?: StateBackendProps;
  readonly network: NetworkProps;
  /** Parameter Store path of the application's configuration, `/<project>/<env>` by default. */
  readonly parameterPath: string;
  /** @default no application policies */
  readonly application?: ApplicationProps;
  /** @default no database, credentials or parameter tree */
  readonly database?: DatabaseStackProps;
  /** @default no media bucket or distribution */
  readonly media?: MediaProps;
  /** @default no CSV pipeline */
  readonly csvPipeline?: CsvPipelineSettings;
  /**
   * Existing resources to import rather than create: Terraform address → import ID.
   * @default none
   */
  readonly imports?: Readonly<Record<string, string>>;
  /** @default no DMS resources */
  readonly dms?: DmsStackProps;
  /** The dashboard and alarms. @default none */
  readonly operations?: OperationsStackProps;
}

/** The CSV pipeline's settings; the VPC, database and secret come from the stack. */
export type CsvPipelineSettings = Omit<CsvPipelineProps, "namePrefix" | "vpc" | "serviceEndpoints" | "database" | "databaseSecret">;

/** The media capability: MediaStorage's settings, with its entries' names under `parameterPath`. */
export type MediaProps = Omit<MediaStorageProps, "namePrefix" | "parameters"> & {
  readonly parameterNames: { readonly bucketName: string; readonly domain: string };
};

export interface ApplicationProps {
  /** IAM role the application runs as; policies are attached to it. */
  readonly roleName: string;
  /**
   * Create the role (EC2 trust) and its instance profile; otherwise the role must exist already.
   * @default false
   */
  readonly createRole?: boolean;
  /** Existing security group of the application's instances. */
  readonly securityGroupId?: string;
}

export class EnvironmentStack extends ReadableIdStack {
  readonly network: MigrationNetwork;
  /** The media bucket and its CloudFront distribution, when enabled. */
  readonly media?: MediaStorage;
  /** The CSV to PostgreSQL pipeline, when enabled. */
  readonly csvPipeline?: CsvPipeline;
  /** The DMS replication instance, endpoints and tasks, when enabled. */
  readonly dms?: DmsMigration;
  /** The application's role (its name a reference when this stack creates it), when configured. */
  readonly application?: { readonly roleName: string; readonly securityGroupId?: string; readonly role?: ApplicationRole };
  private readonly databaseWiring?: DatabaseWiring;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, props.stackName);
    // Applied at synth, once every module has added its resources.
    importExisting(this, props.imports ?? {});
    const namePrefix = `${props.project}-${props.environment}`;
    addAwsProvider(this, { region: props.region, defaultTags: props.tags, accountId: props.accountId });
    if (props.backend) {
      new S3Backend(this, {
        bucket: props.backend.bucket,
        key: props.backend.key,
        region: props.backend.region,
        encrypt: true,
        kmsKeyId: props.backend.kmsKeyId,
      });
      // S3-native locking (Terraform 1.11) instead of a DynamoDB table; the cdktf bindings
      // predate the argument.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }

    this.network =
      props.network.topology === "three_vpc"
        ? new ThreeVpcNetwork(this, "network", { ...props.network, region: props.region, namePrefix })
        : new SingleVpcNetwork(this, "network", { ...props.network, region: props.region, namePrefix });
    this.networkOutputs();
    this.application = props.application && this.addApplication(props.application);
    this.databaseWiring = props.database && this.addDatabase(props, props.database, namePrefix);
    this.media = props.media && this.addMedia(props, props.media, namePrefix);
    this.csvPipeline = props.csvPipeline && this.addCsvPipeline(props.csvPipeline, namePrefix);
    this.dms = props.dms && this.addDms({ ...props.dms, admitAlarms: props.operations?.alarms }, namePrefix, props.region, props.database?.sources ?? {});
    if (props.operations) {
      wireOperations(this, { props: props.operations, namePrefix, region: props.region, dms: this.dms, database: this.database, simulatedSource: this.simulatedSource });
    }
  }

  /** The target database (address, port, databaseName, securityGroup, allowFrom, allowS3Import). */
  get database(): PostgresDatabase | undefined {
    return this.databaseWiring?.database;
  }

  /** The simulated source database (three_vpc, when configured). */
  get simulatedSource(): PostgresDatabase | undefined {
    return this.databaseWiring?.simulatedSource;
  }

  /** Secret ARNs, access role and key for the DMS source and target endpoints. */
  get dmsCredentials(): DmsCredentials | undefined {
    return this.databaseWiring?.dmsCredentials;
  }

  /** The application's database login (host: the writer), also for the CSV pipeline. */
  get databaseSecret(): DatabaseSecretRef | undefined {
    return this.databaseWiring?.databaseSecret;
  }

  /** The Parameter Store tree under `parameterPath`: other modules add entries with `addString`. */
  get parameters(): ParameterTree | undefined {
    return this.databaseWiring?.parameters;
  }

  private addDatabase(props: EnvironmentStackProps, database: DatabaseStackProps, namePrefix: string): DatabaseWiring {
    return wireDatabase(this, {
      props: database,
      network: this.network,
      region: props.region,
      namePrefix,
      protected: props.protected,
      parameterPath: props.parameterPath,
      application: this.application,
      csvLoads: props.csvPipeline?.loads.map((load) => ({ table: load.table, mode: load.mode })),
    });
  }

  private addApplication(application: ApplicationProps): NonNullable<EnvironmentStack["application"]> {
    if (!application.createRole) return application;
    const role = new ApplicationRole(this, "application_role", { name: application.roleName });
    new TerraformOutput(this, "application_instance_profile_name", { value: role.instanceProfile.name, description: "Instance profile for the application's EC2 instances" });
    return { roleName: role.role.name, securityGroupId: application.securityGroupId, role };
  }

  private addCsvPipeline(settings: CsvPipelineSettings, namePrefix: string): CsvPipeline {
    const database = this.database;
    // The pipeline logs in as its own least-privilege role, not as the application.
    const databaseSecret = this.databaseWiring?.csvLoaderSecret;
    if (!database || !databaseSecret) throw new ConstructError(this, "the CSV pipeline needs the target database (its CSV loader login)");
    const pipeline = new CsvPipeline(this, "csv_pipeline", {
      ...settings,
      namePrefix,
      vpc: this.network.targetVpc,
      serviceEndpoints: this.network.targetServiceEndpoints(),
      database,
      databaseSecret,
    });
    // The aws_s3 extension may read the inbox too (aws_s3.table_import_from_s3), with no console step.
    database.allowS3Import("csv_inbox", { bucketArn: pipeline.bucketArn, s3PrefixListId: this.network.targetServiceEndpoints().s3GatewayEndpoint?.prefixListId });
    new TerraformOutput(this, "csv_inbox_bucket_name", { value: pipeline.bucketName, description: "Upload CSV files here, under a configured load prefix" });
    new TerraformOutput(this, "csv_pipeline_function_name", { value: pipeline.function.functionName, description: "The CSV loader Lambda" });
    new TerraformOutput(this, "csv_pipeline_failure_queue_url", { value: pipeline.failureQueue.url, description: "Events whose load failed after retries" });
    return pipeline;
  }

  private addDms(dms: DmsStackProps, namePrefix: string, region: string, sources: DatabaseStackProps["sources"]): DmsMigration {
    return wireDms(this, { props: dms, network: this.network, namePrefix, region, database: this.database, simulatedSource: this.simulatedSource, dmsCredentials: this.dmsCredentials, sources });
  }

  private addMedia(props: EnvironmentStackProps, media: MediaProps, namePrefix: string): MediaStorage {
    const { parameterNames, ...settings } = media;
    const storage = new MediaStorage(this, "media", {
      ...settings,
      namePrefix,
      // With a database the application's entries live in its parameter tree.
      parameters: { destination: this.parameters ?? props.parameterPath, bucketNameParameter: parameterNames.bucketName, domainParameter: parameterNames.domain },
    });
    if (this.application) storage.grantApplicationAccess("application", this.application.roleName, `${namePrefix}-media-access`);
    new TerraformOutput(this, "media_bucket_name", { value: storage.bucket.bucketName, description: "S3 bucket of the media: aws s3 sync <dir> s3://<this>/<prefix>" });
    new TerraformOutput(this, "media_distribution_domain_name", { value: storage.distribution.domainName, description: "CloudFront domain serving the media" });
    new TerraformOutput(this, "media_distribution_id", { value: storage.distribution.distributionId, description: "CloudFront distribution ID (for invalidations)" });
    return storage;
  }

  private networkOutputs(): void {
    const network = this.network;
    new TerraformOutput(this, "dms_vpc_id", { value: network.dmsVpc.vpcId, description: "VPC of the DMS replication instance" });
    new TerraformOutput(this, "target_vpc_id", { value: network.targetVpc.vpcId, description: "VPC of the target database" });
    if (network.sourceHop) {
      new TerraformOutput(this, "source_hop_endpoint_dns_name", { value: network.sourceHop.serverName, description: "Host name DMS uses for the source database" });
      new TerraformOutput(this, "source_hop_endpoint_service_name", { value: network.sourceHop.endpointService.serviceName, description: "Source hop's endpoint service" });
    }
    if (network.targetHop) {
      new TerraformOutput(this, "target_hop_endpoint_dns_name", { value: network.targetHop.serverName, description: "Host name DMS uses for the target database" });
      new TerraformOutput(this, "target_hop_endpoint_service_name", { value: network.targetHop.endpointService.serviceName, description: "Target hop's endpoint service" });
    }
    if (network.workstation) {
      new TerraformOutput(this, "workstation_instance_id", { value: network.workstation.instance.id, description: "aws ssm start-session --target <this>" });
    }
  }
}
