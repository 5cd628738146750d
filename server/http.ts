import { randomBytes } from "node:crypto";
import type { Express, NextFunction, Request, Response } from "express";
import { CSRF_COOKIE, SESSION_COOKIE } from "~/security/cookie-names.ts";
import { expectedCsrfToken } from "~/security/csrf.server.ts";
import { decodeCookie, randomToken, serializeCookie, sign, unsign } from "~/security/tokens.server.ts";

import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    nonce: string;
    csrfToken: string;
    clientIp: string;
    /** This request's id (server/observability.ts), for the error page's reference. */
    requestId: string;
  }
}

/**
 * Headers for every response. The CSP allows only this origin and a per-request nonce
 * for Remix's inline hydration script; nothing may frame the service.
 */
// Email previews are our own templates with sample data; emails need inline styles
// (mail clients ignore stylesheets), so only these pages may use them.
const EMAIL_PREVIEW = /^\/notifications\/templates\/[a-z0-9-]+\/preview$/;

export function securityHeaders(options: { https: boolean; dev: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const inlineStyles = options.dev || EMAIL_PREVIEW.test(req.path);
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    const connect = options.dev ? "'self' ws://localhost:*" : "'self'";
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'${options.dev ? " 'unsafe-eval'" : ""}`,
        `style-src 'self'${inlineStyles ? " 'unsafe-inline'" : ""}`,
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src ${connect}`,
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
      ].join("; "),
    );
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (options.https) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/**
 * Refuses, before any of it is read, a body that says it is larger than the largest upload
 * (app/forms/limits.ts): the cheap first fence. readForm (app/forms/body.server.ts) bounds
 * each action's body to its kind while streaming, including bodies that do not say their
 * length. The connection is closed so the rest of the body is not read either.
 *
 * One exception: a form with a file (multipart) declared no larger than `answerLimit` goes on
 * to its page, which refuses the file beside its field with the rest of the form kept,
 * reading no more than the fields before the file (readUpload). A browser shows no answer
 * until it has sent its whole body, so once the page has answered, the rest is read and
 * thrown away rather than left to stall the connection: nothing of it is kept.
 */
export function refuseOversizedBodies(limit: number, sentence: string, answerLimit = limit) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers["content-length"] ?? "");
    if (Number.isFinite(declared) && declared > limit) {
      const multipart = /^multipart\/form-data/i.test(req.headers["content-type"] ?? "");
      if (!multipart || declared > answerLimit) {
        res.status(413).set("Connection", "close").type("text/plain").send(sentence);
        return;
      }
      res.once("finish", () => discardRest(req));
    }
    next();
  };
}

/** Reads what is left of a request's body and drops it: the page that had its part is done. */
function discardRest(req: Request) {
  if (req.complete || req.destroyed) return;
  // The page's reader (Remix's stream of the body) would queue what follows: it is let go.
  req.removeAllListeners("data");
  req.resume();
}

/**
 * How many proxies stand in front (TRUST_PROXY, a hop count). With n, Express reads the
 * client's address n entries from the right of X-Forwarded-For, the ones our proxies
 * appended; whatever the client wrote further left is ignored, so it cannot choose the
 * address the rate limits count.
 */
export function trustProxies(app: Express, hops: number) {
  app.set("trust proxy", hops);
}

export const NUL_IN_ADDRESS =
  "The address of this page contains a NUL character (%00), which no page of this service accepts. Remove it from the address and try again.";

/**
 * A NUL character anywhere in the address (path or query) is refused here, once for every
 * route: PostgreSQL can neither store nor compare one, so it would reach a query as a 500.
 */
export function refuseNulInAddress() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (/%00|\0/i.test(req.originalUrl)) {
      res.status(400).type("text/plain").send(NUL_IN_ADDRESS);
      return;
    }
    next();
  };
}

/**
 * Nothing a signed-in person is sent may be kept by a browser's or a proxy's cache: pages
 * hold their personal data and a form token, and the back button after signing out on a
 * shared computer must not show them. Every page (HTML or Remix's .data) also carries
 * this browser's form token, so a page is never stored either, signed in or not. Only a
 * response that chose its own Cache-Control (the public open-data files) keeps it, and
 * only for a request that is not signed in. Set as the headers go out, since Remix writes
 * its own headers after this runs.
 */
export function noStoreForPeople() {
  return (req: Request, res: Response, next: NextFunction) => {
    const signedIn = parseCookie(req.headers.cookie ?? "", SESSION_COOKIE) !== null;
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
      if (signedIn || !this.hasHeader("Cache-Control")) this.setHeader("Cache-Control", "no-store");
      return writeHead.apply(this, args);
    } as Response["writeHead"];
    next();
  };
}

/**
 * Gives every browser a signed CSRF token cookie, and every page the token its forms must
 * carry: the session's once signed in (see app/security/csrf.server.ts).
 */
export function csrfCookie(options: { secret: string; https: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const existing = parseCookie(req.headers.cookie ?? "", CSRF_COOKIE);
    let token = existing ? unsign(existing, options.secret) : null;
    if (!token) {
      token = randomToken();
      const cookie = serializeCookie(CSRF_COOKIE, sign(token, options.secret), { secure: options.https });
      res.append("Set-Cookie", cookie);
      // Let this same request's forms use the new token: the action will see the cookie
      // on the next request because the browser stores it with this response.
      req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ""}${CSRF_COOKIE}=${encodeURIComponent(sign(token, options.secret))}`;
    }
    res.locals.csrfToken = expectedCsrfToken((name) => parseCookie(req.headers.cookie ?? "", name), options.secret) ?? token;
    next();
  };
}

function parseCookie(header: string, name: string): string | null {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookie(part.slice(eq + 1).trim());
  }
  return null;
}

export function loadContext(req: Request, res: Response): AppLoadContext {
  return { nonce: res.locals.nonce, csrfToken: res.locals.csrfToken, clientIp: req.ip ?? "unknown", requestId: res.locals.requestId };
}
