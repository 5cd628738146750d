import { stageOfState } from "../../workflows/index.ts";

// Where a project stands, in the five columns the fund team reads a portfolio by: the stage
// it is delivering, or how it ended. "Starting" only lasts within the first step, so it
// counts as scan. Stopped and closed (stopped with its lessons recorded) both count as stopped.
export const portfolioStages = ["scan", "pilot", "scale", "completed", "stopped"] as const;
export type PortfolioStage = (typeof portfolioStages)[number];

export const portfolioStageLabels: Record<PortfolioStage, string> = {
  scan: "Scan",
  pilot: "Pilot",
  scale: "Scale",
  completed: "Completed",
  stopped: "Stopped",
};

export function portfolioStageOf(state: string): PortfolioStage {
  if (state === "completed") return "completed";
  if (state === "stopped" || state === "closed") return "stopped";
  return stageOfState(state) ?? "scan";
}

/** The same as portfolioStageOf, in SQL, for grouping in the database. */
export function portfolioStageSql(stateColumn: string): string {
  return `(CASE
    WHEN ${stateColumn} = 'completed' THEN 'completed'
    WHEN ${stateColumn} IN ('stopped', 'closed') THEN 'stopped'
    WHEN ${stateColumn} LIKE 'pilot\\_%' THEN 'pilot'
    WHEN ${stateColumn} LIKE 'scale\\_%' THEN 'scale'
    ELSE 'scan' END)`;
}
