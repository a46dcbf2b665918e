// Which landing-zone module a Terraform address belongs to. Addresses are the construct path in
// snake_case (ReadableIdStack), so the first path segments name the module's construct. This is
// the one place that knows those construct ids.

export const LANDING_ZONE_MODULES = ["network", "database", "dms", "secrets", "media", "csv-pipeline", "operations"] as const;
export type LandingZoneModule = (typeof LANDING_ZONE_MODULES)[number] | "other";

/** Resource-name prefixes (construct ids under the stack) and the module each belongs to; longest first wins. */
const PREFIXES: readonly (readonly [string, LandingZoneModule])[] = [
  ["network", "network"],
  ["database", "database"],
  ["target_database", "database"],
  ["source_database", "database"],
  ["simulated_source", "database"],
  ["hop_target_sync", "database"],
  ["dms", "dms"],
  ["secrets", "secrets"],
  ["parameters", "secrets"],
  ["media", "media"],
  ["csv_pipeline", "csv-pipeline"],
  ["operations", "operations"],
];
const ORDERED = [...PREFIXES].sort((a, b) => b[0].length - a[0].length);

/** `aws_lb.network_source_hop_nlb` → network; `module.lz.aws_s3_bucket.media_bucket` → media. */
export function moduleOfAddress(address: string): LandingZoneModule {
  const name = resourceName(address);
  return ORDERED.find(([prefix]) => name === prefix || name.startsWith(`${prefix}_`))?.[1] ?? "other";
}

/** The resource name of an address, without module path, data prefix, type or instance key. */
export function resourceName(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, "").split(".");
  while (parts[0] === "module") parts.splice(0, 2);
  if (parts[0] === "data") parts.shift();
  return parts[1] ?? "";
}
