import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/**
 * What the service knows about the request (or scheduled job run) it is working on, for
 * the log lines and the outbox rows written while it runs. Filled as the request goes:
 * the request id at once, the Remix route id and the signed-in person once a loader or
 * action has asked `authorise` and `getUser`.
 */
export interface RequestContext {
  requestId: string;
  /** The Remix route id ("routes/bids.$id_.certify"), or a label for what Express answers itself. */
  routeId?: string;
  userId?: string;
  organisationId?: string;
  /** Answers shared by everything that runs for this request (oncePerRequest). */
  memo?: Map<string, Promise<unknown>>;
}

// The Remix build and the server entry are separate module graphs: both must read the
// same store, or a request started in Express would be unknown inside a loader.
const holder = globalThis as unknown as { __springboardRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (holder.__springboardRequestContext ??= new AsyncLocalStorage<RequestContext>());

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/**
 * Runs `fn` once per request for `key`, and gives every later caller in the same request
 * the same answer: a page's root loader and its route's loader run side by side and both
 * ask who is signed in. A failure is not kept, so a later caller asks again. Outside a
 * request (tests, scripts) it simply runs `fn`.
 */
export function oncePerRequest<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const context = storage.getStore();
  if (!context) return fn();
  const memo = (context.memo ??= new Map());
  const known = memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const answer = fn();
  memo.set(key, answer);
  answer.catch(() => memo.delete(key));
  return answer;
}

/** Set by `authorise`: the route whose loader or action is answering. */
export function noteRoute(routeId: string) {
  const context = storage.getStore();
  if (context) context.routeId = routeId;
}

/** Set once a session is resolved: who is asking, as ids only. */
export function noteUser(user: { id: string; organisation: { id: string } }) {
  const context = storage.getStore();
  if (!context) return;
  context.userId = user.id;
  context.organisationId = user.organisation.id;
}

// Letters, digits, dot, underscore and hyphen: what proxies and load balancers generate
// (UUIDs, hex), and nothing that could break a log line or a header.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The id for a request: the one a proxy in front sent in `X-Request-Id` when it is a short
 * safe token (so one id follows the request through both), otherwise a new one. 16
 * lower-case hex characters are short enough for a person to read out.
 */
export function requestIdFrom(header: string | string[] | undefined | null): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && SAFE_REQUEST_ID.test(value)) return value;
  return newRequestId();
}

export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}
