// The target-sync handler against a mocked Elastic Load Balancing API (there is no local ELBv2
// server) and a stand-in resolver.
import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createHandler, SyncTarget } from "../../modules/database/target-sync/handler.js";

const elbMock = mockClient(ElasticLoadBalancingV2Client);
afterEach(() => elbMock.reset());
// The next file in this worker gets the real client.
afterAll(() => elbMock.restore());

const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/dev-nlb-tg-db-target/abc";
const SOURCE_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/dev-nlb-tg-db-source/def";
const targets: SyncTarget[] = [
  { name: "target", targetGroupArn: TARGET_GROUP, hostName: "db.cluster-abc.us-east-1.rds.amazonaws.com", port: 5432 },
  { name: "simulated_source", targetGroupArn: SOURCE_GROUP, hostName: "src.cluster-def.us-east-1.rds.amazonaws.com", port: 5432 },
];

function handlerWith(addresses: Record<string, string[] | Error>) {
  const logs: Record<string, unknown>[] = [];
  const handler = createHandler({
    elb: new ElasticLoadBalancingV2Client({ region: "us-east-1" }),
    resolve: async (host) => {
      const answer = addresses[host];
      if (answer instanceof Error) throw answer;
      return answer ?? [];
    },
    targets,
    log: (entry) => logs.push(entry),
  });
  return { handler, logs };
}

/** The target groups as ELB holds them: registering and deregistering change what the next describe returns. */
const groups = new Map<string, Set<string>>();
afterEach(() => groups.clear());

function registered(groupArn: string, ...ips: string[]) {
  groups.set(groupArn, new Set(ips));
  elbMock.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) => ({
    TargetHealthDescriptions: [...(groups.get(input.TargetGroupArn) ?? [])].map((ip) => ({ Target: { Id: ip, Port: 5432 }, TargetHealth: { State: "healthy" } })),
  }));
  elbMock.on(RegisterTargetsCommand).callsFake((input: { TargetGroupArn: string; Targets: { Id: string }[] }) => {
    for (const target of input.Targets) groups.get(input.TargetGroupArn)?.add(target.Id);
    return {};
  });
  elbMock.on(DeregisterTargetsCommand).callsFake((input: { TargetGroupArn: string; Targets: { Id: string }[] }) => {
    for (const target of input.Targets) groups.get(input.TargetGroupArn)?.delete(target.Id);
    return {};
  });
}

describe("target-sync handler", () => {
  it("makes no change when both hops already point at their writers", async () => {
    registered(TARGET_GROUP, "10.0.1.20");
    registered(SOURCE_GROUP, "192.168.1.15");
    const { handler } = handlerWith({ [targets[0].hostName]: ["10.0.1.20"], [targets[1].hostName]: ["192.168.1.15"] });
    await expect(handler()).resolves.toEqual([
      { name: "target", registered: [], deregistered: [] },
      { name: "simulated_source", registered: [], deregistered: [] },
    ]);
    expect(elbMock.commandCalls(RegisterTargetsCommand)).toHaveLength(0);
    expect(elbMock.commandCalls(DeregisterTargetsCommand)).toHaveLength(0);
  });

  it("registers the new writer before deregistering the old one", async () => {
    registered(TARGET_GROUP, "10.0.1.20");
    registered(SOURCE_GROUP, "192.168.1.15");
    const { handler } = handlerWith({ [targets[0].hostName]: ["10.0.2.31"], [targets[1].hostName]: ["192.168.1.15"] });
    await handler();
    const calls = elbMock.calls().map((call) => call.args[0]);
    const register = calls.findIndex((command) => command instanceof RegisterTargetsCommand);
    const deregister = calls.findIndex((command) => command instanceof DeregisterTargetsCommand);
    expect(register).toBeGreaterThan(-1);
    expect(deregister).toBeGreaterThan(register);
    expect(elbMock.commandCalls(RegisterTargetsCommand)[0].args[0].input).toEqual({ TargetGroupArn: TARGET_GROUP, Targets: [{ Id: "10.0.2.31", Port: 5432 }] });
    expect(elbMock.commandCalls(DeregisterTargetsCommand)[0].args[0].input).toEqual({ TargetGroupArn: TARGET_GROUP, Targets: [{ Id: "10.0.1.20", Port: 5432 }] });
  });

  it("deregisters an extra stale target", async () => {
    registered(TARGET_GROUP, "10.0.1.20", "10.0.2.31");
    registered(SOURCE_GROUP, "192.168.1.15");
    const { handler } = handlerWith({ [targets[0].hostName]: ["10.0.2.31"], [targets[1].hostName]: ["192.168.1.15"] });
    await expect(handler()).resolves.toContainEqual({ name: "target", registered: [], deregistered: ["10.0.1.20"] });
    expect(elbMock.commandCalls(RegisterTargetsCommand)).toHaveLength(0);
  });

  it("keeps the targets of a hop whose name does not resolve, still syncs the other, then fails the invocation", async () => {
    registered(TARGET_GROUP, "10.0.1.20");
    registered(SOURCE_GROUP, "192.168.1.15");
    const { handler, logs } = handlerWith({ [targets[0].hostName]: new Error("queryA ETIMEOUT db.cluster-abc"), [targets[1].hostName]: ["192.168.1.99"] });
    await expect(handler()).rejects.toThrow(/target: could not resolve the writer endpoint: queryA ETIMEOUT/);
    expect(elbMock.commandCalls(DeregisterTargetsCommand).map((call) => call.args[0].input.TargetGroupArn)).toEqual([SOURCE_GROUP]);
    expect(elbMock.commandCalls(RegisterTargetsCommand).map((call) => call.args[0].input.TargetGroupArn)).toEqual([SOURCE_GROUP]);
    expect(logs).toContainEqual(expect.objectContaining({ level: "error", name: "target" }));
  });

  it("repairs a pass made with a stale answer: another pass resolves again and converges on the current writer", async () => {
    registered(TARGET_GROUP, "10.0.1.20");
    registered(SOURCE_GROUP, "192.168.1.15");
    const answers = [["10.0.2.31"], ["10.0.3.40"]];
    const handler = createHandler({
      elb: new ElasticLoadBalancingV2Client({ region: "us-east-1" }),
      resolve: async (host) => (host === targets[0].hostName ? (answers.shift() ?? ["10.0.3.40"]) : ["192.168.1.15"]),
      targets,
      log: () => undefined,
    });
    await expect(handler()).resolves.toContainEqual({ name: "target", registered: ["10.0.2.31", "10.0.3.40"], deregistered: ["10.0.1.20", "10.0.2.31"] });
    expect([...groups.get(TARGET_GROUP)!]).toEqual(["10.0.3.40"]);
  });

  it("reports an Elastic Load Balancing failure as the hop's error", async () => {
    elbMock.on(DescribeTargetHealthCommand).rejects(new Error("AccessDenied"));
    const { handler } = handlerWith({ [targets[0].hostName]: ["10.0.1.20"], [targets[1].hostName]: ["192.168.1.15"] });
    await expect(handler()).rejects.toThrow(/target: Elastic Load Balancing: AccessDenied; simulated_source: Elastic Load Balancing: AccessDenied/);
  });
});
