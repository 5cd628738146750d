/** One line of a record's timeline, as the pages show it: its workflow steps and its smaller changes alike. */
export interface TimelineEntry {
  id: string;
  at: string;
  title: string;
  actor: string;
  from: string | null;
  to: string;
  reason: string | null;
  details: string[];
}
