import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { loader as exportLoader } from "~/routes/rounds.$slug_.export[.csv].tsx";
import { startSnapshot, workflows } from "../../workflows/index.ts";
import { useTestDatabase } from "../support/database.ts";
import { createModeratedRound } from "../../bench/support/fixtures.ts";
import { context, createUser, get, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

const call = <T>(fn: (args: any) => Promise<T>, request: Request, params: Record<string, string>) => run(() => fn({ request, context: context(), params }));
const k = (pounds: number) => pounds * 1000 * 100;

/** Splits a CSV body into rows of cells (RFC 4180 quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

async function exportedRound() {
  const made = await createModeratedRound({
    budgetPence: k(800),
    bids: [
      {
        title: "Shared front door",
        amountPence: k(350),
        scores: [
          [5, 5, 5, 5],
          [5, 5, 5, 5],
        ],
      },
      {
        title: '=HYPERLINK("http://evil.example","Click me")',
        amountPence: k(350),
        scores: [
          [4, 4, 4, 4],
          [4, 4, 4, 4],
        ],
      },
      {
        title: "+SUM(1,2)",
        amountPence: k(300),
        scores: [
          [3, 3, 3, 3],
          [3, 4, 3, 3],
        ],
      },
    ],
  });
  return made;
}

describe("the CSV export", () => {
  it("streams one row per bid with scores, rank and line, neutralises formulas, and ends with the totals", async () => {
    const { round, fundTeam, bids } = await exportedRound();
    const result = await call(exportLoader, get(`/rounds/${round.slug}/export.csv`, await signedInBrowser(fundTeam.id)), { slug: round.slug });
    const response = result.response!;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${round.slug}-bids-and-scores.csv"`);
    expect(response.body).toBeInstanceOf(ReadableStream);
    const text = (await response.text()).replace(/^\uFEFF/, "");
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      "Reference",
      "Title",
      "Lead",
      "Partners",
      "Status",
      "Amount asked (£)",
      "Strategic fit (moderated)",
      "Deliverability (moderated)",
      "Value for money (moderated)",
      "Reuse and openness (moderated)",
      "Weighted score",
      "Rank",
      "Funding line",
      "Award (£)",
      "Budget (£)",
    ]);
    const byReference = Object.fromEntries(rows.slice(1, -1).map((r) => [r[0], r]));
    const [first, evil, sum] = bids;
    expect(byReference[first!.bid.reference]).toEqual([
      first!.bid.reference,
      "Shared front door",
      first!.lead.name,
      `${first!.partnerA.name}; ${first!.partnerB.name}`,
      "Moderation",
      "350000.00",
      "5",
      "5",
      "5",
      "5",
      "100",
      "1",
      "Above",
      "350000.00",
      "",
    ]);
    // A title that would run as a formula is written as text.
    expect(byReference[evil!.bid.reference]![1]).toBe(`'=HYPERLINK("http://evil.example","Click me")`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Click me"")"`);
    expect(byReference[sum!.bid.reference]!.slice(1, 2)).toEqual(["'+SUM(1,2)"]);
    expect(byReference[sum!.bid.reference]!.slice(6, 14)).toEqual(["3", "3.5", "3", "3", "63", "3", "Below", ""]);
    expect(rows.at(-1)).toEqual(["Totals", "3 bids", "", "", "", "1000000.00", "", "", "", "", "", "", "", "700000.00", "800000.00"]);
    expect(rows).toHaveLength(5);
  });

  it("leaves out bids never submitted", async () => {
    const { round, fundTeam, bids } = await exportedRound();
    const id = randomUUID();
    const lead = bids[0]!.lead.id;
    await db().bid.create({
      data: {
        id,
        reference: "ZZ-DRAFT",
        roundId: round.id,
        leadOrganisationId: lead,
        createdById: bids[0]!.officer.id,
        title: "Still a draft",
        state: "draft",
        snapshot: startSnapshot("bid", { bidId: id, roundId: round.id, leadOrganisationId: lead }) as never,
        machineVersion: workflows.bid.version,
      },
    });
    const result = await call(exportLoader, get(`/rounds/${round.slug}/export.csv`, await signedInBrowser(fundTeam.id)), { slug: round.slug });
    const text = await result.response!.text();
    expect(text).not.toContain("ZZ-DRAFT");
    expect(
      parseCsv(text.replace(/^\uFEFF/, ""))
        .at(-1)!
        .slice(0, 2),
    ).toEqual(["Totals", "3 bids"]);
  });

  it("is refused to everyone but the fund team", async () => {
    const { round, bids } = await exportedRound();
    for (const user of [bids[0]!.officer, bids[0]!.certifier, await createUser("assessor"), await createUser("gateApprover")]) {
      const result = await call(exportLoader, get(`/rounds/${round.slug}/export.csv`, await signedInBrowser(user.id)), { slug: round.slug });
      expect(result.status).toBe(403);
    }
    const anonymous = await call(exportLoader, get(`/rounds/${round.slug}/export.csv`), { slug: round.slug });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/sign-in\?returnTo=/);
  });
});
