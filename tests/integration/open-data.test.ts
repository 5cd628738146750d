import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { loader as csvLoader } from "~/routes/open-data.360giving[.]csv.tsx";
import { loader as jsonLoader } from "~/routes/open-data.360giving[.]json.tsx";
import { loader as fundedLoader } from "~/routes/funded._index.tsx";
import { loader as fundedProjectLoader } from "~/routes/funded.$reference.tsx";
import { awardBatches } from "~/opendata/awards.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { createFundedProject } from "../../bench/support/fixtures.ts";
import { decideGate } from "../support/project-journeys.ts";
import { anonymousBrowser, context, get, run } from "../../bench/support/requests.ts";

useTestDatabase();

// The schemas are kept in the repository, with their licence (tests/data/360giving/README.md).
const schemaDir = path.resolve(import.meta.dirname, "../data/360giving");
// The files declare draft 2020-12 as "http://json-schema.org/draft/2020-12/schema"; the
// meta-schema's own identifier (which Ajv knows it by) is the https address.
const readSchema = (name: string) => {
  const schema = JSON.parse(readFileSync(`${schemaDir}/${name}`, "utf8"));
  expect(schema.$schema).toMatch(/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema$/);
  return { ...schema, $schema: "https://json-schema.org/draft/2020-12/schema" };
};

function packageValidator() {
  // The schemas are JSON Schema 2020-12. They carry 360Giving's own annotation keywords
  // (codelist, rollUp…), which are not validation keywords, so strict mode is off.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const grant = readSchema("360-giving-schema.json");
  const pkg = readSchema("360-giving-package-schema.json");
  ajv.addSchema(grant);
  // The 1.4.3 package schema refers to the grant schema by its 1.4.2 address.
  const referenced = pkg.properties.grants.items.$ref as string;
  if (referenced !== grant.$id) ajv.addSchema({ ...grant, $id: referenced });
  return ajv.compile(pkg);
}

const call = (fn: (args: any) => Promise<unknown>, path: string, params: Record<string, string> = {}) =>
  run(() => fn({ request: get(path, anonymousBrowser()), context: context(), params }));

async function awards() {
  const first = await createFundedProject({ stage: "scan", title: '=HYPERLINK("http://evil") front door', awardPence: 50_000_00 });
  await db().organisation.update({ where: { id: first.lead.id }, data: { councilTypeCode: null } });
  // A second council, in the register, whose project passes its scan gate and gets a tranche.
  const second = await createFundedProject({ stage: "scan", title: "Shared waste booking", awardPence: 40_000_00 });
  await db().councilType.upsert({ where: { code: "MD" }, create: { code: "MD", name: "Metropolitan district" }, update: {} });
  await db().organisation.update({ where: { id: second.lead.id }, data: { councilTypeCode: "MD" } });
  await decideGate(second, "scan", "go");
  await db().projectTranche.create({
    data: { projectId: second.project.id, stage: "pilot", amountPence: 120_000_00, reason: "Tranche released at the scan gate" },
  });
  return { first, second };
}

describe("the 360Giving export", () => {
  it("is a valid 360Giving package with one grant per award", async () => {
    const { first, second } = await awards();
    const response = (await call(jsonLoader, "/open-data/360giving.json")).response!;
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const body = JSON.parse(await response.text());
    const validate = packageValidator();
    const valid = validate(body);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator does check: a grant with a malformed award date or no funder fails.
    expect(validate({ ...body, grants: [{ ...body.grants[0], awardDate: "last Tuesday" }] })).toBe(false);
    expect(validate({ ...body, grants: [{ ...body.grants[0], fundingOrganization: [] }] })).toBe(false);

    expect(body.grants).toHaveLength(3);
    const secondGrants = body.grants.filter((g: any) => g.description.includes(second.project.reference));
    expect(secondGrants.map((g: any) => g.amountAwarded).sort((a: number, b: number) => a - b)).toEqual([40_000, 120_000]);
    const tranche = secondGrants.find((g: any) => g.amountAwarded === 120_000);
    expect(tranche.id).toMatch(/^360G-springboard-/);
    expect(tranche.currency).toBe("GBP");
    expect(tranche.awardDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(tranche.recipientOrganization).toEqual([{ id: `GB-LAE-${second.lead.code}`, name: second.lead.officialName }]);
    expect(tranche.fundingOrganization[0].id).toBe("GB-GOR-PC390");
    // A body outside the register is given an identifier under the service's own prefix.
    const firstGrant = body.grants.find((g: any) => g.description.includes(first.project.reference));
    expect(firstGrant.recipientOrganization[0].id).toBe(`360G-springboard-org-${first.lead.code}`);
  });
});

describe("reading awards in batches", () => {
  it("returns every award once, in order, whatever the batch size", async () => {
    const all: string[] = [];
    const sizes: number[] = [];
    for await (const batch of awardBatches(2)) {
      sizes.push(batch.length);
      all.push(...batch.map((row) => row.trancheId));
    }
    expect(sizes).toEqual([2, 1]);
    const expected = (await db().projectTranche.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } })).map((t) => t.id);
    expect(all).toEqual(expected);
  });
});

describe("the 360Giving CSV", () => {
  it("has the standard's column titles and neutralises formulas", async () => {
    const response = (await call(csvLoader, "/open-data/360giving.csv")).response!;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(await response.arrayBuffer());
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]!.split(",").slice(0, 11)).toEqual([
      "Identifier",
      "Title",
      "Description",
      "Currency",
      "Amount Awarded",
      "Award Date",
      "URL",
      "Recipient Org:Identifier",
      "Recipient Org:Name",
      "Funding Org:Identifier",
      "Funding Org:Name",
    ]);
    expect(lines).toHaveLength(1 + 3);
    const evil = lines.find((l) => l.includes("HYPERLINK"))!;
    // The title cell starts with a quote mark inside the CSV quoting: '=HYPERLINK…
    expect(evil).toContain(`,"'=HYPERLINK(""http://evil"") front door: Scan stage",`);
    expect(lines.some((l) => /,=/.test(l))).toBe(false);
    expect(lines.some((l) => l.includes(",120000,"))).toBe(true);
  });
});

describe("the funded projects pages", () => {
  it("list every funded project with its councils and total awards, for visitors", async () => {
    const page = await call(fundedLoader, "/funded?q=waste");
    expect(page.status).toBe(200);
    expect(page.data.rows).toHaveLength(1);
    const row = page.data.rows[0];
    expect(row.title).toBe("Shared waste booking");
    expect(row.stageLabel).toBe("Pilot");
    expect(row.awardedPence).toBe(160_000_00);
    expect(row.partnerNames).toHaveLength(2);

    const detail = await call(fundedProjectLoader, `/funded/${row.reference}`, { reference: row.reference });
    expect(detail.status).toBe(200);
    expect(detail.data.project.awardedPence).toBe(160_000_00);
    expect(detail.data.project.tranches).toHaveLength(2);
    const missing = await call(fundedProjectLoader, "/funded/NOPE", { reference: "NOPE" });
    expect(missing.status).toBe(404);
  });
});
