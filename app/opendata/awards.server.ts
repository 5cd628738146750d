import { londonToday } from "~/utils/dates.ts";
import { jsonColumn } from "~/db/json.server.ts";
import { database } from "~/db/database.server.ts";
import { awardsAfter, countFundedProjects, fundedProjectByReference, fundedProjectParts, fundedProjectsPage, type AwardRow } from "./sql.server.ts";
import { env } from "~/env.server.ts";
import { portfolioStageLabels, portfolioStageOf, type PortfolioStage } from "~/portfolio/stages.ts";
import { gateOutcomeLabels, stageLabels, type GateOutcome, type Stage } from "../../workflows/rules.ts";

/**
 * A gate's decision as the public sees it: the stage, the outcome and the day. Never the
 * votes, the reasons, who voted or the conditions: those stay with the project and the
 * published case study that its team chose to write.
 */
export interface PublicGateOutcome {
  stage: string;
  outcome: string;
  outcomeLabel: string;
  at: string;
}

type StoredDecision = { stage: Stage; outcome: GateOutcome; at: string };

const publicGate = (d: StoredDecision): PublicGateOutcome => ({
  stage: stageLabels[d.stage] ?? d.stage,
  outcome: d.outcome,
  outcomeLabel: gateOutcomeLabels[d.outcome] ?? d.outcome,
  at: d.at,
});

const publicGateOutcomes = (snapshot: unknown) =>
  (jsonColumn<{ context?: { decisions?: StoredDecision[] } } | null>(snapshot)?.context?.decisions ?? []).map(publicGate);

// Published facts about funded projects and their awards: the /funded pages and the
// 360Giving export. Only projects (funded bids) appear; nothing about bids that were not
// funded, and no personal data.

/**
 * Our own 360Giving prefix. A real publisher registers one with 360Giving; this one is
 * made up for the service and must be replaced by the registered prefix before publishing.
 */
export const GRANT_PREFIX = "360G-springboard-";

/**
 * The funder: the ministry responsible for local government, identified in the UK
 * Government Organisation Register list of org-id.guide (GB-GOR). The code is the one the
 * ministry would be registered under; check it against org-id.guide before publishing.
 */
export const FUNDER = { id: "GB-GOR-PC390", name: "Ministry of Housing, Communities and Local Government" } as const;

export const LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/**
 * An organisation's identifier: English local authorities by their register code
 * (org-id.guide's GB-LAE list); bodies outside the register get an identifier under our prefix.
 */
export function organisationIdentifier(org: { code: string; kind: string; councilTypeCode: string | null }): string {
  return org.kind === "council" && org.councilTypeCode ? `GB-LAE-${org.code}` : `${GRANT_PREFIX}org-${org.code}`;
}

// ---------------------------------------------------------------- the /funded list

export interface FundedRow {
  id: string;
  reference: string;
  title: string;
  state: string;
  stage: PortfolioStage;
  stageLabel: string;
  leadName: string;
  partnerNames: string[];
  awardedPence: number;
  /** The latest gate decision, if any gate has decided. */
  latestGate: PublicGateOutcome | null;
  /** Councils adopting the product (registered, planning or live). */
  adopters: number;
}

const PAGE_SIZE = 50;

