// The target-sync decision for one hop, as a pure function.
import { describe, expect, it } from "vitest";
import { reconcile } from "../../modules/database/target-sync/reconcile.js";

const ok = (...addresses: string[]) => ({ ok: true as const, addresses });

describe("reconcile", () => {
  it("changes nothing when the writer's address is already the only target", () => {
    expect(reconcile(ok("10.0.1.20"), [{ ip: "10.0.1.20", port: 5432, state: "healthy" }], 5432)).toEqual({ register: [], deregister: [] });
  });

  it("registers the new address and deregisters the old one after a failover", () => {
    expect(reconcile(ok("10.0.2.31"), [{ ip: "10.0.1.20", port: 5432, state: "healthy" }], 5432)).toEqual({
      register: [{ ip: "10.0.2.31", port: 5432 }],
      deregister: [{ ip: "10.0.1.20", port: 5432 }],
    });
  });

  it("registers the writer in an empty target group (the first run after deploy)", () => {
    expect(reconcile(ok("10.0.1.20"), [], 5432)).toEqual({ register: [{ ip: "10.0.1.20", port: 5432 }], deregister: [] });
  });

  it("removes an extra stale target and one on the wrong port, keeping the right one", () => {
    const plan = reconcile(
      ok("10.0.1.20"),
      [
        { ip: "10.0.1.20", port: 5432, state: "healthy" },
        { ip: "10.0.2.44", port: 5432, state: "unhealthy" },
        { ip: "10.0.1.20", port: 6432, state: "unhealthy" },
      ],
      5432,
    );
    expect(plan).toEqual({ register: [], deregister: [{ ip: "10.0.2.44", port: 5432 }, { ip: "10.0.1.20", port: 6432 }] });
  });

  it("does not ask again for a target that is already draining", () => {
    expect(reconcile(ok("10.0.2.31"), [{ ip: "10.0.2.31", port: 5432, state: "initial" }, { ip: "10.0.1.20", port: 5432, state: "draining" }], 5432)).toEqual({
      register: [],
      deregister: [],
    });
  });

  it("keeps the current targets and reports an error when DNS fails", () => {
    const plan = reconcile({ ok: false, error: "queryA ESERVFAIL db.cluster-abc.us-east-1.rds.amazonaws.com" }, [{ ip: "10.0.1.20", port: 5432, state: "healthy" }], 5432);
    expect(plan.register).toEqual([]);
    expect(plan.deregister).toEqual([]);
    expect(plan.error).toMatch(/could not resolve the writer endpoint: queryA ESERVFAIL/);
  });

  it("keeps the current targets when the name resolves to nothing or to something that is not IPv4", () => {
    const current = [{ ip: "10.0.1.20", port: 5432, state: "healthy" }];
    expect(reconcile(ok(), current, 5432)).toMatchObject({ register: [], deregister: [], error: expect.stringMatching(/no address/) });
    expect(reconcile(ok("fd00::1"), current, 5432)).toMatchObject({ register: [], deregister: [], error: expect.stringMatching(/not IPv4: fd00::1/) });
  });

  it("registers each address once when DNS repeats one", () => {
    expect(reconcile(ok("10.0.1.20", "10.0.1.20"), [], 5432).register).toEqual([{ ip: "10.0.1.20", port: 5432 }]);
  });
});
