import { parse } from "csv-parse/sync";
import { organisationCode } from "~/forms/fields.ts";
import { calendarDate, isCalendarDate, isoDay } from "~/utils/dates.ts";
import type { PrismaClient } from "~/generated/prisma/client.ts";

/**
 * The register of English councils: parsing a register file (CSV or TSV, the columns of
 * GOV.UK's local-authority-eng register), checking every row, and working out what an
 * import would add, change and retire. Nothing is written until `applyRegisterImport`,
 * which writes everything in one transaction or nothing.
 */
export const REQUIRED_COLUMNS = ["local-authority-eng", "local-authority-type", "name", "official-name"] as const;
export const OPTIONAL_COLUMNS = ["start-date", "end-date", "declaration-signed"] as const;

export interface RegisterRow {
  /** Optional columns the file did not have say nothing: the current values are kept. */
  hasStartDate?: boolean;
  code: string;
  type: string;
  name: string;
  officialName: string;
  startDate: string | null;
  endDate: string | null;
  declarationSigned: string | null;
}

export interface RowProblem {
  line: number;
  code: string;
  reason: string;
}

export interface ParsedRegister {
  rows: RegisterRow[];
  problems: RowProblem[];
  /** A problem with the file as a whole (no header, wrong columns). */
  fileError: string | null;
}

// The same rule as a register code typed into a form.
const registerCode = organisationCode();

export function parseRegister(text: string, knownTypes: ReadonlySet<string>): ParsedRegister {
  const content = text.replace(/^\uFEFF/, "");
  const firstLine = content.split(/\r?\n/, 1)[0] ?? "";
  if (!firstLine.trim()) return { rows: [], problems: [], fileError: "The file is empty." };
  const delimiter = firstLine.includes("\t") ? "\t" : ",";
  let records: string[][];
  try {
    records = parse(content, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    return { rows: [], problems: [], fileError: `The file could not be read as ${delimiter === "\t" ? "TSV" : "CSV"}: ${(error as Error).message}` };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    return {
      rows: [],
      problems: [],
      fileError: `The first row must name the columns. Missing: ${missing.join(", ")}.`,
    };
  }
  const index = (name: string) => header.indexOf(name);
  const cell = (record: string[], name: string) => (index(name) >= 0 ? (record[index(name)] ?? "").trim() : "");

  const rows: RegisterRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    const code = cell(record, "local-authority-eng").toUpperCase();
    const reasons: string[] = [];
    if (record.length !== header.length) reasons.push(`has ${record.length} columns; the header has ${header.length}`);
    if (!code) reasons.push("has no register code");
    else if (!registerCode.safeParse(code).success) reasons.push(`register code "${code}" must be 2 to 6 letters or digits`);
    else if (seen.has(code)) reasons.push(`repeats register code ${code} from line ${seen.get(code)}`);
    const type = cell(record, "local-authority-type").toUpperCase();
    if (!knownTypes.has(type)) reasons.push(`type "${type}" is not a known council type`);
    const name = cell(record, "name");
    if (!name) reasons.push("has no name");
    const officialName = cell(record, "official-name");
    if (!officialName) reasons.push("has no official name");
    const dates: Record<string, string | null> = {};
    for (const column of OPTIONAL_COLUMNS) {
      const value = cell(record, column);
      if (value && !isCalendarDate(value)) reasons.push(`${column} "${value}" is not a date like 2024-04-01`);
      dates[column] = value || null;
    }
    if (dates["start-date"] && dates["end-date"] && dates["end-date"]! < dates["start-date"]!) {
      reasons.push("end-date is before start-date");
    }
    if (code && !seen.has(code)) seen.set(code, line);
    if (reasons.length) {
      problems.push({ line, code, reason: `Line ${line} ${reasons.join("; ")}.` });
      return;
    }
    rows.push({
      ...(index("start-date") < 0 ? { hasStartDate: false } : {}),
      code,
      type,
      name,
      officialName,
      startDate: dates["start-date"]!,
      endDate: dates["end-date"]!,
      declarationSigned: dates["declaration-signed"]!,
    });
  });
  if (!rows.length && !problems.length) return { rows, problems, fileError: "The file has a header but no councils." };
  return { rows, problems, fileError: null };
}

