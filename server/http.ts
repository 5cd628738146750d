import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { CSRF_COOKIE } from "~/security/csrf.server.ts";
import { randomToken, serializeCookie, sign, unsign } from "~/security/tokens.server.ts";

import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    nonce: string;
    csrfToken: string;
    clientIp: string;
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
 */
export function refuseOversizedBodies(limit: number, sentence: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers["content-length"] ?? "");
    if (Number.isFinite(declared) && declared > limit) {
      res.status(413).set("Connection", "close").type("text/plain").send(sentence);
      return;
    }
    next();
  };
}

/** Gives every browser a signed CSRF token cookie (see app/security/csrf.server.ts). */
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
    res.locals.csrfToken = token;
    next();
  };
}

function parseCookie(header: string, name: string): string | null {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function loadContext(req: Request, res: Response): AppLoadContext {
  return { nonce: res.locals.nonce, csrfToken: res.locals.csrfToken, clientIp: req.ip ?? "unknown" };
}
