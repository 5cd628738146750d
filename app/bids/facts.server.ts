import { incompleteSections } from "~/bid-form/sections.ts";
import { jsonColumn } from "~/db/json.server.ts";
import { database, sqlIn } from "~/db/database.server.ts";
import { roundRules } from "~/rounds/rules.ts";
import type { SubmissionFacts } from "../../workflows/index.ts";
import { type Tx } from "~/engine/records.server.ts";
import { submissionFactsRow, type FactsMember } from "./sql.server.ts";

/**
 * What the bid machine needs to know to let a bid go to certification or be certified,
 * read from the database at the moment of the event (inside `tx` when given a transaction).
 */
export async function bidSubmissionFacts(tx: Tx, bidId: string): Promise<SubmissionFacts> {
  const sql = tx === database().prisma ? database().sql : sqlIn(tx);
  const row = await submissionFactsRow(sql, bidId);
  if (!row) throw new Error(`No bid ${bidId}`);
  const council = (org: FactsMember, role: "lead" | "partner") => ({
    organisationId: org.id,
    name: org.name,
    kind: org.kind as SubmissionFacts["councils"][number]["kind"],
    role,
    signedDeclaration: org.signed,
  });
  return {
    rules: roundRules({
      rules: jsonColumn(row.roundRules),
      budgetPence: row.budgetPence,
      capPence: row.capPence,
      stage: row.stage,
      fund: { rules: jsonColumn(row.fundRules) },
    }),
    deadline: row.closesAt,
    stage: row.stage,
    amountRequestedPence: row.amountRequestedPence,
    capPence: row.capPence,
    councils: [council(jsonColumn<FactsMember>(row.lead), "lead"), ...jsonColumn<FactsMember[]>(row.partners).map((p) => council(p, "partner"))],
    leadBidsInRound: Number(row.leadBidsInRound),
    incompleteSections: incompleteSections(jsonColumn(row.answers)),
  };
}
