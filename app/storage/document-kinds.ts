/**
 * Which kinds of file fit each type of document: a cost breakdown is a spreadsheet or a PDF,
 * a letter of support a document or a scan of one. One table for bid evidence and project
 * evidence alike, so the hint beside the type and the refusal of a file that does not fit
 * say the same thing. Pure: the pages show it, the server enforces it
 * (refuseFile in ./file-type.server.ts).
 *
 * A type not in the table (user research, "other", or an evidence item a fund added) takes
 * any kind of file the service accepts.
 */

/** The kinds of file the service recognises from their contents (./file-type.server.ts). */
export type FileKind = "pdf" | "docx" | "odt" | "xlsx" | "ods" | "csv" | "pptx" | "png" | "jpeg" | "text";

/** Kinds that do the same job, named as people know them. */
const groups = {
  pdf: { kinds: ["pdf"], words: "a PDF" },
  document: { kinds: ["docx", "odt"], words: "a document (Word or OpenDocument)" },
  spreadsheet: { kinds: ["xlsx", "ods", "csv"], words: "a spreadsheet (Excel, OpenDocument or CSV)" },
  presentation: { kinds: ["pptx"], words: "a presentation (PowerPoint)" },
  image: { kinds: ["png", "jpeg"], words: "an image (PNG or JPEG)" },
} satisfies Record<string, { kinds: FileKind[]; words: string }>;

type Group = keyof typeof groups;

interface Fit {
  /** The type as the start of a sentence: "A cost breakdown must be…". */
  noun: string;
  /** In the order the sentence gives them: the usual kind first. */
  groups: Group[];
}

/**
 * The table. PDF fits everything, as any document can be saved as one; images fit where a
 * signed paper is often scanned or photographed.
 */
export const DOCUMENT_FITS: Record<string, Fit> = {
  // A bid's evidence (app/bids/bids.server.ts documentTypes).
  letterOfSupport: { noun: "A letter of support", groups: ["pdf", "document", "image"] },
  businessCase: { noun: "A business case", groups: ["pdf", "document", "presentation"] },
  costBreakdown: { noun: "A cost breakdown", groups: ["spreadsheet", "pdf"] },
  dpia: { noun: "A data protection impact assessment", groups: ["pdf", "document"] },
  // A project's gate evidence (the fund's evidence items, workflows/rules.ts).
  evaluationSummary: { noun: "An evaluation summary", groups: ["pdf", "document", "presentation"] },
  spendToDate: { noun: "A report of spend to date", groups: ["spreadsheet", "pdf"] },
  metricsAgainstBaseline: { noun: "Metrics against baseline and target", groups: ["spreadsheet", "pdf"] },
  dataProtectionImpactAssessment: { noun: "A data protection impact assessment", groups: ["pdf", "document"] },
  independentEvaluation: { noun: "An independent evaluation", groups: ["pdf", "document"] },
  valueForMoneyCase: { noun: "A value-for-money case", groups: ["pdf", "document", "spreadsheet"] },
};

const inWords = (items: string[]) => (items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`);

const fitOf = (documentType: string): Fit | undefined => (Object.hasOwn(DOCUMENT_FITS, documentType) ? DOCUMENT_FITS[documentType] : undefined);

/** What a type of document must be, as words ("a spreadsheet (Excel, OpenDocument or CSV) or a PDF"), or null for any accepted file. */
export function fitsInWords(documentType: string): string | null {
  const fit = fitOf(documentType);
  return fit ? inWords(fit.groups.map((g) => groups[g].words)) : null;
}

/** Whether a file of this kind fits the type of document chosen for it. */
export function kindFits(documentType: string, kind: FileKind): boolean {
  const fit = fitOf(documentType);
  return !fit || fit.groups.some((g) => (groups[g].kinds as FileKind[]).includes(kind));
}

/** The rule a file that does not fit has broken: "A cost breakdown must be a spreadsheet (Excel, OpenDocument or CSV) or a PDF". */
export function fitRule(documentType: string): string | null {
  const fit = fitOf(documentType);
  return fit ? `${fit.noun} must be ${fitsInWords(documentType)}` : null;
}

/** The hint beside a page's type select: each type the page offers, and the files that fit it. */
export function fitsHint(types: readonly { value: string; text: string }[]): { type: string; fits: string }[] {
  return types.filter((t) => t.value).map((t) => ({ type: t.text, fits: fitsInWords(t.value) ?? "any of the kinds of file below" }));
}
