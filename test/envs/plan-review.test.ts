// Every reference environment through the review: the policy pack over its offline plan passes
// (no error-level finding), and its plan summary renders with a Mermaid diagram that parses.
import { describe, expect, it } from "vitest";
import { environmentNames, loadEnvironments } from "../../src/config/load.js";
import { policySuppressions } from "../../src/config/policy.js";
import { evaluatePolicy } from "../../src/policy/engine.js";
import { renderPlanSummary } from "../../src/terraform/plan-summary.js";
import { mermaidBlocks, parseFlowchart } from "../helpers/mermaid-flowchart.js";
import { REFERENCE_VARIABLES, referencePlan } from "../helpers/synth.js";

const environments = environmentNames(REFERENCE_VARIABLES);

function review(name: string) {
  const [environment] = loadEnvironments(REFERENCE_VARIABLES, [name]);
  const { json, plan } = referencePlan(name);
  const policy = evaluatePolicy({ plan: plan.planJson, synthesized: json, protected: environment.props.protected, suppressions: policySuppressions(environment.config) });
  return { environment, json, plan, policy, summary: renderPlanSummary({ environment: name, plan: plan.planJson, synthesized: json, policy }) };
}

describe("plan review of the reference environments", () => {
  for (const name of environments) {
    it(`${name} passes the policy pack`, () => {
      const { policy } = review(name);
      const errors = policy.findings.filter((finding) => finding.severity === "error").map((finding) => `${finding.rule} ${finding.address}: ${finding.message}`);
      expect(errors).toEqual([]);
      expect(policy.unusedSuppressions).toEqual([]);
    });

    it(`${name} renders a plan summary whose Mermaid diagram parses`, () => {
      const { summary, environment } = review(name);
      expect(summary).toContain("| **total** |");
      expect(summary).toContain("No stateful resource");
      const blocks = mermaidBlocks(summary);
      expect(blocks).toHaveLength(1);
      const chart = parseFlowchart(blocks[0]);
      const threeVpc = environment.props.network.topology === "three_vpc";
      expect([...chart.subgraphs.keys()]).toEqual(threeVpc ? ["source_vpc", "dms_vpc", "target_vpc"] : ["vpc"]);
      expect(chart.nodes.has("source_db")).toBe(true);
      if (threeVpc) expect(chart.edges).toContainEqual({ from: "source_hop_nlb", to: "source_hop_endpoint", label: "PrivateLink" });
    });
  }
});
