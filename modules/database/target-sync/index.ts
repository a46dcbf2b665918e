// Lambda entry point (bundled by esbuild; handler "index.handler"). TARGETS is the JSON list of
// hops to keep in step, written by the HopTargetSync construct.
import { resolve4 } from "node:dns/promises";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createHandler, SyncTarget } from "./handler.js";

export const handler = createHandler({
  elb: new ElasticLoadBalancingV2Client({}),
  // Queries the VPC resolver directly (no local cache); the cluster endpoint's CNAME is followed.
  resolve: (hostName) => resolve4(hostName),
  targets: JSON.parse(process.env.TARGETS ?? "[]") as SyncTarget[],
});
