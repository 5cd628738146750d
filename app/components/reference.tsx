import { createContext, useContext } from "react";

/**
 * The id of the request that made what is on screen, for the error page's "quote reference":
 * the same id is on that request's log lines, so the fund team's support can find them.
 * On the server it is the request being answered; in the browser, the page's own request
 * until a later one (a form sent without reloading, a client-side navigation) answers.
 */
export const ReferenceContext = createContext<() => string | null>(() => null);

export function useReference(): string | null {
  return useContext(ReferenceContext)();
}

/** The name of the page's meta element that carries the reference to the browser. */
export const REFERENCE_META = "request-id";
