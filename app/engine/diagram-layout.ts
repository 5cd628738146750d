import type { AnyStateMachine, AnyStateNode } from "xstate";

export interface DiagramNode {
  id: string;
  label: string;
  x: number;
  y: number;
  final: boolean;
  initial: boolean;
}
export interface DiagramEdge {
  from: string;
  to: string;
  events: string[];
}
export interface Diagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 70;
const ROW_GAP = 26;
const MARGIN = 20;

/**
 * Lays a flat machine out from its own definition, so the picture cannot drift from the
 * code: states in columns by their distance from the initial state (breadth first),
 * transitions as arrows between them. Crude, but always true.
 */
export function layoutMachine(machine: AnyStateMachine): Diagram {
  const states = Object.values(machine.root.states) as AnyStateNode[];
  const byKey = new Map(states.map((s) => [s.key, s]));
  const initial = machine.root.initial?.target?.[0]?.key ?? states[0]!.key;

  const edgesByPair = new Map<string, DiagramEdge>();
  for (const node of states) {
    for (const [eventType, transitions] of node.transitions) {
      for (const transition of transitions) {
        const target = transition.target?.[0]?.key ?? node.key;
        if (target === node.key) continue;
        const key = `${node.key}->${target}`;
        const edge = edgesByPair.get(key) ?? { from: node.key, to: target, events: [] };
        if (!edge.events.includes(eventType)) edge.events.push(eventType);
        edgesByPair.set(key, edge);
      }
    }
    for (const transition of node.always ?? []) {
      const target = transition.target?.[0]?.key;
      if (!target || target === node.key) continue;
      const key = `${node.key}->${target}`;
      edgesByPair.set(key, edgesByPair.get(key) ?? { from: node.key, to: target, events: ["(automatically)"] });
    }
  }
  const edges = [...edgesByPair.values()];

  const depth = new Map<string, number>([[initial, 0]]);
  const queue = [initial];
  while (queue.length) {
    const current = queue.shift()!;
    for (const edge of edges.filter((e) => e.from === current)) {
      if (!depth.has(edge.to)) {
        depth.set(edge.to, depth.get(current)! + 1);
        queue.push(edge.to);
      }
    }
  }
  // States reachable only from outside the walk (none in a well-formed machine) go last.
  const maxDepth = Math.max(0, ...depth.values());
  for (const s of states) if (!depth.has(s.key)) depth.set(s.key, maxDepth + 1);

  const columns = new Map<number, string[]>();
  for (const s of states) {
    const d = depth.get(s.key)!;
    columns.set(d, [...(columns.get(d) ?? []), s.key]);
  }
  const nodes: DiagramNode[] = [];
  let tallest = 0;
  for (const [column, keys] of [...columns.entries()].sort((a, b) => a[0] - b[0])) {
    keys.forEach((key, row) => {
      const node = byKey.get(key)!;
      nodes.push({
        id: key,
        label: node.description ?? key,
        x: MARGIN + column * (NODE_WIDTH + COLUMN_GAP),
        y: MARGIN + row * (NODE_HEIGHT + ROW_GAP),
        final: node.type === "final",
        initial: key === initial,
      });
    });
    tallest = Math.max(tallest, keys.length);
  }
  return {
    nodes,
    edges,
    width: MARGIN * 2 + columns.size * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: MARGIN * 2 + tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
  };
}
