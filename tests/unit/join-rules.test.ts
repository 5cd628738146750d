import { describe, expect, it } from "vitest";
import { domainProblem, domainsOf, grantableRoles, grantRefusal, isFundTeams, normaliseDomain } from "~/join/rules.ts";

describe("an organisation's email domain", () => {
  it("is read as typed, without case, an @ or www.", () => {
    expect(normaliseDomain("  @Leeds.GOV.uk ")).toBe("leeds.gov.uk");
    expect(normaliseDomain("www.leeds.gov.uk.")).toBe("leeds.gov.uk");
  });

  it("must be a real domain, not a public email service nor a name many organisations share", () => {
    expect(domainProblem("leeds.gov.uk")).toBeNull();
    expect(domainProblem("staff.leeds.gov.uk")).toBeNull();
    expect(domainProblem("leeds")).toMatch(/^Enter a real email domain/);
    expect(domainProblem("-leeds.gov.uk")).toMatch(/^Enter a real email domain/);
    expect(domainProblem("leeds..gov.uk")).toMatch(/^Enter a real email domain/);
    expect(domainProblem("gmail.com")).toMatch(/^gmail\.com is a public email service/);
    expect(domainProblem("hotmail.co.uk")).toMatch(/public email service/);
    expect(domainProblem("gov.uk")).toMatch(/^gov\.uk is shared by many organisations/);
  });

  it("matches an address on it or on a part of it, most specific first", () => {
    expect(domainsOf("jo@housing.leeds.gov.uk")).toEqual(["housing.leeds.gov.uk", "leeds.gov.uk", "gov.uk"]);
    expect(domainsOf("no address")).toEqual([]);
  });
});

describe("who gives which role to someone joining a council", () => {
  const council = { id: "c1", name: "Leeds", officers: 2 };
  const unstaffed = { ...council, officers: 0 };
  const person = (role: "councilOfficer" | "certifier" | "fundTeam" | "admin" | "assessor" | "gateApprover", organisation = "c1") => ({
    role,
    organisation: { id: organisation },
  });

  it("lets the council's officers give the officer role, and only its certifiers the certifier role", () => {
    expect(grantableRoles(person("councilOfficer"), council, "councilOfficer")).toEqual(["councilOfficer"]);
    expect(grantRefusal(person("councilOfficer"), council, "certifier", "certifier")).toBe(
      "Only a certifier of Leeds or the fund team can give the certifier role. You can give the council officer role, or decline.",
    );
    expect(grantableRoles(person("certifier"), council, "certifier")).toEqual(["councilOfficer", "certifier"]);
  });

  it("keeps other councils' officers, assessors and gate approvers out", () => {
    expect(grantableRoles(person("councilOfficer", "c2"), council, "councilOfficer")).toEqual([]);
    expect(grantableRoles(person("certifier", "c2"), council, "certifier")).toEqual([]);
    expect(grantableRoles(person("assessor"), council, "councilOfficer")).toEqual([]);
    expect(grantableRoles(person("gateApprover"), unstaffed, "councilOfficer")).toEqual([]);
  });

  it("lets the fund team give the certifier role asked for, and answer anything where the council has no officers", () => {
    expect(grantableRoles(person("fundTeam", "m"), council, "certifier")).toEqual(["certifier"]);
    expect(grantableRoles(person("fundTeam", "m"), council, "councilOfficer")).toEqual([]);
    expect(grantRefusal(person("fundTeam", "m"), council, "councilOfficer", "councilOfficer")).toMatch(/^Leeds has officers of its own/);
    expect(grantableRoles(person("fundTeam", "m"), unstaffed, "councilOfficer")).toEqual(["councilOfficer", "certifier"]);
    expect(grantableRoles(person("admin", "m"), unstaffed, "certifier")).toEqual(["councilOfficer", "certifier"]);
  });

  it("puts on the fund team's list what nobody at the council can answer", () => {
    expect(isFundTeams({ officers: 0, certifiers: 0 }, "councilOfficer")).toBe(true);
    expect(isFundTeams({ officers: 2, certifiers: 0 }, "councilOfficer")).toBe(false);
    expect(isFundTeams({ officers: 2, certifiers: 0 }, "certifier")).toBe(true);
    expect(isFundTeams({ officers: 2, certifiers: 1 }, "certifier")).toBe(false);
  });
});
