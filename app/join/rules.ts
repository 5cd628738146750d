import type { Role } from "~/auth/roles.ts";

/**
 * Who may join a council by asking, and who answers: pure rules, shared by the pages, the
 * server functions and the unit tests. A domain is an organisation's own email domain (its
 * staff's addresses end in it); a person on it may ask to be a council officer or certifier.
 */

/** The roles a person may ask for: the council's own roles. */
export const REQUESTABLE_ROLES = ["councilOfficer", "certifier"] as const;
export type RequestableRole = (typeof REQUESTABLE_ROLES)[number];

/** Organisations whose staff may ask to join (the kinds council roles belong to). */
export const JOINABLE_KINDS = ["council", "combinedAuthority", "fireAuthority"] as const;

/**
 * Email services anyone can sign up to: an address on one says nothing about the employer,
 * so none can be an organisation's domain.
 */
export const PUBLIC_EMAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "outlook.co.uk",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "live.co.uk",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "aol.co.uk",
  "protonmail.com",
  "proton.me",
  "gmx.com",
  "gmx.co.uk",
  "mail.com",
  "zoho.com",
  "yandex.com",
  "btinternet.com",
  "sky.com",
  "virginmedia.com",
  "talktalk.net",
  "tiscali.co.uk",
  "ntlworld.com",
]);

/** Names many organisations share: an address on them could be anybody's. */
export const SHARED_SUFFIXES = new Set([
  "gov.uk",
  "org.uk",
  "co.uk",
  "ac.uk",
  "nhs.uk",
  "nhs.net",
  "police.uk",
  "ltd.uk",
  "plc.uk",
  "me.uk",
  "net.uk",
  "sch.uk",
  "mod.uk",
  "uk",
  "com",
  "org",
  "net",
  "gov",
]);

const DOMAIN_PATTERN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What was typed, as a domain: lower case, without spaces, a leading "@" or "www.". */
export function normaliseDomain(typed: string): string {
  return typed
    .trim()
    .toLowerCase()
    .replace(/^@/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
}

/** Null when the text is a domain an organisation could own; otherwise why not. */
export function domainProblem(domain: string): string | null {
  if (!domain) return "Enter an email domain, like leeds.gov.uk";
  if (domain.includes("@")) return "Enter only the part of the address after the @, like leeds.gov.uk";
  if (!DOMAIN_PATTERN.test(domain)) return "Enter a real email domain, like leeds.gov.uk: letters, numbers and hyphens, with dots between the parts";
  if (PUBLIC_EMAIL_DOMAINS.has(domain)) {
    return `${domain} is a public email service that anyone can sign up to, so it cannot be an organisation's domain. Enter a domain only its staff have, like leeds.gov.uk`;
  }
  if (SHARED_SUFFIXES.has(domain)) {
    return `${domain} is shared by many organisations. Enter the organisation's own domain, like leeds.gov.uk`;
  }
  return null;
}

/** The address's domain and every parent of it, most specific first: a.leeds.gov.uk, leeds.gov.uk, gov.uk. */
export function domainsOf(email: string): string[] {
  const at = email.lastIndexOf("@");
  if (at < 0) return [];
  const parts = email
    .slice(at + 1)
    .toLowerCase()
    .split(".");
  const result: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) result.push(parts.slice(i).join("."));
  return result;
}

export interface Answerer {
  role: Role;
  organisation: { id: string };
}

export interface JoiningCouncil {
  id: string;
  name: string;
  /** Council officers and certifiers the council already has. */
  officers: number;
}

/**
 * Null when this person may give the role to someone joining the council; otherwise which
 * rule stops them. Officers (and certifiers) of the council give the council officer role;
 * only a certifier of the council or the fund team gives the certifier role. The fund team
 * answers requests for the certifier role, and any request where the council has no
 * officers; a request to be an officer of a council that has some is its officers' to answer.
 */
export function grantRefusal(answerer: Answerer, council: JoiningCouncil, role: RequestableRole, roleWanted: RequestableRole): string | null {
  const ownCouncil = answerer.organisation.id === council.id;
  switch (answerer.role) {
    case "certifier":
      return ownCouncil ? null : "Only the council's own officers answer requests to join it.";
    case "councilOfficer":
      if (!ownCouncil) return "Only the council's own officers answer requests to join it.";
      return role === "councilOfficer"
        ? null
        : `Only a certifier of ${council.name} or the fund team can give the certifier role. You can give the council officer role, or decline.`;
    case "fundTeam":
    case "admin":
      if (council.officers === 0 || (role === "certifier" && roleWanted === "certifier")) return null;
      return `${council.name} has officers of its own, so they answer requests to join it as a council officer. The fund team answers requests for the certifier role, and requests to join councils with no officers.`;
    default:
      return "Only the council's officers and the fund team answer requests to join a council.";
  }
}

/** The roles this person may give: what the approve form offers. */
export function grantableRoles(answerer: Answerer, council: JoiningCouncil, roleWanted: RequestableRole): RequestableRole[] {
  return REQUESTABLE_ROLES.filter((role) => grantRefusal(answerer, council, role, roleWanted) === null);
}

/** Whether the request is the fund team's to answer (what their "Waiting for you" lists). */
export function isFundTeams(council: { officers: number; certifiers: number }, roleWanted: RequestableRole): boolean {
  return council.officers === 0 || (roleWanted === "certifier" && council.certifiers === 0);
}
