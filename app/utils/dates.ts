/**
 * Dates in London time. Pure (no database, no environment), so the seeding, the tests and the
 * benchmarks can share it without importing one another.
 */

/** 12:00 in London on the date `days` from now, whatever the clocks are doing. */
export function londonNoonInDays(days: number, from = new Date()): Date {
  const date = new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", hourCycle: "h23" }).format(noonUtc),
  );
  return new Date(noonUtc.getTime() - (londonHour - 12) * 3600_000);
}
