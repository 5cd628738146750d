import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/database.server.ts";
import { action as certifyAction } from "~/routes/bids.$id_.certify.tsx";
import { action as checkAction } from "~/routes/bids.$id_.check.tsx";
import { action as evidenceAction } from "~/routes/bids.$id_.evidence.tsx";
import { localDiskStorage, setStorage } from "~/storage/storage.server.ts";
import { useTestDatabase } from "../support/database.ts";
import { createPartnershipBid } from "../../bench/support/fixtures.ts";
import { context, post, run, signedInBrowser } from "../../bench/support/requests.ts";

// The confirmation sent when a bid is signed off is a check-your-answers copy of it: each
// question on its own line with its answer below, the partner councils, and the evidence by name.

useTestDatabase();

beforeAll(() => setStorage(localDiskStorage(mkdtempSync(path.join(tmpdir(), "springboard-confirmation-")))));
afterAll(() => setStorage(undefined));

const call = (fn: (args: never) => Promise<unknown>, request: Request, id: string) => run(() => fn({ request, context: context(), params: { id } } as never));

describe("the confirmation of a signed-off bid", () => {
  it("names every document uploaded as evidence, with its type, and the partner councils, in the email sent", async () => {
    const { bid, officer, certifier, partnerA, partnerB } = await createPartnershipBid();
    await db().bid.update({
      where: { id: bid.id },
      data: {
        answers: {
          completed: ["summary", "problem", "partners", "approach", "costs", "risks", "evaluation"],
          sections: { problem: { problem: "Residents wait weeks.", users: "Carers" } },
        },
      },
    });
    const browser = await signedInBrowser(officer.id);
    for (const [type, name, text] of [
      ["letterOfSupport", "Letter from Leeds.pdf", "%PDF-1.4\nWe support this bid.\n%%EOF\n"],
      ["costBreakdown", "Costs 2027.csv", "line,amount\nDeveloper,40000\n"],
    ] as const) {
      const form = new FormData();
      form.set("csrf", browser.csrf);
      form.set("type", type);
      form.set("file", new File([text], name));
      const request = new Request(`http://localhost:3000/bids/${bid.id}/evidence`, { method: "POST", headers: { Cookie: browser.cookie }, body: form });
      expect((await call(evidenceAction, request, bid.id)).status).toBe(302);
    }

    const version = async () => String((await db().bid.findUniqueOrThrow({ where: { id: bid.id } })).version);
    expect((await call(checkAction, post(`/bids/${bid.id}/check`, browser, { version: await version() }), bid.id)).status).toBe(302);
    const signedOff = await call(
      certifyAction,
      post(`/bids/${bid.id}/certify`, await signedInBrowser(certifier.id), { decision: "approve", version: await version() }),
      bid.id,
    );
    expect(signedOff.location).toBe(`/bids/${bid.id}/confirmation`);

    const email = await db().notification.findFirstOrThrow({ where: { template: "bid-confirmation", toEmail: officer.email } });
    const lines = email.text.split("\n");
    // Each question on its own line, its answer on the next: never "question: answer".
    expect(email.text).not.toContain("What is the problem?:");
    expect(lines[lines.indexOf("What is the problem?") + 1]).toBe("Residents wait weeks.");
    const evidence = lines.indexOf("Evidence");
    expect(evidence).toBeGreaterThan(lines.indexOf("Partner councils"));
    expect(lines.slice(evidence + 3)).toEqual(expect.arrayContaining(["Letter of support", "Letter from Leeds.pdf", "Cost breakdown", "Costs 2027.csv"]));
    expect(lines[lines.indexOf("Letter of support") + 1]).toBe("Letter from Leeds.pdf");
    expect(email.text).toContain(`* ${partnerA.name}`);
    expect(email.text).toContain(`* ${partnerB.name}`);
    expect(email.html).toMatch(/<h3[^>]*>Letter of support<\/h3>\s*<p[^>]*>Letter from Leeds\.pdf<\/p>/);
    expect(email.html).toMatch(/<h3[^>]*>Cost breakdown<\/h3>\s*<p[^>]*>Costs 2027\.csv<\/p>/);
    expect(email.html).toMatch(/<h3[^>]*>What is the problem\?<\/h3>\s*<p[^>]*>Residents wait weeks\.<\/p>/);
  });
});
