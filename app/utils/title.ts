import type { MetaArgs, MetaDescriptor } from "@remix-run/node";

export const SERVICE_NAME = "Springboard";

/** A part of a title: missing parts (a name a loader could not give) are left out. */
export type TitlePart = string | null | undefined;

/**
 * A page's title, as GOV.UK writes them: what the page is, then the thing it is about
 * ("Gate review: Housing repairs"), then the service. A page shown again because what was
 * sent was refused starts with "Error: ", the first thing a screen reader reads out after a
 * failed submit.
 */
export function pageTitle(parts: TitlePart[], hasErrors = false): string {
  const named = parts
    .map((part) => part?.trim())
    .filter((part): part is string => Boolean(part))
    .join(": ");
  return `${hasErrors ? "Error: " : ""}${named ? `${named} – ` : ""}${SERVICE_NAME}`;
}

/**
 * Set on the root route's data, for `meta` only, when the page is answering a refused form
 * (see app/components/page-meta.tsx for why it travels this way).
 */
export const REFUSED_FLAG = "pageShowsRefusal";

/** Whether the page's form was refused, as `meta` can tell from the matches it is given. */
export function refusedIn(matches: MetaArgs["matches"] | undefined): boolean {
  const root = matches?.find((match) => match.id === "root")?.data;
  return Boolean(root && typeof root === "object" && (root as Record<string, unknown>)[REFUSED_FLAG] === true);
}

/**
 * A route's `meta`: its title from the parts `parts` picks out of the loader's data, with
 * "Error: " in front when the page shows a refused form.
 */
export function titled<Loader = unknown>(parts: (args: MetaArgs<Loader>) => TitlePart[]) {
  return (args: MetaArgs<Loader>): MetaDescriptor[] => [{ title: pageTitle(parts(args), refusedIn(args.matches)) }];
}

/** Whether an action's answer is a refusal shown on the page: field errors, or a problem sentence. */
export function isRefusal(actionData: unknown): boolean {
  if (!actionData || typeof actionData !== "object") return false;
  const { errors, problem } = actionData as { errors?: unknown; problem?: unknown };
  if (typeof problem === "string" && problem) return true;
  return Boolean(errors && typeof errors === "object" && Object.values(errors).some((message) => typeof message === "string" && message));
}
