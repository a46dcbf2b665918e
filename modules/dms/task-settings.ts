// DMS replication task settings as one complete document with DMS's own defaults filled in.
//
// Why complete, and why exactly these keys: the AWS provider (5.100 and the 6.x line) compares the
// settings DMS returns against the configured document key by key (`taskSettingsEqual`), ignoring
// keys the configuration leaves out but reporting a change for any configured key DMS does not
// echo back, and for any value DMS stores differently. A partial document therefore plans clean
// only until DMS drops or rewrites a key (terraform-provider-aws #19883, #31136, #43974), and a
// document with read-only keys fails outright (#21512: CloudWatchLogGroup/CloudWatchLogStream
// cannot be set on create). So every key below is one DMS stores and returns unchanged, with the
// value DMS would use; sections DMS may return as null (TTSettings, BeforeImageSettings, ...) are
// sent as null, which the provider treats as "not configured"; and `Logging.EnableLogContext` is
// sent only with logging on, as the provider's own validation requires.

export type TargetTablePrepMode = "DO_NOTHING" | "DROP_AND_CREATE" | "TRUNCATE_BEFORE_LOAD";
export type LobMode = "none" | "limited" | "full";

export interface TaskSettingsOptions {
  /**
   * What the full load does to existing target tables. DO_NOTHING or TRUNCATE_BEFORE_LOAD keep a
   * schema created beforehand (indexes, constraints, defaults); DROP_AND_CREATE lets DMS create
   * bare tables.
   * @default "DROP_AND_CREATE" (DMS's default)
   */
  readonly targetTablePrepMode?: TargetTablePrepMode;
  /**
   * LOB handling: limited mode truncates values above `lobMaxSizeKb` and is the fast one.
   * @default "limited"
   */
  readonly lobMode?: LobMode;
  /** @default 32 */
  readonly lobMaxSizeKb?: number;
  /** Chunk size in full LOB mode. @default 64 */
  readonly lobChunkSizeKb?: number;
  /** Tables loaded in parallel during the full load. @default 8 */
  readonly maxFullLoadSubTasks?: number;
  /** Rows per commit during the full load. @default 10000 */
  readonly commitRate?: number;
  /** DMS row validation (`ValidationSettings.EnableValidation`). @default true */
  readonly validation?: boolean;
  /** Validation threads. @default 5 */
  readonly validationThreads?: number;
  /** Task logs to CloudWatch (needs the dms-cloudwatch-logs-role). @default true */
  readonly logging?: boolean;
  /** Apply CDC changes in batches (faster, needs primary keys). @default false */
  readonly batchApply?: boolean;
  /**
   * Target schema for DMS's control tables.
   * @default "" (the target's default schema)
   */
  readonly controlSchema?: string;
}

/** Log components DMS has had since 3.4; DMS adds any newer ones itself. */
export const LOG_COMPONENTS = [
  "TRANSFORMATION",
  "SOURCE_UNLOAD",
  "IO",
  "TARGET_LOAD",
  "PERFORMANCE",
  "SOURCE_CAPTURE",
  "SORTER",
  "REST_SERVER",
  "VALIDATOR_EXT",
  "TARGET_APPLY",
  "TASK_MANAGER",
  "TABLES_MANAGER",
  "METADATA_MANAGER",
  "FILE_FACTORY",
  "COMMON",
  "ADDONS",
  "DATA_STRUCTURE",
  "COMMUNICATION",
  "FILE_TRANSFER",
] as const;

export type TaskSettingsDocument = Record<string, unknown>;

