import { z } from "zod";
import { isBlank } from "./format";

// What every workflow event carries, and the machinery that turns a guard into a sentence.
// Guards are built from named checks; each check returns null when it is satisfied or the
// sentence a person reads when it is not. The machine's one guard ("checks") runs a list of
// them, so `applyEvent` can re-run the same list to say exactly which rule refused.

export const roles = ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover", "admin"] as const;
export type Role = (typeof roles)[number];

export const actorSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(roles),
  organisationId: z.string().min(1),
  /** Gate approvers only: counts towards a tier's "one of them senior" (User.senior). */
  senior: z.boolean().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

/** Fields every event has: who acts and when (time always comes from the event). */
export const baseEventSchema = z.object({ actor: actorSchema, at: isoDateTime });

/**
 * Reasons are optional in the schema on purpose: a blank or missing reason is a person's
 * mistake, answered by the `reasonGiven` check with a sentence, not a contract error.
 */
export const reasonField = z.string().optional();

export type Check<TContext, TEvent> = {
  /** What the rule is, for documentation and admin screens. */
  rule: string;
  /**
   * "actor": depends only on the record's context and who is acting, so `allowedEvents`
   * can evaluate it before any form is filled in. "payload": needs the event's other fields.
   */
  needs: "actor" | "payload";
  /** null when satisfied; otherwise the sentence explaining the refusal. */
  refuse: (context: TContext, event: TEvent) => string | null;
};

export type CheckTable<TContext, TEvent> = Record<string, Check<TContext, TEvent>>;

export interface ChecksGuard<TName extends string> {
  type: "checks";
  params: { names: readonly TName[] };
}

/** Builds the guard `{ type: "checks", params: { names } }` for a transition. */
export function checksFor<TName extends string>() {
  return (...names: TName[]): ChecksGuard<TName> => ({ type: "checks", params: { names } });
}

export function runChecks<TContext, TEvent>(
  table: CheckTable<TContext, TEvent>,
  names: readonly string[],
  context: TContext,
  event: TEvent,
  only?: Check<TContext, TEvent>["needs"],
): string | null {
  for (const name of names) {
    const check = table[name];
    if (!check) throw new Error(`Unknown check "${name}".`);
    if (only && check.needs !== only) continue;
    const refusal = check.refuse(context, event);
    if (refusal !== null) return refusal;
  }
  return null;
}

export function guardFromChecks<TContext, TEvent>(table: CheckTable<TContext, TEvent>) {
  return ({ context, event }: { context: TContext; event: TEvent }, params: { names: readonly string[] }) =>
    runChecks(table, params.names, context, event) === null;
}

/** The check names of a transition's guard, or [] for an unguarded transition. */
export function checkNamesOf(guard: unknown): string[] {
  if (guard && typeof guard === "object" && (guard as { type?: unknown }).type === "checks") {
    const names = (guard as ChecksGuard<string>).params?.names;
    return Array.isArray(names) ? [...names] : [];
  }
  return [];
}

/** The reason text from any event, or undefined. */
export function reasonOf(event: unknown): string | undefined {
  const reason = (event as { reason?: unknown }).reason;
  return typeof reason === "string" ? reason : undefined;
}

/** A check that the event carries a non-blank reason; `purposes` finishes "A reason is required to …". */
export function reasonGiven<TContext, TEvent extends { type: string }>(purposes: Partial<Record<TEvent["type"], string>>): Check<TContext, TEvent> {
  return {
    rule: "Refusing, reopening, returning or stopping needs a reason, shown on the timeline.",
    needs: "payload",
    refuse: (_context, event) => (isBlank(reasonOf(event)) ? `A reason is required to ${purposes[event.type as TEvent["type"]] ?? "do this"}.` : null),
  };
}

/** A check that the actor has one of `allowed` roles; `who` names them for the sentence. */
export function actorHasRole<TContext, TEvent extends { type: string; actor: Actor }>(
  allowed: readonly Role[],
  who: string,
  actions: Partial<Record<TEvent["type"], string>>,
): Check<TContext, TEvent> {
  return {
    rule: `Only ${who} can act.`,
    needs: "actor",
    refuse: (_context, event) => (allowed.includes(event.actor.role) ? null : `Only ${who} can ${actions[event.type as TEvent["type"]] ?? "do this"}.`),
  };
}
