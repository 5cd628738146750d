/**
 * Pages sent as HTML alone: no React in the browser, so no copy of the page's data in the page
 * for it (docs/decisions/0021-read-only-pages-not-hydrated.md). A route exports
 * `handle = htmlOnly` when it only shows figures, tables, links and plain forms, which work the
 * same without JavaScript; GOV.UK Frontend's own script still runs on it.
 */
export const htmlOnly = { hydrate: false } as const;

/** Whether the page being rendered loads Remix's scripts: unless one of its routes asks for HTML alone. */
export function pageHydrates(matches: readonly { handle?: unknown }[]): boolean {
  return !matches.some((match) => (match.handle as { hydrate?: unknown } | undefined)?.hydrate === false);
}
