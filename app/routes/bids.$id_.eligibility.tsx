import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadBidFor } from "~/bids/bids.server.ts";
import { bidHeader, partnersOf } from "~/bids/view.server.ts";
import { BidHeading, ChangesRequestFields, PartnerList } from "~/components/bid-parts.tsx";
import { EligibilityPanel } from "~/components/eligibility-panel.tsx";
import { SimilarWork } from "~/reuse/similar-work-panel.tsx";
import { similarWorkFor } from "~/reuse/similar.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { Timeline } from "~/engine/timeline.tsx";
import { decideEligibility } from "~/eligibility/decide.server.ts";
import { automaticChecks, sectionChoices } from "~/eligibility/queue.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatMoney } from "~/utils/format.ts";
import { timelineFor } from "~/engine/timeline.server.ts";
import { contextOf, type PersistedSnapshot } from "../../workflows/index.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/bids.$id_.eligibility" as const;

export const meta = titled<typeof loader>(({ data }) => ["Eligibility check", data?.bid.title]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["fundTeam"]);
  const context = contextOf("bid", bid.snapshot as unknown as PersistedSnapshot);
  const checks = await automaticChecks(bid);
  return {
    bid: bidHeader(bid, relation),
    amount: formatMoney(bid.amountRequestedPence),
    partners: partnersOf(bid).filter((p) => p.status === "accepted"),
    checks,
    ineligibility: context.ineligibility ? { reason: context.ineligibility.reason, at: context.ineligibility.at } : null,
    // Changes the assessors asked for send the bid back to assessment, not to this check.
    backToAssessment: bid.state === "resubmitted" && context.changeRequest?.during === "inAssessment",
    sections: sectionChoices,
    timeline: await timelineFor("bid", bid.id, "staff"),
    // So that a bid repeating funded work is a question the check asks on purpose.
    similar: await similarWorkFor(user, bid, { actions: false, limit: 3 }),
    notice: noticeFrom(request, notices),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id, ["fundTeam"]);
  const outcome = await decideEligibility(user, bid.id, form);
  if (!outcome.ok) return data({ errors: outcome.errors, values: outcome.values, sections: outcome.sections }, { status: 400 });
  return redirect(`/bids/${bid.id}/eligibility?notice=${outcome.intent}`);
}

const notices: Record<string, string> = {
  begin: "You started the eligibility check.",
  eligible: "The bid is eligible. The lead council has been told.",
  ineligible: "The bid is marked ineligible. The councils have been emailed your reason.",
  reinstate: "The bid is reinstated as eligible. The councils have been told.",
  changes: "The bid has gone back to the council for changes. They have been emailed your reason.",
};

export default function BidEligibility() {
  const { bid, amount, partners, checks, ineligibility, backToAssessment, sections, timeline, notice, similar } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors as Record<string, string | undefined> | undefined;
  const values = result?.values;
  const version = <input type="hidden" name="version" value={bid.version} />;
  return (
    <>
      <a href={`/rounds/${bid.round.slug}/eligibility`} className="govuk-back-link">
        Back to the eligibility check for {bid.round.name}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["actions", "ineligibleReason", "changesReason", "sections", "reinstateReason"]} />
          <SuccessNotice text={notice} />
          <BidHeading bid={bid} heading={`Eligibility check: ${bid.title}`} />
          <p className="govuk-body">
            Asks for {amount}.{" "}
            <a className="govuk-link" href={`/bids/${bid.id}`}>
              Read the bid
            </a>
          </p>

          <EligibilityPanel rules={checks.rules} eligible={checks.passes} />

          <h2 className="govuk-heading-m">Partners</h2>
          <PartnerList lead={bid.lead} partners={partners} />

          <SimilarWork items={similar} audience="reviewer" />

          <section id="actions" aria-labelledby="actions-heading" tabIndex={-1}>
            <h2 className="govuk-heading-m" id="actions-heading">
              Your decision
            </h2>
            {errors?.actions ? (
              <p className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {errors.actions}
              </p>
            ) : null}

            {bid.state === "submitted" || (bid.state === "resubmitted" && !backToAssessment) ? (
              <Form method="post" noValidate>
                <CsrfInput />
                {version}
                <input type="hidden" name="intent" value="begin" />
                <p className="govuk-body">Start the check to confirm, refuse or send back this bid. The council will see that its bid is being checked.</p>
                <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Start the check
                </button>
              </Form>
            ) : null}

            {backToAssessment ? (
              <p className="govuk-body">The assessors asked for these changes, so this bid goes back to assessment rather than to an eligibility check.</p>
            ) : null}

            {bid.state === "eligibilityCheck" ? (
              <>
                <Form method="post" noValidate>
                  <CsrfInput />
                  {version}
                  <input type="hidden" name="intent" value="eligible" />
                  <h3 className="govuk-heading-s">The bid is eligible</h3>
                  <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                    Confirm the bid is eligible
                  </button>
                </Form>

                <Form method="post" noValidate>
                  <CsrfInput />
                  {version}
                  <input type="hidden" name="intent" value="ineligible" />
                  <h3 className="govuk-heading-s">The bid is not eligible</h3>
                  <Textarea
                    name="ineligibleReason"
                    label="Why is the bid not eligible?"
                    hint="The lead council and its partners will be emailed this, and it is shown on the bid's history."
                    defaultValue={values?.ineligibleReason}
                    error={errors?.ineligibleReason}
                  />
                  <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button" data-prevent-double-click="true">
                    Mark as ineligible
                  </button>
                </Form>

                <Form method="post" noValidate>
                  <CsrfInput />
                  {version}
                  <input type="hidden" name="intent" value="changes" />
                  <h3 className="govuk-heading-s">The council needs to change the bid</h3>
                  <ChangesRequestFields
                    sections={sections}
                    ticked={result?.sections}
                    errors={errors}
                    reason={values?.changesReason}
                    reasonHint="The lead council will be emailed this."
                  />
                  <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
                    Ask for changes
                  </button>
                </Form>
              </>
            ) : null}

            {bid.state === "ineligible" ? (
              <>
                {ineligibility ? <div className="govuk-inset-text">Marked ineligible because: {ineligibility.reason}</div> : null}
                <Form method="post" noValidate>
                  <CsrfInput />
                  {version}
                  <input type="hidden" name="intent" value="reinstate" />
                  <Textarea
                    name="reinstateReason"
                    label="Why are you reinstating the bid?"
                    hint="The bid becomes eligible. The councils will be emailed this."
                    defaultValue={values?.reinstateReason}
                    error={errors?.reinstateReason}
                  />
                  <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                    Reinstate the bid
                  </button>
                </Form>
              </>
            ) : null}

            {!["submitted", "resubmitted", "eligibilityCheck", "ineligible"].includes(bid.state) ? (
              <p className="govuk-body">This bid is not waiting for an eligibility check. Its status is {bid.stateLabel.toLowerCase()}.</p>
            ) : null}
          </section>

          <Timeline items={timeline} />
        </div>
      </div>
    </>
  );
}
