// The decision the target-sync Lambda makes for one hop, as a pure function: which IP targets to
// register and deregister so that the target group holds exactly the writer's current address.

/** The writer endpoint's addresses, or why they could not be read. */
export type Resolution = { readonly ok: true; readonly addresses: readonly string[] } | { readonly ok: false; readonly error: string };

export interface IpTarget {
  readonly ip: string;
  readonly port: number;
}

export interface RegisteredTarget extends IpTarget {
  /** The ELB target health state: `healthy`, `initial`, `draining`, ... */
  readonly state?: string;
}

export interface ReconcilePlan {
  readonly register: readonly IpTarget[];
  readonly deregister: readonly IpTarget[];
  /** Set when nothing can be decided: the current targets are kept as they are. */
  readonly error?: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Targets to add and remove so the group holds the resolved addresses on `port`. A failed or empty
 * resolution changes nothing: deregistering the only target would cut DMS off for certain, while
 * keeping it is at worst as broken as it already is.
 */
export function reconcile(resolution: Resolution, registered: readonly RegisteredTarget[], port: number): ReconcilePlan {
  if (!resolution.ok) return { register: [], deregister: [], error: `could not resolve the writer endpoint: ${resolution.error}` };
  const wanted = [...new Set(resolution.addresses)];
  const invalid = wanted.filter((address) => !IPV4.test(address));
  if (invalid.length > 0) return { register: [], deregister: [], error: `the writer endpoint resolved to addresses that are not IPv4: ${invalid.join(", ")}` };
  if (wanted.length === 0) return { register: [], deregister: [], error: "the writer endpoint resolved to no address" };

  const key = (target: IpTarget) => `${target.ip}:${target.port}`;
  // A draining target is already on its way out; asking again would only reset its timer.
  const present = registered.filter((target) => target.state !== "draining");
  const presentKeys = new Set(present.map(key));
  const wantedTargets = wanted.map((ip) => ({ ip, port }));
  const wantedKeys = new Set(wantedTargets.map(key));
  return {
    register: wantedTargets.filter((target) => !presentKeys.has(key(target))),
    deregister: present.filter((target) => !wantedKeys.has(key(target))).map(({ ip, port: targetPort }) => ({ ip, port: targetPort })),
  };
}