/** The complete settings document for a task. */
export function buildTaskSettings(options: TaskSettingsOptions = {}): TaskSettingsDocument {
  const lobMode = options.lobMode ?? "limited";
  const logging = options.logging ?? true;
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const result = value ?? fallback;
    if (!Number.isInteger(result) || result <= 0) throw new Error(`task settings: ${name} must be a positive integer, got ${result}`);
    return result;
  };
  return {
    TargetMetadata: {
      TargetSchema: "",
      SupportLobs: lobMode !== "none",
      FullLobMode: lobMode === "full",
      LobChunkSize: positive("lobChunkSizeKb", options.lobChunkSizeKb, 64),
      LimitedSizeLobMode: lobMode === "limited",
      LobMaxSize: positive("lobMaxSizeKb", options.lobMaxSizeKb, 32),
      InlineLobMaxSize: 0,
      LoadMaxFileSize: 0,
      ParallelLoadThreads: 0,
      ParallelLoadBufferSize: 0,
      ParallelLoadQueuesPerThread: 0,
      ParallelApplyThreads: 0,
      ParallelApplyBufferSize: 0,
      ParallelApplyQueuesPerThread: 0,
      BatchApplyEnabled: options.batchApply ?? false,
      TaskRecoveryTableEnabled: false,
    },
    FullLoadSettings: {
      TargetTablePrepMode: options.targetTablePrepMode ?? "DROP_AND_CREATE",
      CreatePkAfterFullLoad: false,
      StopTaskCachedChangesApplied: false,
      StopTaskCachedChangesNotApplied: false,
      MaxFullLoadSubTasks: positive("maxFullLoadSubTasks", options.maxFullLoadSubTasks, 8),
      TransactionConsistencyTimeout: 600,
      CommitRate: positive("commitRate", options.commitRate, 10000),
      PersistPartitionProgressForResumption: false,
    },
    Logging: {
      EnableLogging: logging,
      // The provider rejects EnableLogContext when logging is off.
      ...(logging ? { EnableLogContext: false } : {}),
      LogComponents: LOG_COMPONENTS.map((Id) => ({ Id, Severity: "LOGGER_SEVERITY_DEFAULT" })),
      LogConfiguration: { TraceOnErrorMb: 10, EnableTraceOnError: false },
    },
    ControlTablesSettings: {
      ControlSchema: options.controlSchema ?? "",
      HistoryTimeslotInMinutes: 5,
      HistoryTableEnabled: false,
      SuspendedTablesTableEnabled: false,
      StatusTableEnabled: false,
      FullLoadExceptionTableEnabled: false,
    },
    StreamBufferSettings: {
      StreamBufferCount: 3,
      StreamBufferSizeInMB: 8,
      CtrlStreamBufferSizeInMB: 5,
    },
    ChangeProcessingDdlHandlingPolicy: {
      HandleSourceTableDropped: true,
      HandleSourceTableTruncated: true,
      HandleSourceTableAltered: true,
    },
    ErrorBehavior: {
      DataErrorPolicy: "LOG_ERROR",
      DataTruncationErrorPolicy: "LOG_ERROR",
      DataErrorEscalationPolicy: "SUSPEND_TABLE",
      DataErrorEscalationCount: 0,
      TableErrorPolicy: "SUSPEND_TABLE",
      TableErrorEscalationPolicy: "STOP_TASK",
      TableErrorEscalationCount: 0,
      RecoverableErrorCount: -1,
      RecoverableErrorInterval: 5,
      RecoverableErrorThrottling: true,
      RecoverableErrorThrottlingMax: 1800,
      RecoverableErrorStopRetryAfterThrottlingMax: true,
      ApplyErrorDeletePolicy: "IGNORE_RECORD",
      ApplyErrorInsertPolicy: "LOG_ERROR",
      ApplyErrorUpdatePolicy: "LOG_ERROR",
      ApplyErrorEscalationPolicy: "LOG_ERROR",
      ApplyErrorEscalationCount: 0,
      ApplyErrorFailOnTruncationDdl: false,
      FullLoadIgnoreConflicts: true,
      FailOnTransactionConsistencyBreached: false,
      FailOnNoTablesCaptured: true,
      EventErrorPolicy: "IGNORE",
    },
    ChangeProcessingTuning: {
      BatchApplyPreserveTransaction: true,
      BatchApplyTimeoutMin: 1,
      BatchApplyTimeoutMax: 30,
      BatchApplyMemoryLimit: 500,
      BatchSplitSize: 0,
      MinTransactionSize: 1000,
      CommitTimeout: 1,
      MemoryLimitTotal: 1024,
      MemoryKeepTime: 60,
      StatementCacheSize: 50,
      RecoveryTimeout: -1,
    },
    ValidationSettings: {
      EnableValidation: options.validation ?? true,
      ValidationMode: "ROW_LEVEL",
      ThreadCount: positive("validationThreads", options.validationThreads, 5),
      PartitionSize: 10000,
      FailureMaxCount: 10000,
      RecordFailureDelayInMinutes: 5,
      RecordSuspendDelayInMinutes: 30,
      MaxKeyColumnSize: 8096,
      TableFailureMaxCount: 1000,
      ValidationOnly: false,
      HandleCollationDiff: false,
      RecordFailureDelayLimitInMinutes: 0,
      SkipLobColumns: false,
      ValidationPartialLobSize: 0,
      ValidationQueryCdcDelaySeconds: 0,
    },
    FailTaskWhenCleanTaskResourceFailed: false,
    TTSettings: null,
    BeforeImageSettings: null,
    CharacterSetSettings: null,
    LoopbackPreventionSettings: null,
    PostProcessingRules: null,
  };
}
