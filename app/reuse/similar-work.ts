// The similar-work panel's view model, shared by the server that builds it and the pages that
// show it. Nothing here is a record: each item holds only what a council may see of another
// council's funded work (what the public funded-project pages and the hub already show).

import { plural } from "~/utils/format.ts";

/** A run of a snippet's text: `mark` when it is one of the words the draft shares. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface SimilarWorkItem {
  projectId: string;
  title: string;
  reference: string;
  lead: string;
  /** The public page of the funded project. */
  href: string;
  stage: { text: string; tag: string };
  /** In scale or finished scaling: how many councils are adopting it (stopped adoptions left out). */
  scale: { adopters: number } | null;
  serviceArea: string;
  snippet: SnippetPart[];
  /** The words the draft shares with what is shown of this work, as written there. */
  sharedWords: string[];
  caseStudy: { href: string; title: string } | null;
  /** The viewer's council may register to adopt it now (it is in scale, and not theirs). */
  canAdopt: boolean;
  /** The viewer's council already registered to adopt it: the link to their adoption. */
  adoptionHref: string | null;
  /** The viewer may write to its lead council (any funded work but their own council's). */
  canContact: boolean;
}

// Marks that cannot be typed into a form (the server removes them from the text first), put
// around each shared word by PostgreSQL's ts_headline and split on here.
export const MARK_START = "\u0001";
export const MARK_END = "\u0002";

/** Splits highlighted text into runs, marked or not. */
export function snippetParts(highlighted: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const pattern = new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, "g");
  let at = 0;
  for (const match of highlighted.matchAll(pattern)) {
    if (match.index > at) parts.push({ text: highlighted.slice(at, match.index), mark: false });
    if (match[1]) parts.push({ text: match[1], mark: true });
    at = match.index + match[0].length;
  }
  if (at < highlighted.length) parts.push({ text: highlighted.slice(at), mark: false });
  return parts.map((p) => ({ ...p, text: p.text.replaceAll(MARK_START, "").replaceAll(MARK_END, "") })).filter((p) => p.text);
}

/** The distinct marked words, as first written, in the order they appear. */
export function markedWords(highlighted: string, max = 8): string[] {
  const seen = new Map<string, string>();
  for (const part of snippetParts(highlighted)) {
    const word = part.text.trim();
    const key = word.toLowerCase();
    if (part.mark && word && !seen.has(key)) seen.set(key, word.toLowerCase());
  }
  return [...seen.values()].slice(0, max);
}

/** A project's stage as a GOV.UK tag: its delivery stage, or how it finished. */
export function stageTag(state: string): { text: string; tag: string } {
  if (state === "completed") return { text: "Completed", tag: "green" };
  if (state === "stopped" || state === "closed") return { text: "Stopped", tag: "red" };
  const stage = state.includes("_") ? state.split("_")[0] : null;
  if (stage === "scale") return { text: "Scale", tag: "turquoise" };
  if (stage === "pilot") return { text: "Pilot", tag: "blue" };
  if (stage === "scan") return { text: "Scan", tag: "purple" };
  return { text: "Starting", tag: "grey" };
}

export const adoptersText = (adopters: number) =>
  adopters === 0 ? "In scale: no councils adopting it yet" : `In scale: ${plural(adopters, "council")} adopting it`;
