import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { act, authoriseKeepingForm, rescuedForm, eligibilityOf, loadBidFor, versionFrom } from "~/bids/bids.server.ts";
import { bidPageData } from "~/bids/view.server.ts";
import { BidAnswers } from "~/components/bid-answers.tsx";
import { BidHeading, DocumentList, PartnerList } from "~/components/bid-parts.tsx";
import { EligibilityPanel } from "~/components/eligibility-panel.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { requireCsrf } from "~/security/csrf.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sign off – ${data?.bid.title ?? "Bid"} – Springboard` }];

const ROUTE = "routes/bids.$id_.certify" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadCertifier"]);
  if (bid.state !== "awaitingCertification") throw redirect(`/bids/${bid.id}`);
  const url = new URL(request.url);
  const rescued = await rescuedForm(url.searchParams.get("restore"), url.pathname);
  return {
    ...(await bidPageData(user, bid, relation)),
    eligibility: await eligibilityOf(bid),
    rescued: rescued ? { decision: rescued.decision ?? "", reason: rescued.reason ?? "" } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseKeepingForm(request, ROUTE, form);
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id, ["leadCertifier"]);
  const decision = String(form.get("decision") ?? "");
  const reason = String(form.get("reason") ?? "");
  const expected = versionFrom(form);
  const fail = (errors: Record<string, string>) => data({ errors, values: { decision, reason } }, { status: 400 });
  if (decision !== "approve" && decision !== "decline") return fail({ decision: "Select whether you sign off the bid" });
  if (decision === "decline" && !reason.trim()) return fail({ reason: "Enter why you are declining to sign off the bid" });
  if (reason.trim().length > 5000) return fail({ reason: "Your reason must be 5,000 characters or fewer" });
  if (decision === "approve") {
    const result = await act(user, bid.id, "CERTIFY", {}, expected);
    if (!result.ok) return fail({ decision: result.reason });
    return redirect(`/bids/${bid.id}/confirmation`);
  }
  const result = await act(user, bid.id, "DECLINE_CERTIFICATION", { reason: reason.trim() }, expected);
  if (!result.ok) return fail({ reason: result.reason });
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
          <ErrorSummary errors={result?.errors} order={["decision", "reason"]} />
          <BidHeading bid={bid} heading={`Sign off: ${bid.title}`} />
          <BidAnswers sections={sections} />
          <h2 className="govuk-heading-m">Partnership</h2>
          <PartnerList lead={bid.lead} partners={partners} />
          <h2 className="govuk-heading-m">Evidence</h2>
          <DocumentList bidId={bid.id} documents={documents} />
          <EligibilityPanel rules={eligibility.rules} eligible={eligibility.eligible} />
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="version" value={bid.version} />
            <div className={`govuk-form-group${result?.errors.decision ? " govuk-form-group--error" : ""}`}>
              <fieldset className="govuk-fieldset" aria-describedby={result?.errors.decision ? "decision-error" : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Do you sign off this bid?</legend>
                {result?.errors.decision ? (
                  <p id="decision-error" className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {result.errors.decision}
                  </p>
                ) : null}
                <div className="govuk-radios" data-module="govuk-radios">
                  <div className="govuk-radios__item">
                    <input className="govuk-radios__input" id="decision" name="decision" type="radio" value="approve" defaultChecked={decision === "approve"} />
                    <label className="govuk-label govuk-radios__label" htmlFor="decision">
                      Yes, sign it off and submit it to the fund
                    </label>
                  </div>
                  <div className="govuk-radios__item">
                    <input className="govuk-radios__input" id="decision-decline" name="decision" type="radio" value="decline" defaultChecked={decision === "decline"} />
                    <label className="govuk-label govuk-radios__label" htmlFor="decision-decline">
                      No, send it back to the officers
                    </label>
                  </div>
                </div>
              </fieldset>
            </div>
            <Textarea name="reason" label="If you decline, say why" hint="The officers will see this and can change the bid and ask again" defaultValue={result?.values.reason ?? rescued?.reason} error={result?.errors.reason} />
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Confirm
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
