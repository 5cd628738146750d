// An adoption's statuses, shared by the server and the pages that show them.
export const adoptionStatuses = [
  { value: "registered", text: "Registered", tag: "grey" },
  { value: "planning", text: "Planning", tag: "blue" },
  { value: "live", text: "Live", tag: "green" },
  { value: "stopped", text: "Stopped", tag: "red" },
] as const;
export type AdoptionStatus = (typeof adoptionStatuses)[number]["value"];
export const adoptionStatusOf = (value: string) => adoptionStatuses.find((s) => s.value === value) ?? adoptionStatuses[0];
