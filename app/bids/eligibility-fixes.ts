import type { EligibilityRuleView } from "~/components/eligibility-panel.tsx";

/** Where a lead officer puts a failing rule right, as a link the page and its error summary share. */
export interface RuleFix {
  key: string;
  title: string;
  explanation: string;
  /** The page where it is fixed, or null where only time or someone else can fix it. */
  fix: { href: string; text: string } | null;
}

/**
 * Each failing eligibility rule, with the place it is fixed: the partner councils for the
 * declaration, the size of the partnership and the kinds of organisation; the costs section
 * for the amount; the first unfinished section; the council's other bids when it leads too
 * many. A deadline that has passed has nothing on this bid to change, and says so.
 */
export function ruleFixes(
  bidId: string,
  rules: EligibilityRuleView[],
  sections: { key: string; title: string; complete: boolean; editable: boolean }[],
): RuleFix[] {
  const firstIncomplete = sections.find((s) => !s.complete && s.editable);
  const partnersEditable = sections.some((s) => s.key === "partners" && s.editable);
  const costsEditable = sections.some((s) => s.key === "costs" && s.editable);
  return rules
    .filter((rule) => !rule.passes)
    .map((rule) => {
      const base = { key: rule.key, title: rule.title, explanation: rule.explanation };
      switch (rule.key) {
        case "declaration":
        case "councils":
        case "kinds":
        case "other":
          return { ...base, fix: partnersEditable ? { href: `/bids/${bidId}/partners`, text: "Change the partner councils" } : null };
        case "amount":
          return { ...base, fix: costsEditable ? { href: `/bids/${bidId}/sections/costs`, text: "Change the costs" } : null };
        case "sections":
          return {
            ...base,
            fix: firstIncomplete
              ? { href: `/bids/${bidId}/sections/${firstIncomplete.key}`, text: `Complete the ${firstIncomplete.title.toLowerCase()} section` }
              : null,
          };
        case "leadBids":
          return { ...base, fix: { href: "/home", text: "See your council's bids (withdrawing one frees a place)" } };
        default:
          return { ...base, fix: null };
      }
    });
}

/** The error summary's entries: one per broken rule, each linking to the rule's own fix link on the page. */
export function ruleErrors(fixes: RuleFix[]): Record<string, string> {
  return Object.fromEntries(fixes.map((f) => [`fix-${f.key}`, `${f.title}: ${f.explanation}`]));
}
