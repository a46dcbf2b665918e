// Maps a column's catalog type to its row in the DMS type table.
import type { ColumnInfo } from "./catalog.js";
import { DMS_TYPE_SUPPORT, UNLISTED_TYPE, type DmsTypeRule } from "./dms-type-support.js";

/** Base types whose pg_type name maps one to one onto a type-table key. */
const BY_TYPE_NAME: Readonly<Record<string, string>> = {
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  money: "money",
  text: "text",
  bytea: "bytea",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  date: "date",
  time: "time",
  timetz: "timetz",
  interval: "interval",
  bool: "boolean",
  cidr: "cidr",
  inet: "inet",
  macaddr: "macaddr",
  macaddr8: "macaddr",
  bit: "bit",
  varbit: "varbit",
  uuid: "uuid",
  tsvector: "tsvector",
  tsquery: "tsquery",
  xml: "xml",
  point: "point",
  line: "line",
  lseg: "lseg",
  box: "box",
  path: "path",
  polygon: "polygon",
  circle: "circle",
  json: "json",
  jsonb: "jsonb",
  hstore: "hstore",
  oid: "oid",
  lo: "oid",
  geometry: "geometry",
  geography: "geography",
};

export function typeKey(column: ColumnInfo): string | undefined {
  if (column.typeCategory === "A") return "array";
  if (column.typeKind === "e") return "enum";
  if (column.typeKind === "c") return "composite";
  if (column.typeKind === "r" || column.typeKind === "m") return "range";
  switch (column.typeName) {
    case "numeric": {
      if (column.typmod < 0) return "numeric";
      const precision = ((column.typmod - 4) >> 16) & 0xffff;
      const scale = (column.typmod - 4) & 0xffff;
      if (precision > 38) return "numeric";
      return scale === 0 ? "numeric(p,0)" : "numeric(p,s)";
    }
    case "bpchar":
      return column.typmod < 0 ? "char" : "char(n)";
    case "varchar":
      return column.typmod < 0 ? "varchar" : "varchar(n)";
    default:
      return BY_TYPE_NAME[column.typeName];
  }
}

export function dmsTypeRule(column: ColumnInfo): DmsTypeRule {
  const key = typeKey(column);
  return (key && DMS_TYPE_SUPPORT[key]) || UNLISTED_TYPE;
}
