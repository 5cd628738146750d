// The London calendar: today's date, deadlines at a London time, the start and end of a day,
// the next 8am, dates as people read them. Written once in workflows/dates.ts, where the
// machines and the email templates (which may import nothing of the app) can use it too.
export * from "../../workflows/dates.ts";
