import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce.tsx";
import { isDatabaseUnavailable } from "./db/unavailable.server.ts";
import { CoalescingStream } from "./http/coalesce.server.ts";
import { ReferenceContext } from "./components/reference.tsx";
import { currentContext } from "./log/context.server.ts";
import { logger } from "./log/log.server.ts";

const ABORT_DELAY = 5_000;

// Requests (by their load context) whose loader or action failed because the database was
// away: handleError sees the error, handleRequest sets the status.
const databaseAway = new WeakSet<object>();

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce ?? "";
  const requestId = loadContext.requestId ?? null;
  const bot = isbot(request.headers.get("user-agent") ?? "");
  // A page whose loaders never asked `authorise` (an error before it, a route without data)
  // is named on its log line by the route Remix matched.
  const context = currentContext();
  const leaf = remixContext.staticHandlerContext.matches.at(-1)?.route.id;
  if (context && leaf && (context.routeId === undefined || context.routeId === "unmatched")) context.routeId = leaf;
  // The database is restarting or failing over: "try again shortly" (503), which monitors
  // and load balancers read as such, rather than a fault in the service (500).
  if (responseStatusCode === 500 && databaseAway.has(loadContext)) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", "5");
  }
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Started first, so that every callback below can clear it.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const respond = () => {
      shellRendered = true;
      // React's pieces of about 2 KB, gathered: each costs a step through the web stream,
      // a call into zlib and a socket write, whatever its size (app/http/coalesce.server.ts).
      const body = new CoalescingStream();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ReferenceContext.Provider value={() => requestId}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </ReferenceContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          if (!bot) respond();
        },
        onAllReady() {
          // Rendered to the end: nothing is left to abort. The timer holds the whole render
          // (the loader data, the page's elements) until it fires, so it goes now: left for its
          // 5 seconds, it kept every page served in those seconds in memory, which the garbage
          // collector then copied and promoted (docs/performance.md).
          clearTimeout(timer);
          if (bot) respond();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Before the shell, Remix passes the error to handleError below: logged there, once.
          if (shellRendered) logger().error({ err: error }, "A page failed while it was being sent");
        },
      },
    );
  });
}

/**
 * Every error a loader, action or render throws that is not a Response: logged once, here,
 * with the request id (added to the line from the request's context), which the error page
 * shows the person as the reference to quote.
 */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  // The person went away (closed the tab, followed another link): nothing failed.
  if (request.signal.aborted) return;
  const cause = isRouteErrorResponse(error) && (error as { error?: unknown }).error ? (error as { error?: unknown }).error : error;
  if (isDatabaseUnavailable(cause)) databaseAway.add(context);
  logger().error({ err: cause, method: request.method, route: currentContext()?.routeId }, "Unhandled error");
}
