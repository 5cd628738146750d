import { z } from "zod";
import { db, sqlIn } from "~/db/database.server.ts";
import { readUpload } from "~/forms/body.server.ts";
import { fileSize } from "~/forms/limits.ts";
import { parseForm, type FormErrors, type TypedValues } from "~/forms/parse.server.ts";
import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import { describeError, logger } from "~/log/log.server.ts";
import { londonToday } from "~/utils/dates.ts";
import {
  applyRegisterChanges,
  councilTypeCodes,
  currentCouncils,
  diffRegister,
  parseRegister,
  type RegisterChanges,
  type RegisterRow,
  type RowProblem,
} from "~/organisations/register.server.ts";
import { detectFileType } from "~/storage/file-type.server.ts";
import { holdRegisterImportLock } from "./sql.server.ts";

/**
 * Importing a newer register of councils in two steps: an upload that is checked and
 * stored as a preview (nothing else changes), then a confirmation that applies it in one
 * transaction, worked out again against the data as it is at that moment.
 */
export const MAX_REGISTER_BYTES = 5_000_000;
export const REGISTER_FIELD = "register";

export interface StoredChanges {
  rows: RegisterRow[];
  problems: RowProblem[];
  diff: RegisterChanges;
}

export interface ImportSummary {
  rows: number;
  add: number;
  change: number;
  retire: number;
  unchanged: number;
  problems: number;
}

/** The refusal of a register file over the limit, in the body or by its declared length. */
export const REGISTER_TOO_BIG = `The file must be smaller than ${fileSize(MAX_REGISTER_BYTES)}`;

/**
 * Reads the upload form through the form layer, or null when the body was over its upload
 * limit: then nothing of the file was read, and the page refuses it beside the file box, in
 * the register's own limit (the one the page tells people). A form that is not multipart (a
 * client without file upload) is read as an ordinary form, and has no file.
 */
export async function readRegisterUpload(request: Request): Promise<FormData | null> {
  const body = await readUpload(request);
  return body.ok ? body.form : null;
}

/** What the page answers to a body too large to read. */
export const registerTooBig = (): Extract<UploadOutcome, { ok: false }> => ({
  ok: false,
  status: 413,
  errors: { [REGISTER_FIELD]: REGISTER_TOO_BIG },
  values: {},
});

/** The upload form: one file. A file input left empty arrives as no value at all. */
const uploadForm = z.object({ [REGISTER_FIELD]: z.instanceof(File, { error: "Select a register file to upload" }) });

export type UploadOutcome = { ok: true; id: string } | { ok: false; status: 400 | 413; errors: FormErrors; values: TypedValues };

/** Checks an uploaded register file and stores its preview, or says why it cannot be used. */
export async function uploadRegister(form: FormData, userId: string): Promise<UploadOutcome> {
  const parsed = parseForm(form, uploadForm);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: parsed.values };
  const refuse = (error: string, status: 400 | 413 = 400): UploadOutcome => ({ ok: false, status, errors: { [REGISTER_FIELD]: error }, values: parsed.values });
  const file = await registerFileText(parsed.value[REGISTER_FIELD]);
  if ("error" in file) return refuse(file.error, file.tooLarge ? 413 : 400);
  const preview = await previewRegisterImport({ ...file, userId });
  if ("error" in preview) return refuse(preview.error);
  return { ok: true, id: preview.id };
}

/** The file's text, or why it cannot be a register file. */
export async function registerFileText(value: File): Promise<{ text: string; fileName: string } | { error: string; tooLarge?: true }> {
  if (!value.name) return { error: "Select a register file to upload" };
  if (value.size === 0) return { error: "The file you chose is empty" };
  if (value.size > MAX_REGISTER_BYTES) return { error: REGISTER_TOO_BIG, tooLarge: true };
  const bytes = new Uint8Array(await value.arrayBuffer());
  // Named when it is something else the service knows ("… The file you chose is a PNG image").
  const known = detectFileType(bytes, value.name);
  const notText = {
    error: `The file must be a CSV or TSV file saved as text (UTF-8)${known && known.kind !== "text" && known.kind !== "csv" ? `. The file you chose is ${known.phrase}` : ""}`,
  };
  if (bytes.includes(0)) return notText;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return notText;
  }
  return { text, fileName: value.name.slice(0, 255) };
}

type Tx = Prisma.TransactionClient;

function summarise(rows: RegisterRow[], problems: RowProblem[], diff: RegisterChanges): ImportSummary {
  return {
    rows: rows.length,
    add: diff.add.length,
    change: diff.change.length,
    retire: diff.retire.length,
    unchanged: diff.unchanged,
    problems: problems.length,
  };
}

