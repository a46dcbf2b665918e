// A strict parser for the subset of Mermaid flowchart syntax the plan summary emits. The official
// parsers cannot run here (`@mermaid-js/parser` has no flowchart grammar; `mermaid` needs Node 22
// and a DOM), so this accepts only statements the flowchart grammar (flow.jison) is known to
// accept and rejects everything else: a diagram that passes uses nothing outside that subset.
//
// Accepted statements, one per line:
//   flowchart LR|RL|TB|TD|BT            (first line only)
//   subgraph ID["label"]   ...   end
//   ID["label"]  ID[("label")]  ID(["label"])  ID{{"label"}}
//   ID --> ID   ID -.-> ID   ID ==> ID   ID -->|"label"| ID   ID -.->|"label"| ID
// Labels are double-quoted and contain no double quote (Mermaid writes it as #quot;).

export interface ParsedFlowchart {
  readonly direction: string;
  readonly nodes: ReadonlyMap<string, { label: string; subgraph?: string }>;
  readonly subgraphs: ReadonlyMap<string, string>;
  readonly edges: readonly { from: string; to: string; label?: string }[];
}

const RESERVED = new Set(["end", "subgraph", "graph", "flowchart", "style", "classdef", "class", "click", "linkstyle", "direction", "default", "call", "href"]);
const ID = "([A-Za-z][A-Za-z0-9_]*)";
const LABEL = '"([^"\\n]*)"';
const NODE_SHAPES = [
  new RegExp(`^${ID}\\[${LABEL}\\]$`),
  new RegExp(`^${ID}\\[\\(${LABEL}\\)\\]$`),
  new RegExp(`^${ID}\\(\\[${LABEL}\\]\\)$`),
  new RegExp(`^${ID}\\{\\{${LABEL}\\}\\}$`),
];
const EDGE = new RegExp(`^${ID} (-->|-\\.->|==>)(?:\\|${LABEL}\\|)? ${ID}$`);
const SUBGRAPH = new RegExp(`^subgraph ${ID}\\[${LABEL}\\]$`);

export class MermaidSyntaxError extends Error {}

export function parseFlowchart(text: string): ParsedFlowchart {
  const lines = text.split("\n");
  const fail = (index: number, message: string): never => {
    throw new MermaidSyntaxError(`line ${index + 1}: ${message}: ${JSON.stringify(lines[index])}`);
  };
  const header = /^flowchart (LR|RL|TB|TD|BT)$/.exec(lines[0] ?? "");
  if (!header) fail(0, "expected `flowchart <direction>` first");
  const nodes = new Map<string, { label: string; subgraph?: string }>();
  const subgraphs = new Map<string, string>();
  const edges: { from: string; to: string; label?: string }[] = [];
  const open: string[] = [];
  const checkId = (index: number, id: string) => {
    if (RESERVED.has(id.toLowerCase())) fail(index, `"${id}" is a Mermaid keyword and cannot be an id`);
    // `A --- oB` / `A --- xB` parse as circle and cross edges; keep ids clear of that.
    if (/^[ox][A-Z0-9_]/.test(id)) fail(index, `id "${id}" starting with o or x next to a link reads as a circle/cross edge`);
  };
  const checkLabel = (index: number, label: string) => {
    if (/[<>]/.test(label.replace(/<br\/>/g, ""))) fail(index, "only <br/> markup is allowed in labels");
    if (label.trim() === "") fail(index, "empty label");
  };

  for (let index = 1; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === "") continue;
    if (line === "end") {
      if (open.length === 0) fail(index, "`end` without an open subgraph");
      open.pop();
      continue;
    }
    const subgraph = SUBGRAPH.exec(line);
    if (subgraph) {
      checkId(index, subgraph[1]);
      checkLabel(index, subgraph[2]);
      if (subgraphs.has(subgraph[1]) || nodes.has(subgraph[1])) fail(index, `id "${subgraph[1]}" declared twice`);
      subgraphs.set(subgraph[1], subgraph[2]);
      open.push(subgraph[1]);
      continue;
    }
    const edge = EDGE.exec(line);
    if (edge) {
      const [, from, , label, to] = edge;
      for (const id of [from, to]) {
        checkId(index, id);
        if (!nodes.has(id) && !subgraphs.has(id)) fail(index, `link to "${id}", which is not declared before it`);
      }
      if (label !== undefined) checkLabel(index, label);
      edges.push({ from, to, label });
      continue;
    }
    const node = NODE_SHAPES.map((shape) => shape.exec(line)).find((match) => match !== null);
    if (node) {
      checkId(index, node[1]);
      checkLabel(index, node[2]);
      if (nodes.has(node[1]) || subgraphs.has(node[1])) fail(index, `id "${node[1]}" declared twice`);
      nodes.set(node[1], { label: node[2], subgraph: open[open.length - 1] });
      continue;
    }
    fail(index, "not a statement of the accepted flowchart subset");
  }
  if (open.length > 0) throw new MermaidSyntaxError(`subgraph ${open.join(", ")} is never closed with \`end\``);
  return { direction: header![1], nodes, subgraphs, edges };
}

/** The ```mermaid blocks of a Markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1]);
}
