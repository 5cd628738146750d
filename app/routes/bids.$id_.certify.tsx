import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { certifyFields, certifyForms } from "~/bids/actions.server.ts";
import { act, eligibilityOf, loadBidFor } from "~/bids/bids.server.ts";
import { bidPageData } from "~/bids/view.server.ts";
import { DecisionWithReason } from "~/components/decision-with-reason.tsx";
import { BidAnswers } from "~/components/bid-answers.tsx";
import { BidHeading, DocumentList, PartnerList } from "~/components/bid-parts.tsx";
import { EligibilityPanel } from "~/components/eligibility-panel.tsx";
import { ErrorSummary } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { authoriseKeepingForm, keptForm } from "~/auth/kept-forms.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Sign off", data?.bid.title]);

const ROUTE = "routes/bids.$id_.certify" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadCertifier"]);
  if (bid.state !== "awaitingCertification") throw redirect(`/bids/${bid.id}`);
  const url = new URL(request.url);
  const rescued = await keptForm(request, user, url.searchParams.get("restore"), url.pathname);
  return {
    ...(await bidPageData(user, bid, relation)),
    eligibility: await eligibilityOf(bid),
    rescued: rescued ? { decision: rescued.decision ?? "", reason: rescued.reason ?? "" } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseKeepingForm(request, ROUTE, form, certifyFields, context.clientIp);
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id, ["leadCertifier"]);
  const parsed = parseForm(form, certifyForms);
  if (!parsed.ok) return refused(parsed);
  const { decision, reason, version } = parsed.value;
  if (decision === "approve") {
    const result = await act(user, bid.id, "CERTIFY", {}, version);
    if (!result.ok) {
      // Each broken rule on its own, linked to its row in the eligibility panel.
      // A closed round is said in the machine's own words: nothing on the bid can change it.
      const failing = (await eligibilityOf(bid)).rules.filter((r) => !r.passes && r.key !== "deadline");
      if (!failing.length) return refusedField("decision", result.reason, parsed.values);
      const errors: Record<string, string> = {
        decision: "This bid does not meet every rule, so it cannot be signed off. Send it back to the officers and say what they need to change",
      };
      for (const rule of failing) errors[`rule-${rule.key}`] = `${rule.title}: ${rule.explanation}`;
      return refused({ errors, values: parsed.values });
    }
    return redirect(`/bids/${bid.id}/confirmation`);
  }
  const result = await act(user, bid.id, "DECLINE_CERTIFICATION", { reason }, version);
  if (!result.ok) return refusedField("reason", result.reason, parsed.values);
  return redirect(`/bids/${bid.id}?notice=declinedCertification`);
}

export default function Certify() {
  const { bid, sections, partners, documents, eligibility, rescued } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const decision = result?.values.decision ?? rescued?.decision;
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to the bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["decision", ...eligibility.rules.map((r) => `rule-${r.key}`), "reason"]} />
          <BidHeading bid={bid} heading={`Sign off: ${bid.title}`} />
          <BidAnswers sections={sections} />
          <h2 className="govuk-heading-m">Partnership</h2>
          <PartnerList lead={bid.lead} partners={partners} />
          <h2 className="govuk-heading-m">Evidence</h2>
          <DocumentList bidId={bid.id} documents={documents} />
          <EligibilityPanel rules={eligibility.rules} eligible={eligibility.eligible} />
          {eligibility.eligible ? null : (
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                This bid does not meet every rule yet, so it cannot be signed off now. Send it back to the officers and say what they need to change.
              </strong>
            </div>
          )}
          <DecisionWithReason
            hidden={<input type="hidden" name="version" value={bid.version} />}
            choice={{
              name: "decision",
              legend: "Do you sign off this bid?",
              legendClass: "govuk-fieldset__legend--m",
              value: decision,
              error: result?.errors.decision,
              items: [
                { value: "approve", text: "Yes, sign it off and submit it to the fund" },
                { value: "decline", text: "No, send it back to the officers" },
              ],
            }}
            reason={{
              name: "reason",
              label: "If you decline, say why",
              hint: "The officers will see this and can change the bid and ask again",
              value: result?.values.reason ?? rescued?.reason,
              error: result?.errors.reason,
            }}
            submit={{ text: "Confirm" }}
          />
        </div>
      </div>
    </>
  );
}
