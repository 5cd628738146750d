import { describe, expect, it } from "vitest";
import { slugFor, validateFields } from "~/hub/hub.server.ts";
import { organisationIdentifier } from "~/opendata/awards.server.ts";
import { portfolioStageOf } from "~/portfolio/stages.ts";
import { statesOf } from "../../workflows/index.ts";

describe("portfolio stages", () => {
  it("puts every project state in one of the five columns", () => {
    const columns = Object.fromEntries(statesOf("project").map((s) => [s, portfolioStageOf(s)]));
    expect(columns).toEqual({
      starting: "scan",
      scan_delivering: "scan",
      scan_gateRequested: "scan",
      scan_inReview: "scan",
      pilot_delivering: "pilot",
      pilot_gateRequested: "pilot",
      pilot_inReview: "pilot",
      scale_delivering: "scale",
      scale_gateRequested: "scale",
      scale_inReview: "scale",
      stopped: "stopped",
      closed: "stopped",
      completed: "completed",
    });
  });
});

describe("case study slugs and checks", () => {
  it("makes a readable, unique slug from the title and project reference", () => {
    expect(slugFor("Booking bulky waste: online!", "LDF-2026-0042")).toBe("booking-bulky-waste-online-ldf-2026-0042");
    expect(slugFor("***", "LDF-2026-0042")).toBe("ldf-2026-0042");
  });

  it("needs only a title for a draft, and every part before review", () => {
    expect(validateFields({ title: "" }, false)).toEqual({ title: "Enter a title" });
    expect(validateFields({ title: "A title" }, false)).toEqual({});
    expect(Object.keys(validateFields({ title: "A title" }, true)).sort()).toEqual(
      ["approach", "evidence", "lessons", "outcome", "problem", "reusableOutputs", "serviceArea"].sort(),
    );
  });
});

describe("360Giving organisation identifiers", () => {
  it("uses the local authority register for English councils and our prefix for other bodies", () => {
    expect(organisationIdentifier({ code: "BIR", kind: "council", councilTypeCode: "MD" })).toBe("GB-LAE-BIR");
    expect(organisationIdentifier({ code: "WMCA", kind: "combinedAuthority", councilTypeCode: null })).toBe("360G-springboard-org-WMCA");
  });
});
