import { db } from "~/db/database.server.ts";
import type { Prisma } from "~/generated/prisma/client.ts";
import type { FieldErrors } from "~/rounds/setup.ts";
import { defaultFundRules, parseFundRules, type FundRules } from "../../workflows/rules.ts";
import type { FundSettings } from "./setup.ts";
import { notFound } from "~/http/errors.server.ts";

const SLUG_TAKEN = "Another fund already uses this web address; choose another";

/** A stored fund's rules; rules that no longer parse come back as the defaults for the fund team to put right. */
export function storedRules(fund: { rules: unknown }): { rules: FundRules; valid: boolean } {
  try {
    return { rules: parseFundRules(fund.rules), valid: true };
  } catch {
    return { rules: defaultFundRules, valid: false };
  }
}

/** Every fund, for the fund team's list: a view model, with how many rounds each has. */
export async function fundList() {
  const funds = await db().fund.findMany({
    select: { slug: true, name: true, summary: true, _count: { select: { rounds: true } } },
    orderBy: { name: "asc" },
  });
  return funds.map((f) => ({ slug: f.slug, name: f.name, summary: f.summary, rounds: f._count.rounds }));
}

export async function fundBySlug(slug: string | undefined) {
  const fund = slug ? await db().fund.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, summary: true, rules: true } }) : null;
  if (!fund) throw notFound();
  return fund;
}

/** The rounds made from a fund, newest first, for its page. */
export async function roundsOfFund(fundId: string) {
  const rounds = await db().round.findMany({
    where: { fundId },
    select: { slug: true, name: true, stage: true, closesAt: true },
    orderBy: { closesAt: "desc" },
    take: 50,
  });
  return rounds.map((r) => ({ slug: r.slug, name: r.name, stage: r.stage, closesAt: r.closesAt.toISOString() }));
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

async function slugTaken(slug: string, exceptId?: string) {
  const found = await db().fund.findUnique({ where: { slug }, select: { id: true } });
  return Boolean(found && found.id !== exceptId);
}

const columns = (settings: FundSettings) => ({
  name: settings.name,
  slug: settings.slug,
  summary: settings.summary,
  rules: settings.rules as unknown as Prisma.InputJsonValue,
});

export async function createFund(settings: FundSettings): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  if (await slugTaken(settings.slug)) return { ok: false, errors: { slug: SLUG_TAKEN } };
  try {
    const fund = await db().fund.create({ data: columns(settings), select: { slug: true } });
    return { ok: true, slug: fund.slug };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: SLUG_TAKEN } };
    throw error;
  }
}

/**
 * Changes the fund only. Its rounds keep the rules they copied when they were made, so a
 * bid is always judged by the rules its round was opened under; new rounds copy these.
 */
export async function updateFund(id: string, settings: FundSettings): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  if (await slugTaken(settings.slug, id)) return { ok: false, errors: { slug: SLUG_TAKEN } };
  try {
    const fund = await db().fund.update({ where: { id }, data: columns(settings), select: { slug: true } });
    return { ok: true, slug: fund.slug };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: SLUG_TAKEN } };
    throw error;
  }
}
