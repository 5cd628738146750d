import type { Diagram } from "./diagram-layout.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./diagram-layout.ts";

/** A server-rendered SVG of a machine; the table beside it carries the same facts in text. */
export function StateDiagram({ diagram, title, id }: { diagram: Diagram; title: string; id: string }) {
  const at = new Map(diagram.nodes.map((n) => [n.id, n]));
  return (
    // Wide diagrams scroll sideways; keyboard users need to be able to focus the region to scroll it.
    <div className="app-diagram-scroll" role="region" aria-label={`${title} (scrolls sideways)`} tabIndex={0}>
      <svg
        role="img"
        aria-labelledby={`${id}-title`}
        viewBox={`0 0 ${diagram.width} ${diagram.height}`}
        width={diagram.width}
        height={diagram.height}
        className="app-state-diagram"
      >
        <title id={`${id}-title`}>{title}</title>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#505a5f" />
          </marker>
        </defs>
        {diagram.edges.map((edge) => {
          const from = at.get(edge.from)!;
          const to = at.get(edge.to)!;
          const forward = to.x > from.x;
          const x1 = forward ? from.x + NODE_WIDTH : from.x + NODE_WIDTH / 2;
          const y1 = forward ? from.y + NODE_HEIGHT / 2 : from.y + (to.y > from.y ? NODE_HEIGHT : 0);
          const x2 = forward ? to.x : to.x + NODE_WIDTH / 2;
          const y2 = forward ? to.y + NODE_HEIGHT / 2 : to.y + (to.y > from.y ? 0 : NODE_HEIGHT);
          const bend = forward ? 0 : 40;
          const path = `M ${x1} ${y1} C ${x1 + (forward ? 35 : -bend)} ${y1}, ${x2 + (forward ? -35 : -bend)} ${y2}, ${x2} ${y2}`;
          return (
            <path key={`${edge.from}-${edge.to}`} d={path} fill="none" stroke="#505a5f" strokeWidth="1.5" markerEnd={`url(#${id}-arrow)`}>
              <title>{`${from.label} to ${to.label}: ${edge.events.join(" or ")}`}</title>
            </path>
          );
        })}
        {diagram.nodes.map((node) => (
          <g key={node.id}>
            <rect
              x={node.x}
              y={node.y}
              width={NODE_WIDTH}
              height={NODE_HEIGHT}
              rx={node.final ? 22 : 4}
              fill={node.initial ? "#d2e2f1" : node.final ? "#f3f2f1" : "#ffffff"}
              stroke={node.final ? "#0b0c0c" : "#1d70b8"}
              strokeWidth={node.final ? 3 : 2}
            />
            <text x={node.x + NODE_WIDTH / 2} y={node.y + NODE_HEIGHT / 2 + 5} textAnchor="middle" fontSize="14" fill="#0b0c0c" fontFamily="Arial, sans-serif">
              {node.label.length > 22 ? `${node.label.slice(0, 21)}…` : node.label}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
