// How AWS DMS carries each PostgreSQL data type from a PostgreSQL source to a PostgreSQL target,
// as data. Source: AWS DMS User Guide, "Using a PostgreSQL database as an AWS DMS source"
// (CHAP_Source.PostgreSQL), sections "Migrating from PostgreSQL to PostgreSQL using AWS DMS"
// (the table of types that migrate successfully, partially, or not at all) and "Source data types
// for PostgreSQL" (the DMS type each maps to; CLOB, NCLOB and BLOB are LOBs, moved in LOB mode and
// truncated at LobMaxSize in limited LOB mode). Read from the awsdocs/aws-dms-user-guide source.
// Rows not in the PostgreSQL-to-PostgreSQL table take their support from the mapping table
// (jsonb, hstore: mapped to NCLOB) or the guide's PostGIS section (geometry, geography); types
// the guide does not list at all are "unlisted": DMS streams unknown types as strings.

export type DmsSupport = "supported" | "partial" | "unsupported";

/** The DMS type a LOB maps to; sizes count differently (see lobSizeBytes in checks/lob-scan.ts). */
export type DmsLobType = "BLOB" | "CLOB" | "NCLOB";

export interface DmsTypeRule {
  /** The guide's name for the type (how checks and reports refer to it). */
  readonly name: string;
  readonly support: DmsSupport;
  /** The DMS data type it maps to. */
  readonly dmsType: string;
  readonly lob?: DmsLobType;
  /** The guide's comment, or what "partial" means for this type. */
  readonly note?: string;
}

function rule(name: string, support: DmsSupport, dmsType: string, extra: Partial<DmsTypeRule> = {}): DmsTypeRule {
  return { name, support, dmsType, ...extra };
}

/** Keyed by the classifier's type key (see column-types.ts). */
export const DMS_TYPE_SUPPORT: Readonly<Record<string, DmsTypeRule>> = {
  smallint: rule("SMALLINT", "supported", "INT2"),
  integer: rule("INTEGER", "supported", "INT4"),
  bigint: rule("BIGINT", "supported", "INT8"),
  "numeric(p,0)": rule("NUMERIC(p,0)", "supported", "NUMERIC"),
  "numeric(p,s)": rule("NUMERIC/DECIMAL(p,s)", "partial", "NUMERIC", {
    note: "the guide lists NUMERIC(p,s) with 0<p<39 and 0<s as partially migrated",
  }),
  numeric: rule("NUMERIC/DECIMAL", "partial", "NUMERIC(28,6) or STRING", {
    note: "without precision (or p>38) DMS versions up to 3.4.2 use NUMERIC(28,6) and round, e.g. 0.611111104488373 becomes 0.611111",
  }),
  real: rule("REAL", "supported", "REAL4"),
  "double precision": rule("DOUBLE", "supported", "REAL8"),
  money: rule("MONEY", "supported", "NUMERIC(38,4)"),
  "char(n)": rule("CHAR(n)", "supported", "WSTRING(n)"),
  char: rule("CHAR", "partial", "WSTRING(1)", { note: "without a specified length" }),
  "varchar(n)": rule("VARCHAR(n)", "supported", "WSTRING(n)"),
  varchar: rule("VARCHAR", "partial", "NCLOB", { lob: "NCLOB", note: "without a specified length; DMS can carry it as a LOB" }),
  text: rule("TEXT", "supported", "NCLOB", { lob: "NCLOB" }),
  bytea: rule("BYTEA", "supported", "BLOB", { lob: "BLOB" }),
  timestamp: rule("TIMESTAMP", "supported", "DATETIME", {
    note: "infinity and -infinity become '9999-12-31 23:59:59' and '4713-01-01 00:00:00 BC'",
  }),
  timestamptz: rule("TIMESTAMP WITH TIME ZONE", "partial", "DATETIME"),
  date: rule("DATE", "supported", "DATE"),
  time: rule("TIME", "supported", "TIME"),
  timetz: rule("TIME WITH TIME ZONE", "partial", "TIME"),
  interval: rule("INTERVAL", "partial", "STRING(128)"),
  boolean: rule("BOOLEAN", "supported", "CHAR(5)"),
  enum: rule("ENUM", "unsupported", "STRING(64)"),
  cidr: rule("CIDR", "supported", "STRING(50)"),
  inet: rule("INET", "unsupported", "STRING(50)"),
  macaddr: rule("MACADDR", "unsupported", "STRING(18)"),
  bit: rule("BIT(n)", "supported", "STRING(n)"),
  varbit: rule("BIT VARYING(n)", "supported", "STRING(n)"),
  uuid: rule("UUID", "supported", "STRING"),
  tsvector: rule("TSVECTOR", "unsupported", "CLOB", { lob: "CLOB" }),
  tsquery: rule("TSQUERY", "unsupported", "CLOB", { lob: "CLOB" }),
  xml: rule("XML", "partial", "CLOB", { lob: "CLOB", note: "small documents migrate, large ones can fail" }),
  point: rule("POINT", "supported", "STRING(255)"),
  line: rule("LINE", "unsupported", "STRING(255)"),
  lseg: rule("LSEG", "unsupported", "STRING(255)"),
  box: rule("BOX", "unsupported", "STRING(255)"),
  path: rule("PATH", "unsupported", "CLOB", { lob: "CLOB" }),
  polygon: rule("POLYGON", "supported", "CLOB", { lob: "CLOB" }),
  circle: rule("CIRCLE", "unsupported", "STRING(255)"),
  json: rule("JSON", "partial", "NCLOB", { lob: "NCLOB", note: "small documents migrate, large ones can fail" }),
  jsonb: rule("JSONB", "partial", "NCLOB", { lob: "NCLOB", note: "handled like JSON: small documents migrate, large ones can fail" }),
  array: rule("ARRAY", "supported", "NCLOB", { lob: "NCLOB", note: "the table needs a primary key" }),
  composite: rule("COMPOSITE", "unsupported", "NCLOB", { lob: "NCLOB" }),
  range: rule("RANGE", "unsupported", "STRING(255)"),
  hstore: rule("HSTORE", "supported", "NCLOB", { lob: "NCLOB" }),
  oid: rule("OID (large object)", "unsupported", "-", { note: "the limitations list: the OID LOB data type isn't migrated" }),
  geometry: rule("PostGIS geometry", "supported", "CLOB", {
    lob: "CLOB",
    note: "PostGIS must be installed on the target first",
  }),
  geography: rule("PostGIS geography", "supported", "CLOB", {
    lob: "CLOB",
    note: "PostGIS must be installed on the target first",
  }),
};

/** What the guide does not mention: DMS streams such values as strings. */
export const UNLISTED_TYPE: DmsTypeRule = rule("unlisted type", "partial", "STRING", {
  note: "not in the DMS type table; DMS streams unknown types as strings",
});
