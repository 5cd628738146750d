import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Which pages count as the same page for the accessibility check, and where the results
 * are kept so that every Playwright worker of a run shares them.
 *
 * A page is its route (path segments holding a digit, which are ids, references and
 * tokens, count as one), the names of its query parameters, its status, and its structure:
 * every element, class (GOV.UK modifiers included, so a red tag is not a green tag), input
 * type and role it contains. Two visits that differ only in text (another bid's title,
 * another person's name) are one page; a form shown again with errors, a page with a
 * banner or a table it lacked before, is another. axe's findings follow structure, not
 * wording, and checking each distinct page once keeps the journeys fast.
 */
export const axeCacheDir = path.resolve(import.meta.dirname, "../../test-results/axe");

export function pageKey(url: string, status: number, html: string): string {
  const address = new URL(url);
  const route = address.pathname
    .split("/")
    .map((segment) => (/\d/.test(segment) ? ":id" : segment))
    .join("/");
  const query = [...new Set(address.searchParams.keys())].sort().join("&");
  const body = html.replace(/<script[\s\S]*?<\/script>/g, "");
  const structure = new Set<string>();
  for (const [, tag] of body.matchAll(/<([a-z][a-z0-9-]*)/g)) structure.add(`<${tag}`);
  for (const [, classes] of body.matchAll(/\sclass="([^"]*)"/g)) for (const name of classes!.split(/\s+/)) if (name) structure.add(`.${name}`);
  for (const [, attribute, value] of body.matchAll(/\s(type|role|aria-[a-z]+)="([^"]*)"/g)) {
    structure.add(attribute!.startsWith("aria-") && !["aria-live", "aria-hidden"].includes(attribute!) ? `@${attribute}` : `@${attribute}=${value}`);
  }
  const fingerprint = [...structure].sort().join(" ");
  return createHash("sha256").update(`${route}?${query} ${status} ${fingerprint}`).digest("hex").slice(0, 32);
}

export function cachedFindings(key: string): string[] | undefined {
  const file = path.join(axeCacheDir, `${key}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as string[]) : undefined;
}

export function cacheFindings(key: string, findings: string[]) {
  mkdirSync(axeCacheDir, { recursive: true });
  // Written whole, then renamed: another worker never reads half a file.
  const file = path.join(axeCacheDir, `${key}.json`);
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(findings));
  renameSync(`${file}.${process.pid}`, file);
}