export async function fundedProjects(options: { page: number; q?: string }): Promise<{ rows: FundedRow[]; total: number; page: number; pages: number }> {
  const sql = database().sql;
  const q = options.q?.trim() ? `%${options.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const total = await countFundedProjects(sql, q);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page), pages);
  const rows = await fundedProjectsPage(sql, q, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return {
    rows: rows.map(({ latestDecision, ...r }) => {
      const stage = portfolioStageOf(r.state);
      return {
        ...r,
        stage,
        stageLabel: portfolioStageLabels[stage],
        partnerNames: r.partnerNames ?? [],
        awardedPence: Number(r.awardedPence),
        latestGate: latestDecision ? publicGate(jsonColumn<StoredDecision>(latestDecision)) : null,
        adopters: Number(r.adopters),
      };
    }),
    total,
    page,
    pages,
  };
}

export async function fundedProject(reference: string) {
  const sql = database().sql;
  const row = await fundedProjectByReference(sql, reference);
  if (!row) return null;
  const { snapshot, ...project } = row;
  const { partners, tranches, adoptions, caseStudy } = await fundedProjectParts(sql, project.id);
  const stage = portfolioStageOf(project.state);
  return {
    ...project,
    stage,
    stageLabel: portfolioStageLabels[stage],
    partners,
    tranches: tranches.map((t) => ({ ...t, stageLabel: stageLabels[t.stage as keyof typeof stageLabels] ?? t.stage })),
    awardedPence: tranches.reduce((sum, t) => sum + t.amountPence, 0),
    adoptions,
    gates: publicGateOutcomes(snapshot),
    caseStudy,
  };
}

// ---------------------------------------------------------------- 360Giving

/**
 * Every award (one ProjectTranche: the award at funding, then each tranche a "go" gate
 * released), in batches, oldest first. Keyset pagination keeps memory flat however many
 * awards there are.
 */
export async function* awardBatches(batchSize = 500): AsyncGenerator<AwardRow[]> {
  const sql = database().sql;
  let after: string | null = null;
  for (;;) {
    const rows = await awardsAfter(sql, after, batchSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = last.trancheId;
  }
}

export interface Grant {
  id: string;
  title: string;
  description: string;
  currency: "GBP";
  amountAwarded: number;
  awardDate: string;
  url: string;
  recipientOrganization: { id: string; name: string }[];
  fundingOrganization: { id: string; name: string }[];
  grantProgramme: { code: string; title: string }[];
  dateModified: string;
}

export function grantOf(row: AwardRow): Grant {
  const stage = stageLabels[row.trancheStage as keyof typeof stageLabels] ?? row.trancheStage;
  return {
    id: `${GRANT_PREFIX}${row.trancheId}`,
    title: `${row.title}: ${stage} stage`,
    description: [row.summary.trim() || row.title, `${row.reason.trim()} (project ${row.reference}, lead council ${row.leadName}).`].join(" "),
    currency: "GBP",
    amountAwarded: row.amountPence / 100,
    awardDate: londonToday(row.awardedAt), // the date in London it was awarded
    url: new URL(`/funded/${encodeURIComponent(row.reference)}`, env().APP_URL).toString(),
    recipientOrganization: [
      { id: organisationIdentifier({ code: row.leadCode, kind: row.leadKind, councilTypeCode: row.leadTypeCode }), name: row.leadOfficialName || row.leadName },
    ],
    fundingOrganization: [{ ...FUNDER }],
    grantProgramme: [{ code: row.roundSlug, title: `${row.fundName}: ${row.roundName}` }],
    dateModified: new Date(Math.max(row.projectUpdatedAt.getTime(), row.awardedAt.getTime())).toISOString(),
  };
}

/** The 360Giving flattened column titles, in order, and how each is read from a grant. */
export const grantColumns: [string, (g: Grant) => string | number][] = [
  ["Identifier", (g) => g.id],
  ["Title", (g) => g.title],
  ["Description", (g) => g.description],
  ["Currency", (g) => g.currency],
  ["Amount Awarded", (g) => g.amountAwarded],
  ["Award Date", (g) => g.awardDate],
  ["URL", (g) => g.url],
  ["Recipient Org:Identifier", (g) => g.recipientOrganization[0]!.id],
  ["Recipient Org:Name", (g) => g.recipientOrganization[0]!.name],
  ["Funding Org:Identifier", (g) => g.fundingOrganization[0]!.id],
  ["Funding Org:Name", (g) => g.fundingOrganization[0]!.name],
  ["Grant Programme:Code", (g) => g.grantProgramme[0]!.code],
  ["Grant Programme:Title", (g) => g.grantProgramme[0]!.title],
  ["Last Modified", (g) => g.dateModified],
];

/** The package's metadata, written before the grants. */
export function packageMetadata(now = new Date()) {
  return {
    version: "1.4",
    title: "Springboard: awards to councils",
    description: "Every award the fund made to a council-led project: the award at funding and each tranche released at a gate.",
    issued: now.toISOString(),
    publisher: { name: FUNDER.name, identifier: FUNDER.id },
    license: LICENCE_URL,
  };
}

/** The whole package as a stream: metadata, then the grants batch by batch. */
export function grantPackageStream(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = awardBatches();
  let first = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const head = JSON.stringify(packageMetadata());
      controller.enqueue(encoder.encode(`${head.slice(0, -1)},"grants":[`));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        controller.enqueue(encoder.encode("]}\n"));
        controller.close();
        return;
      }
      const text = next.value.map((row) => JSON.stringify(grantOf(row))).join(",");
      controller.enqueue(encoder.encode(`${first ? "" : ","}${text}`));
      first = false;
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
