import { logger } from "~/log/log.server.ts";
import { countTransition } from "./metrics.server.ts";

export interface TransitionLine {
  /** The machine or lifecycle: bid, assessment, project, partnership, adoption… */
  machine: string;
  recordId: string;
  /** The state before; null when the record was created by this transition. */
  from: string | null;
  to: string;
  event: string;
}

/**
 * One log line and one count per workflow transition written. The request id comes from
 * the request's context (log.server.ts adds it), so the line joins the request's own line
 * and the delivery lines of the emails the transition wrote.
 */
export function transitionWritten(transition: TransitionLine) {
  countTransition(transition.machine, transition.event);
  // fromState and toState, as the history table names them: "to" is a key the logger
  // removes wherever it appears, since in an email it is an address.
  const { from, to, ...rest } = transition;
  logger().info({ ...rest, fromState: from, toState: to }, "workflow transition");
}