export interface CurrentCouncil {
  code: string;
  councilTypeCode: string | null;
  name: string;
  officialName: string;
  startDate: Date | null;
  endDate: Date | null;
  declarationSignedAt: Date | null;
}

export interface RegisterChanges {
  add: RegisterRow[];
  change: { row: RegisterRow; fields: string[] }[];
  retire: { code: string; name: string; endDate: string }[];
  unchanged: number;
}

export function diffRegister(rows: RegisterRow[], current: CurrentCouncil[], today: string): RegisterChanges {
  const byCode = new Map(current.map((c) => [c.code, c]));
  const changes: RegisterChanges = { add: [], change: [], retire: [], unchanged: 0 };
  for (const row of rows) {
    const existing = byCode.get(row.code);
    if (!existing) {
      changes.add.push(row);
      continue;
    }
    const fields: string[] = [];
    if (existing.councilTypeCode !== row.type) fields.push("type");
    if (existing.name !== row.name) fields.push("name");
    if (existing.officialName !== row.officialName) fields.push("official name");
    if (row.hasStartDate !== false && isoDay(existing.startDate) !== row.startDate) fields.push("start date");
    if (isoDay(existing.endDate) !== row.endDate) fields.push(row.endDate && !existing.endDate ? "end date (retired)" : "end date");
    // A register without the column says nothing about the declaration; keep what we know.
    if (row.declarationSigned && isoDay(existing.declarationSignedAt) !== row.declarationSigned) {
      fields.push("declaration signed");
    }
    if (fields.length) changes.change.push({ row, fields });
    else changes.unchanged++;
  }
  const inFile = new Set(rows.map((r) => r.code));
  for (const council of current) {
    if (!inFile.has(council.code) && !council.endDate) {
      changes.retire.push({ code: council.code, name: council.name, endDate: today });
    }
  }
  return changes;
}

export async function currentCouncils(prisma: PrismaClient): Promise<CurrentCouncil[]> {
  return prisma.organisation.findMany({
    where: { councilTypeCode: { not: null } },
    select: {
      code: true,
      councilTypeCode: true,
      name: true,
      officialName: true,
      startDate: true,
      endDate: true,
      declarationSignedAt: true,
    },
  });
}

// The register's strategic authority (the GLA) leads bids as combined authorities do.
const kindForType = (type: string) => (type === "SRA" ? "combinedAuthority" : "council") as "council" | "combinedAuthority";

export async function applyRegisterChanges(prisma: PrismaClient | Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0], changes: RegisterChanges) {
  const client = prisma as PrismaClient;
  if (changes.add.length) {
    await client.organisation.createMany({
      data: changes.add.map((row) => ({
        code: row.code,
        kind: kindForType(row.type),
        councilTypeCode: row.type,
        name: row.name,
        officialName: row.officialName,
        startDate: calendarDate(row.startDate),
        endDate: calendarDate(row.endDate),
        declarationSignedAt: calendarDate(row.declarationSigned),
      })),
    });
  }
  for (const { row } of changes.change) {
    await client.organisation.update({
      where: { code: row.code },
      data: {
        kind: kindForType(row.type),
        councilTypeCode: row.type,
        name: row.name,
        officialName: row.officialName,
        ...(row.hasStartDate !== false ? { startDate: calendarDate(row.startDate) } : {}),
        endDate: calendarDate(row.endDate),
        ...(row.declarationSigned ? { declarationSignedAt: calendarDate(row.declarationSigned) } : {}),
      },
    });
  }
  for (const retired of changes.retire) {
    await client.organisation.update({ where: { code: retired.code }, data: { endDate: calendarDate(retired.endDate) } });
  }
}

export async function councilTypeCodes(prisma: PrismaClient): Promise<Set<string>> {
  const types = await prisma.councilType.findMany({ select: { code: true } });
  return new Set(types.map((t) => t.code));
}
