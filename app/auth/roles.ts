import type { Role } from "~/generated/prisma/enums.ts";

export type { Role };

export const ROLES = ["councilOfficer", "certifier", "assessor", "fundTeam", "gateApprover", "admin"] as const satisfies readonly Role[];

export const roleLabels: Record<Role, string> = {
  councilOfficer: "Council officer",
  certifier: "Council certifier",
  assessor: "Assessor",
  fundTeam: "Fund team",
  gateApprover: "Gate approver",
  admin: "Administrator",
};

export interface NavItem {
  href: string;
  text: string;
}

/** The service navigation each role sees; every link is a page that role may open. */
export function navigationFor(role: Role | null): NavItem[] {
  if (!role)
    return [
      { href: "/rounds", text: "Funding rounds" },
      { href: "/funded", text: "Funded projects" },
      { href: "/hub", text: "Knowledge hub" },
    ];
  const home = { href: "/home", text: "Home" };
  const rounds = { href: "/rounds", text: "Funding rounds" };
  const organisations = { href: "/organisations", text: "Organisations" };
  const projects = { href: "/projects", text: "Projects" };
  switch (role) {
    case "councilOfficer":
    case "certifier":
      return [home, rounds, projects, organisations, { href: "/access-requests", text: "Requests to join" }];
    case "assessor":
      return [home, rounds];
    case "gateApprover":
      return [home, rounds, projects, { href: "/portfolio", text: "Portfolio" }];
    case "fundTeam":
      return [
        home,
        { href: "/funds", text: "Funds" },
        rounds,
        projects,
        { href: "/portfolio", text: "Portfolio" },
        organisations,
        { href: "/admin/register", text: "Import register" },
        { href: "/workflows", text: "Workflows" },
        { href: "/notifications", text: "Emails" },
      ];
    case "admin":
      return [home, organisations, { href: "/admin/users", text: "Users" }, { href: "/admin/register", text: "Import register" }];
  }
}
