import { incompleteSections } from "~/bid-form/sections.ts";
import { database, sqlIn } from "~/db/database.server.ts";
import { roundRules } from "~/rounds/rules.ts";
import type { SubmissionFacts } from "../../workflows/index.ts";
import { type Tx } from "~/engine/records.server.ts";

// States in which a bid counts towards its lead council's limit of lead bids in a round.
const COUNTED_STATES_EXCLUDED = ["draft", "withdrawn"];

interface FactsRow {
  answers: unknown;
  amountRequestedPence: number;
  closesAt: string;
  stage: "scan" | "pilot" | "scale";
  capPence: number;
  budgetPence: number;
  roundRules: unknown;
  fundRules: unknown;
  lead: Member;
  partners: Member[] | string;
  leadBidsInRound: number;
}
interface Member {
  id: string;
  name: string;
  kind: string;
  signed: boolean;
}

// One statement: this runs on every submission, so under a deadline rush it matters
// (bench/deadline-rush.ts; docs/decisions/0007-workflow-engine.md for Prisma's per-query cost).
const factsQuery = `
  SELECT b.answers, b."amountRequestedPence",
         -- Prisma stores DateTime as UTC without a zone; say so, so no driver reads it as local time.
         to_char(r."closesAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "closesAt", r.stage, r."capPence", r."budgetPence",
         r.rules AS "roundRules", f.rules AS "fundRules",
         json_build_object('id', lo.id, 'name', lo.name, 'kind', lo.kind, 'signed', lo."declarationSignedAt" IS NOT NULL) AS lead,
         COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind, 'signed', o."declarationSignedAt" IS NOT NULL)
                                   ORDER BY p."invitedAt", o.id)
                     FROM "BidPartner" p JOIN "Organisation" o ON o.id = p."organisationId"
                    WHERE p."bidId" = b.id AND p.status = 'accepted'), '[]'::json) AS partners,
         (SELECT count(*) FROM "Bid" x
           WHERE x."roundId" = b."roundId" AND x."leadOrganisationId" = b."leadOrganisationId" AND x.id <> b.id
             AND x.state <> ALL($2::text[]))::int AS "leadBidsInRound"
    FROM "Bid" b
    JOIN "Round" r ON r.id = b."roundId"
    JOIN "Fund" f ON f.id = r."fundId"
    JOIN "Organisation" lo ON lo.id = b."leadOrganisationId"
   WHERE b.id = $1`;

const parse = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/**
 * What the bid machine needs to know to let a bid go to certification or be certified,
 * read from the database at the moment of the event (inside `tx` when given a transaction).
 */
export async function bidSubmissionFacts(tx: Tx, bidId: string): Promise<SubmissionFacts> {
  const sql = tx === database().prisma ? database().sql : sqlIn(tx);
  const row = (await sql<FactsRow>(factsQuery, [bidId, COUNTED_STATES_EXCLUDED], "bid_submission_facts")).rows[0];
  if (!row) throw new Error(`No bid ${bidId}`);
  const council = (org: Member, role: "lead" | "partner") => ({
    organisationId: org.id,
    name: org.name,
    kind: org.kind as SubmissionFacts["councils"][number]["kind"],
    role,
    signedDeclaration: org.signed,
  });
  return {
    rules: roundRules({
      rules: parse(row.roundRules),
      budgetPence: row.budgetPence,
      capPence: row.capPence,
      stage: row.stage,
      fund: { rules: parse(row.fundRules) },
    }),
    deadline: row.closesAt,
    stage: row.stage,
    amountRequestedPence: row.amountRequestedPence,
    capPence: row.capPence,
    councils: [council(parse<Member>(row.lead), "lead"), ...parse<Member[]>(row.partners).map((p) => council(p, "partner"))],
    leadBidsInRound: Number(row.leadBidsInRound),
    incompleteSections: incompleteSections(parse(row.answers)),
  };
}