/** The file line that starts with this register code, for messages about a row. */
function lineOf(text: string, code: string): number {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const index = lines.findIndex((line, i) => i > 0 && line.split(/[\t,]/, 1)[0]!.replace(/"/g, "").trim().toUpperCase() === code);
  return index >= 0 ? index + 1 : 0;
}

/**
 * Checks a register file and stores what importing it would do. A problem with the whole
 * file comes back as `error` and nothing is stored.
 */
export async function previewRegisterImport(input: { text: string; fileName: string; userId: string }): Promise<{ id: string } | { error: string }> {
  const prisma = db();
  const parsed = parseRegister(input.text, await councilTypeCodes(prisma));
  if (parsed.fileError) return { error: parsed.fileError };
  const problems = [...parsed.problems];
  let rows = parsed.rows;
  // A register code already used by an organisation that is not a council (the ministry,
  // a fire authority) would be refused by the database when the import is confirmed.
  const others = await prisma.organisation.findMany({
    where: { councilTypeCode: null, code: { in: rows.map((r) => r.code) } },
    select: { code: true, name: true },
  });
  if (others.length) {
    const taken = new Map(others.map((o) => [o.code, o.name]));
    for (const row of rows) {
      const name = taken.get(row.code);
      if (!name) continue;
      const line = lineOf(input.text, row.code);
      problems.push({
        line,
        code: row.code,
        reason: `Line ${line} uses register code ${row.code}, which belongs to ${name}, an organisation that is not a council.`,
      });
    }
    rows = rows.filter((r) => !taken.has(r.code));
    problems.sort((a, b) => a.line - b.line);
  }
  const diff = diffRegister(rows, await currentCouncils(prisma), londonToday());
  const changes: StoredChanges = { rows, problems, diff };
  const created = await prisma.registerImport.create({
    data: {
      fileName: input.fileName,
      createdById: input.userId,
      changes: changes as unknown as Prisma.InputJsonValue,
      summary: summarise(rows, problems, diff) as unknown as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  return created;
}

export async function findRegisterImport(id: string) {
  const found = await db().registerImport.findUnique({ where: { id } });
  if (!found) return null;
  const createdBy = await db().user.findUnique({ where: { id: found.createdById }, select: { name: true } });
  return {
    id: found.id,
    fileName: found.fileName,
    createdAt: found.createdAt,
    appliedAt: found.appliedAt,
    createdBy: createdBy?.name ?? "A former user",
    changes: found.changes as unknown as StoredChanges,
    summary: found.summary as unknown as ImportSummary,
  };
}

export async function recentRegisterImports(take = 10) {
  const imports = await db().registerImport.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, fileName: true, createdAt: true, appliedAt: true, summary: true },
  });
  return imports.map((i) => ({ ...i, summary: i.summary as unknown as ImportSummary }));
}

/** JSON with every object's keys in order: stored JSON (jsonb) does not keep key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a confirmation would write, comparable between two diffs (retirement dates aside). */
function fingerprint(diff: RegisterChanges): string {
  return canonical({
    add: diff.add,
    change: diff.change.map((c) => [c.row, c.fields]),
    retire: diff.retire.map((r) => r.code).sort(),
  });
}

export type ConfirmResult =
  | { status: "applied"; summary: ImportSummary }
  | { status: "not-found" }
  | { status: "already-applied"; appliedAt: Date }
  | { status: "has-problems" }
  | { status: "stale"; summary: ImportSummary }
  | { status: "failed"; message: string };

class Refusal extends Error {
  constructor(readonly result: ConfirmResult) {
    super(result.status);
  }
}

/**
 * Applies a previewed import: all of it in one transaction, or none of it. The changes are
 * worked out again from the file's rows against the councils as they are now; if that
 * differs from what the administrator saw, nothing is applied and the preview is brought
 * up to date for them to check again.
 */
export async function confirmRegisterImport(id: string, now = new Date()): Promise<ConfirmResult> {
  try {
    return await db().$transaction(
      async (tx: Tx) => {
        await holdRegisterImportLock(sqlIn(tx));
        const found = await tx.registerImport.findUnique({ where: { id } });
        if (!found) throw new Refusal({ status: "not-found" });
        if (found.appliedAt) throw new Refusal({ status: "already-applied", appliedAt: found.appliedAt });
        const stored = found.changes as unknown as StoredChanges;
        if (stored.problems.length) throw new Refusal({ status: "has-problems" });
        const claimed = await tx.registerImport.updateMany({ where: { id, appliedAt: null }, data: { appliedAt: now } });
        if (claimed.count !== 1) throw new Refusal({ status: "already-applied", appliedAt: now });
        const diff = diffRegister(stored.rows, await currentCouncils(tx as unknown as PrismaClient), londonToday(now));
        if (fingerprint(diff) !== fingerprint(stored.diff)) {
          throw new Refusal({ status: "stale", summary: summarise(stored.rows, stored.problems, diff) });
        }
        await applyRegisterChanges(tx, diff);
        const summary = summarise(stored.rows, stored.problems, diff);
        await tx.registerImport.update({
          where: { id },
          data: {
            changes: { ...stored, diff } as unknown as Prisma.InputJsonValue,
            summary: summary as unknown as Prisma.InputJsonValue,
          },
        });
        return { status: "applied" as const, summary };
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof Refusal) {
      if (error.result.status === "stale") await refreshPreview(id, now);
      return error.result;
    }
    const message = error instanceof Error ? error.message : String(error);
    logger().warn({ registerImportId: id, error: describeError(error) }, "Register import was not applied (rolled back)");
    return { status: "failed", message };
  }
}

/** Works the preview out again against the councils as they are now. */
async function refreshPreview(id: string, now: Date) {
  const found = await db().registerImport.findUnique({ where: { id } });
  if (!found || found.appliedAt) return;
  const stored = found.changes as unknown as StoredChanges;
  const diff = diffRegister(stored.rows, await currentCouncils(db()), londonToday(now));
  await db().registerImport.updateMany({
    where: { id, appliedAt: null },
    data: {
      changes: { ...stored, diff } as unknown as Prisma.InputJsonValue,
      summary: summarise(stored.rows, stored.problems, diff) as unknown as Prisma.InputJsonValue,
    },
  });
}
