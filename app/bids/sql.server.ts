import type { SqlQuery } from "~/db/database.server.ts";

// The bids' SQL: a row lock, which Prisma's API cannot take; and the two reads of a sign-off,
// each one statement with its joins and aggregates, prepared once per connection, where
// Prisma's API would take a query per relation: the facts the bid machine checks on every
// submission, and the confirmation email's content, read inside the engine's SQL transaction
// that certifies the bid. Under a deadline rush every round trip waits its turn for a pooled
// connection (bench/deadline-rush.ts; docs/decisions/0007-workflow-engine.md for Prisma's
// per-query cost). docs/decisions/0015-data-access.md.

/** Holds the bid's row until the transaction ends, so that saves of one bid take turns. */
export async function lockBid(sql: SqlQuery, bidId: string): Promise<void> {
  await sql(`SELECT "id" FROM "Bid" WHERE "id" = $1 FOR UPDATE`, [bidId]);
}

// ---------------------------------------------------------------- submission facts

// States in which a bid does not count towards its lead council's limit of lead bids in a round.
const COUNTED_STATES_EXCLUDED = ["draft", "withdrawn"];

export interface FactsRow {
  answers: unknown;
  amountRequestedPence: number;
  closesAt: string;
  stage: "scan" | "pilot" | "scale";
  capPence: number;
  budgetPence: number;
  roundRules: unknown;
  fundRules: unknown;
  lead: FactsMember;
  partners: FactsMember[] | string;
  leadBidsInRound: number;
}
export interface FactsMember {
  id: string;
  name: string;
  kind: string;
  signed: boolean;
}

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

/**
 * The bid with its round, fund and councils, and the lead council's other bids in the round
 * counted: one statement, prepared once per connection, as it runs on every submission. Some
 * drivers hand back the json as text.
 */
export async function submissionFactsRow(sql: SqlQuery, bidId: string): Promise<FactsRow | undefined> {
  return (await sql<FactsRow>(factsQuery, [bidId, COUNTED_STATES_EXCLUDED], "bid_submission_facts")).rows[0];
}

// ---------------------------------------------------------------- the sign-off's confirmation

/** What the confirmation email shows; the json columns arrive parsed or as text, by driver. */
export interface ConfirmationRow {
  title: string;
  reference: string;
  answers: unknown;
  round: string;
  questions: unknown;
  partners: unknown;
  officers: unknown;
  documents: unknown;
}

// The bid and its round, the partners who accepted (in the order they were invited), the lead
// council's officers and the evidence list, for the confirmation email.
const confirmationQuery = `
  SELECT b.title, b.reference, b.answers, r.name AS round, r.questions,
         COALESCE((SELECT json_agg(json_build_object('name', o.name) ORDER BY p."invitedAt")
                     FROM "BidPartner" p JOIN "Organisation" o ON o.id = p."organisationId"
                    WHERE p."bidId" = b.id AND p.status = 'accepted'), '[]'::json) AS partners,
         COALESCE((SELECT json_agg(json_build_object('id', u.id, 'email', u.email, 'name', u.name) ORDER BY u.email)
                     FROM "User" u WHERE u.role = 'councilOfficer' AND u."organisationId" = b."leadOrganisationId"), '[]'::json) AS officers,
         COALESCE((SELECT json_agg(json_build_object('fileName', d."fileName", 'type', d.type) ORDER BY d."createdAt", d.id)
                     FROM "BidDocument" d WHERE d."bidId" = b.id), '[]'::json) AS documents
    FROM "Bid" b JOIN "Round" r ON r.id = b."roundId"
   WHERE b.id = $1`;

/** The confirmation's content: one statement, prepared once per connection, as it runs on every sign-off. */
export async function bidForConfirmation(sql: SqlQuery, bidId: string): Promise<ConfirmationRow | undefined> {
  return (await sql<ConfirmationRow>(confirmationQuery, [bidId], "bid-confirmation")).rows[0];
}

// ---------------------------------------------------------------- a bid and its page's records

/**
 * A bid with its lead council, round and fund, partners and documents, as one JSON value:
 * every bid page starts here, and Prisma's nested select made it seven statements (one a
 * relation), each round trip costing the service more than the read (docs/performance.md).
 * The times come back as JSON writes them (UTC without a zone, or a calendar date), and
 * `loadedBid` (bids.server.ts) turns them into the Dates Prisma would give.
 */
export async function bidForPage(sql: SqlQuery, bidId: string): Promise<{ bid: unknown } | null> {
  const organisation = (o: string) =>
    `json_build_object('id', ${o}.id, 'name', ${o}.name, 'code', ${o}.code, 'kind', ${o}.kind, 'declarationSignedAt', ${o}."declarationSignedAt")`;
  const { rows } = await sql<{ bid: unknown }>(
    `SELECT json_build_object(
       'id', b.id, 'reference', b.reference, 'title', b.title, 'state', b.state, 'snapshot', b.snapshot, 'version', b.version,
       'answers', b.answers, 'amountRequestedPence', b."amountRequestedPence", 'leadOrganisationId', b."leadOrganisationId", 'createdAt', b."createdAt",
       'leadOrganisation', ${organisation("o")},
       'round', json_build_object('id', r.id, 'slug', r.slug, 'name', r.name, 'stage', r.stage, 'opensAt', r."opensAt", 'closesAt', r."closesAt",
         'capPence', r."capPence", 'assessmentDueAt', r."assessmentDueAt", 'questions', r.questions, 'fund', json_build_object('name', f.name, 'rules', f.rules)),
       'partners', coalesce((SELECT json_agg(json_build_object('organisationId', p."organisationId", 'status', p.status, 'invitedAt', p."invitedAt",
           'respondedAt', p."respondedAt", 'organisation', ${organisation("po")}) ORDER BY p."invitedAt", p."organisationId")
         FROM "BidPartner" p JOIN "Organisation" po ON po.id = p."organisationId" WHERE p."bidId" = b.id), '[]'::json),
       'documents', coalesce((SELECT json_agg(json_build_object('id', d.id, 'type', d.type, 'fileName', d."fileName", 'size', d.size, 'mimeType', d."mimeType",
           'sha256', d.sha256, 'createdAt', d."createdAt", 'uploadedById', d."uploadedById") ORDER BY d."createdAt", d.id)
         FROM "BidDocument" d WHERE d."bidId" = b.id), '[]'::json)
     ) AS bid
     FROM "Bid" b JOIN "Organisation" o ON o.id = b."leadOrganisationId" JOIN "Round" r ON r.id = b."roundId" JOIN "Fund" f ON f.id = r."fundId"
     WHERE b.id = $1`,
    [bidId],
    "bid_for_page",
  );
  return rows[0] ?? null;
}
