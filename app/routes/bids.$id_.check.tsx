import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { checkForm } from "~/bids/actions.server.ts";
import { act, eligibilityOf, loadBidFor } from "~/bids/bids.server.ts";
import { bidPageData } from "~/bids/view.server.ts";
import { ruleErrors, ruleFixes } from "~/bids/eligibility-fixes.ts";
import { BidAnswers } from "~/components/bid-answers.tsx";
import { BidHeading, DocumentList, PartnerList } from "~/components/bid-parts.tsx";
import { EligibilityPanel } from "~/components/eligibility-panel.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Check your answers", data?.bid.title]);

const ROUTE = "routes/bids.$id_.check" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (bid.state !== "draft" && bid.state !== "changesRequested") throw redirect(`/bids/${bid.id}`);
  return { ...(await bidPageData(user, bid, relation)), eligibility: await eligibilityOf(bid) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id, ["leadOfficer"]);
  const parsed = parseForm(form, checkForm);
  if (!parsed.ok) return refused(parsed);
  // The machine refuses an ineligible bid in one sentence; the page first names each
  // broken rule on its own, linked to where it is put right.
  const page = await bidPageData(user, bid, "leadOfficer");
  const fixes = ruleFixes(bid.id, (await eligibilityOf(bid)).rules, page.sections);
  if (fixes.length) return refused({ errors: ruleErrors(fixes), values: parsed.values });
  const type = bid.state === "changesRequested" || parsed.value.intent === "resubmit" ? "RESUBMIT" : "REQUEST_CERTIFICATION";
  const result = await act(user, bid.id, type, {}, parsed.value.version);
  if (!result.ok) return refusedField("send", result.reason, parsed.values);
  return redirect(`/bids/${bid.id}?notice=${type === "RESUBMIT" ? "resubmitted" : "requested"}`);
}

export default function CheckAnswers() {
  const { bid, sections, partners, documents, eligibility, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fixes = ruleFixes(bid.id, eligibility.rules, sections);
  // The page's data carries no state name: the machine says whether this is a resubmission.
  const resubmitting = can.resubmit;
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to the bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          <BidHeading bid={bid} heading="Check your answers before sending the bid" />
          <BidAnswers sections={sections} changeHref={(key) => (sections.find((s) => s.key === key)?.editable ? `/bids/${bid.id}/sections/${key}` : null)} />
          <h2 className="govuk-heading-m">Partnership</h2>
          <PartnerList lead={bid.lead} partners={partners} />
          <h2 className="govuk-heading-m">Evidence</h2>
          <DocumentList bidId={bid.id} documents={documents} />
          <EligibilityPanel rules={eligibility.rules} eligible={eligibility.eligible} />
          {fixes.length ? (
            <section aria-labelledby="left-to-do">
              <h2 className="govuk-heading-m" id="left-to-do">
                Before you can {resubmitting ? "resubmit the bid" : "send the bid for sign-off"}
              </h2>
              <p className="govuk-body">
                {fixes.length === 1 ? "One rule is" : `${fixes.length} rules are`} not met yet. Put {fixes.length === 1 ? "it" : "each"} right, then come back
                to this page.
              </p>
              <ul className="govuk-list govuk-list--spaced" data-testid="left-to-do">
                {fixes.map((f) => (
                  <li key={f.key}>
                    <h3 className="govuk-heading-s govuk-!-margin-bottom-1">{f.title}</h3>
                    <p className="govuk-body govuk-!-margin-bottom-1">{f.explanation}</p>
                    {f.fix ? (
                      <a className="govuk-link" href={f.fix.href} id={`fix-${f.key}`}>
                        {f.fix.text}
                      </a>
                    ) : (
                      // Still a target for the error summary's link, though nothing here changes it.
                      <p className="govuk-body-s" id={`fix-${f.key}`} tabIndex={-1}>
                        {f.key === "deadline"
                          ? "The round has closed, so this bid can no longer be sent."
                          : "Nothing on this bid can change this: contact the fund team."}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {fixes.length ? null : (
            <>
              <h2 className="govuk-heading-m">{resubmitting ? "Resubmit the bid" : "Send the bid for sign-off"}</h2>
              <p className="govuk-body">
                {resubmitting
                  ? "The fund team will see your changes and carry on with the bid."
                  : "Your council's certifier will be asked to sign off the bid. Once they do, it is submitted to the fund, and you will get a confirmation email with a copy of your answers."}
              </p>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="version" value={bid.version} />
                <button
                  type="submit"
                  id="send"
                  name="intent"
                  value={resubmitting ? "resubmit" : "request"}
                  className="govuk-button"
                  data-module="govuk-button"
                  data-prevent-double-click="true"
                >
                  {resubmitting ? "Resubmit the bid" : "Send to the certifier for sign-off"}
                </button>
              </Form>
            </>
          )}
        </div>
      </div>
    </>
  );
}
