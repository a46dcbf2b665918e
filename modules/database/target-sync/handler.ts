// The target-sync Lambda's work, with its AWS client and DNS resolver passed in so tests can stand
// them in: for each hop, resolve the writer endpoint, read the target group, apply the plan.
import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { IpTarget, reconcile, RegisteredTarget, Resolution } from "./reconcile.js";

/** One hop whose target group must follow a database's writer. */
export interface SyncTarget {
  /** A name for logs: `target`, `simulated_source`. */
  readonly name: string;
  readonly targetGroupArn: string;
  /** The writer endpoint (cluster endpoint or instance address). */
  readonly hostName: string;
  readonly port: number;
}

export interface SyncResult {
  readonly name: string;
  readonly registered: readonly string[];
  readonly deregistered: readonly string[];
  readonly error?: string;
}

export interface SyncDependencies {
  readonly elb: ElasticLoadBalancingV2Client;
  /** IPv4 addresses of a host name (following CNAMEs). */
  readonly resolve: (hostName: string) => Promise<string[]>;
  readonly targets: readonly SyncTarget[];
  readonly log?: (entry: Record<string, unknown>) => void;
}

/** Syncs every hop; throws after trying them all when any failed, so the invocation counts as an error. */
export function createHandler(deps: SyncDependencies): () => Promise<SyncResult[]> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  return async () => {
    const results: SyncResult[] = [];
    for (const target of deps.targets) {
      const result = await syncOne(deps, target);
      log({ level: result.error ? "error" : "info", ...result });
      results.push(result);
    }
    const failed = results.filter((result) => result.error);
    if (failed.length > 0) throw new Error(failed.map((result) => `${result.name}: ${result.error}`).join("; "));
    return results;
  };
}

/**
 * Runs may overlap (the function has no reserved concurrency) and DNS may change mid-run, so a
 * pass that changed the group is followed by another, with a fresh resolution and a fresh read of
 * the group, until one finds nothing to change: a run that acted on a stale answer repairs itself.
 */
const MAX_PASSES = 3;

async function syncOne(deps: SyncDependencies, target: SyncTarget): Promise<SyncResult> {
  const registered: string[] = [];
  const deregistered: string[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = await syncPass(deps, target);
    registered.push(...result.registered);
    deregistered.push(...result.deregistered);
    if (result.error) return { name: target.name, registered, deregistered, error: result.error };
    if (result.registered.length === 0 && result.deregistered.length === 0) break;
  }
  return { name: target.name, registered, deregistered };
}

async function syncPass(deps: SyncDependencies, target: SyncTarget): Promise<SyncResult> {
  const empty = { name: target.name, registered: [], deregistered: [] };
  let resolution: Resolution;
  try {
    resolution = { ok: true, addresses: await deps.resolve(target.hostName) };
  } catch (error) {
    resolution = { ok: false, error: (error as Error).message };
  }
  try {
    const health = await deps.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: target.targetGroupArn }));
    const registered: RegisteredTarget[] = (health.TargetHealthDescriptions ?? []).flatMap((description) =>
      description.Target?.Id ? [{ ip: description.Target.Id, port: description.Target.Port ?? target.port, state: description.TargetHealth?.State }] : [],
    );
    const plan = reconcile(resolution, registered, target.port);
    if (plan.error) return { ...empty, error: plan.error };
    const asTargets = (targets: readonly IpTarget[]) => targets.map((t) => ({ Id: t.ip, Port: t.port }));
    // Register before deregistering: the new writer is reachable before the old one is let go.
    if (plan.register.length > 0) {
      await deps.elb.send(new RegisterTargetsCommand({ TargetGroupArn: target.targetGroupArn, Targets: asTargets(plan.register) }));
    }
    if (plan.deregister.length > 0) {
      await deps.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: target.targetGroupArn, Targets: asTargets(plan.deregister) }));
    }
    return { name: target.name, registered: plan.register.map((t) => t.ip), deregistered: plan.deregister.map((t) => t.ip) };
  } catch (error) {
    return { ...empty, error: `Elastic Load Balancing: ${(error as Error).message}` };
  }
}
