import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { PrismaClient } from "~/generated/prisma/client.ts";
import { applyRegisterChanges, diffRegister, parseRegister } from "~/organisations/register.server.ts";
import { calendarDate, londonToday } from "~/utils/dates.ts";

/**
 * Reference data every installation needs: council types, the register of councils, and the
 * organisations the register leaves out (the ministry, combined and fire authorities, the
 * assessor body).
 */
const dataDir = path.resolve(process.cwd(), "prisma/data");

const otherOrganisations = [
  { code: "MHCLG", kind: "ministry", name: "MHCLG", officialName: "Ministry of Housing, Communities and Local Government" },
  { code: "GMCA", kind: "combinedAuthority", name: "Greater Manchester CA", officialName: "Greater Manchester Combined Authority", signed: "2019-02-01" },
  { code: "WMCA", kind: "combinedAuthority", name: "West Midlands CA", officialName: "West Midlands Combined Authority" },
  { code: "DSFRA", kind: "fireAuthority", name: "Devon and Somerset Fire", officialName: "Devon and Somerset Fire and Rescue Authority", signed: "2019-05-10" },
  { code: "EFRA", kind: "fireAuthority", name: "Essex Fire", officialName: "Essex County Fire and Rescue Service" },
  { code: "OPEN-ASSESS", kind: "assessorBody", name: "Open Assessment Panel", officialName: "Open Assessment Panel (demo assessor body)" },
] as const;

export async function seedReferenceData(prisma: PrismaClient) {
  const typesText = await readFile(path.join(dataDir, "local-authority-types.tsv"), "utf8");
  const types = (parse(typesText, { delimiter: "\t", columns: true, trim: true }) as Record<string, string>[]).map((row) => ({
    code: row["local-authority-type"]!,
    name: row["name"]!,
  }));
  await prisma.councilType.createMany({ data: types, skipDuplicates: true });
  const register = parseRegister(await readFile(path.join(dataDir, "local-authority-eng.tsv"), "utf8"), new Set(types.map((t) => t.code)));
  if (register.fileError || register.problems.length) {
    throw new Error(`The bundled register is invalid: ${register.fileError ?? register.problems[0]!.reason}`);
  }
  await prisma.$transaction(async (tx) => {
    await applyRegisterChanges(tx, diffRegister(register.rows, [], londonToday()));
    await tx.organisation.createMany({
      data: otherOrganisations.map(({ signed, ...org }: (typeof otherOrganisations)[number] & { signed?: string }) => ({
        ...org,
        declarationSignedAt: calendarDate(signed),
      })),
    });
  });
}
