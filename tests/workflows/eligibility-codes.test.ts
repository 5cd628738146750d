import { describe, expect, it } from "vitest";
import { eligibilityFindings, eligibilityProblems } from "../../workflows/bid";
import { eligibilityCodes } from "../../workflows/rules";
import { LEAD, submissionFacts } from "./support";

// Each eligibility problem carries the code of the rule it breaks, so the eligibility panel
// groups problems by rule without reading their wording.
describe("eligibility problems", () => {
  it("name the rule each one breaks, one code per rule, beside the sentence the machine refuses with", () => {
    const facts = submissionFacts({
      amountRequestedPence: 90_000_00,
      leadBidsInRound: 2,
      incompleteSections: ["Costs"],
      councils: [
        { organisationId: LEAD, name: "Leadville Council", kind: "fireAuthority", role: "lead", signedDeclaration: false },
        { organisationId: "org-newtown", name: "Newtown Council", kind: "council", role: "partner", signedDeclaration: true },
      ],
    });
    const findings = eligibilityFindings(facts, LEAD);
    expect(findings.map((f) => f.code)).toEqual(["declaration", "councils", "kinds", "leadBids", "amount", "sections"]);
    expect(findings.map((f) => f.text)).toEqual(eligibilityProblems(facts, LEAD));
    expect(findings.find((f) => f.code === "kinds")!.text).toBe("Leadville Council is a fire authority, and fire authorities may only be partners");

    const missingLead = eligibilityFindings(submissionFacts(), "org-somewhere-else");
    expect(missingLead.map((f) => f.code)).toEqual(["lead"]);
    expect(new Set([...findings, ...missingLead].map((f) => f.code))).toEqual(new Set(eligibilityCodes));
  });
});
