// Groups of assessment states that the code and its SQL both count by. Plain constants with no
// imports, so that the assessment folder's SQL (sql.server.ts) can read them without importing
// the modules that call it.

/** Assessments whose scores are in and stand until a moderator returns them. */
export const SUBMITTED_STATES = ["submitted", "resubmitted", "confirmed"] as const;

/** The states in which an assessment still waits for its assessor. */
export const UNFINISHED_STATES = ["invited", "accepted", "interestsDeclared", "scoring", "returned"];
