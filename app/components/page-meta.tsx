import { Meta } from "@remix-run/react";
import { useContext } from "react";
// The router's state, which Remix's own <Meta> reads: the only place outside a route where
// that route's action data can be read. Remix and this import share one copy of the package
// (@remix-run/react pins it), so the context is the one Remix provides.
import { UNSAFE_DataRouterStateContext as DataRouterStateContext } from "react-router-dom";
import { isRefusal, REFUSED_FLAG } from "~/utils/title.ts";

/**
 * Whether the page is showing a form the service refused: an action on the page answered
 * with errors. It reads the same state on the server (a form posted without JavaScript) and
 * in the browser (a form sent by the client app), so both render alike.
 */
export function useShowsRefusal(): boolean {
  const state = useContext(DataRouterStateContext);
  return Object.values(state?.actionData ?? {}).some(isRefusal);
}

/**
 * Remix's <Meta>, told whether the page shows a refused form. Remix gives a route's `meta`
 * its loader's data but never its action's (remix-run/remix#3534 was closed unmerged), and a
 * title must start with "Error: " when the page is shown again with errors, with or without
 * JavaScript. So the router state <Meta> reads is passed on with the root route's data marked
 * (the mark is seen by `meta` alone: the pages read the real state), and each `meta` asks
 * `refusedIn(matches)` (app/utils/title.ts).
 */
export function PageMeta() {
  const state = useContext(DataRouterStateContext);
  const refused = useShowsRefusal();
  if (!state || !refused) return <Meta />;
  const root = state.loaderData.root as Record<string, unknown> | undefined;
  const loaderData = { ...state.loaderData, root: { ...root, [REFUSED_FLAG]: true } };
  return (
    <DataRouterStateContext.Provider value={{ ...state, loaderData }}>
      <Meta />
    </DataRouterStateContext.Provider>
  );
}
