import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { respondForm } from "~/bids/actions.server.ts";
import { eligibilityOf, loadBidFor, respondToInvitation } from "~/bids/bids.server.ts";
import { readAnswers } from "~/bid-form/sections.ts";
import { bidPageData, decisionPublished, eligibilityMatters } from "~/bids/view.server.ts";
import { BidAnswers } from "~/components/bid-answers.tsx";
import { EligibilityPanel } from "~/components/eligibility-panel.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { NotificationBanner, SuccessNotice } from "~/components/notification-banner.tsx";
import { TaskList, type Task } from "~/components/task-list.tsx";
import { Timeline } from "~/engine/timeline.tsx";
import { SimilarWork } from "~/reuse/similar-work-panel.tsx";
import { showsSimilarWork, similarWorkFor } from "~/reuse/similar.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, formatMoney, plural } from "~/utils/format.ts";
import { BidHeading, DocumentList, PartnerList, SubmittedPanel, WhatHappensNext } from "~/components/bid-parts.tsx";
import { DecisionPanel } from "~/components/decision-panel.tsx";
import { publishedDecision } from "~/funding/decisions.server.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.bid.title ?? "Bid"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/bids.$id");
  const { bid, relation } = await loadBidFor(user, params.id);
  // The history, the eligibility rules and similar work are read at once.
  const [page, eligibility, similar] = await Promise.all([
    bidPageData(user, bid, relation),
    relation !== "invitedOfficer" && eligibilityMatters(bid) ? eligibilityOf(bid) : null,
    showsSimilarWork(relation, bid.state) ? similarWorkFor(user, bid) : null,
  ]);
  const answers = readAnswers(bid.answers);
  const started = Object.fromEntries(page.sections.map((s) => [s.key, (answers.versions[s.key] ?? 0) > 0]));
  const decision = decisionPublished(bid) ? await publishedDecision(bid.id) : null;
  return { ...page, started, eligibility, decision, similar, notice: noticeFrom(request, notices) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, "routes/bids.$id", "action");
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id);
  const parsed = parseForm(form, respondForm);
  // The page's error summary links to its answer buttons, #respond.
  if (!parsed.ok) return refusedField("respond", parsed.errors.intent ?? "Choose whether to accept or decline the invitation", parsed.values);
  const { intent } = parsed.value;
  const result = await respondToInvitation(user, bid, intent === "accept");
  if ("error" in result) return refusedField("respond", result.error, parsed.values);
  // A council that declines is no longer part of the bid and cannot see it: home says so.
  return redirect(intent === "accept" ? `/bids/${bid.id}?notice=accepted` : "/home?notice=declined");
}

const notices: Record<string, string> = {
  accepted: "You accepted the invitation. Your council is now a partner in this bid.",
  declined: "You declined the invitation. Your council is not part of this bid.",
  requested: "We have asked your certifier to sign off the bid. We will email you when they have.",
  declinedCertification: "You declined to sign off the bid. It is back with the officers, and they have been emailed your reason.",
  withdrawn: "The bid has been withdrawn.",
  resubmitted: "The bid has been resubmitted.",
};

export default function BidPage() {
  const {
    bid,
    relation,
    partners,
    documents,
    sections,
    timeline,
    eligibility,
    started,
    can,
    changesHref,
    waitingForCertifier,
    notice,
    canManageEvidence,
    decision,
    similar,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const editing = can.edit;
  const unmet = eligibility ? eligibility.rules.filter((r) => !r.passes).length : 0;
  const tasks: Task[] = sections.map((s) => ({
    id: `task-${s.key}`,
    title: s.title,
    href: s.editable ? `/bids/${bid.id}/sections/${s.key}` : null,
    status: s.reopened ? "Changes requested" : s.complete ? "Completed" : started[s.key] ? "In progress" : "Not yet started",
  }));
  return (
    <>
      <a href="/home" className="govuk-back-link">
        Back to home
      </a>
      <ErrorSummary errors={result?.errors} />
      <SuccessNotice text={notice} />
      <BidHeading bid={bid} />

      {bid.changeRequest ? (
        <NotificationBanner title="Changes requested" heading={`The fund team asked for changes to: ${bid.changeRequest.sections.join(", ")}.`}>
          <p className="govuk-body app-preserve-lines">Their reason: {bid.changeRequest.reason}</p>
        </NotificationBanner>
      ) : null}
      {bid.declined && relation !== "invitedOfficer" ? (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-s">The certifier declined to sign off the bid</h2>
          <p className="govuk-body app-preserve-lines">Their reason: {bid.declined.reason}</p>
        </div>
      ) : null}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {relation === "invitedOfficer" ? (
            <section aria-labelledby="invitation-heading">
              <h2 className="govuk-heading-m" id="invitation-heading">
                Your council has been invited to be a partner
              </h2>
              <p className="govuk-body">{bid.lead} has invited your council to join this bid. Your council only counts as a partner once you accept.</p>
              {can.respond ? (
                <Form method="post">
                  <CsrfInput />
                  <div className="govuk-button-group">
                    <button type="submit" name="intent" value="accept" className="govuk-button" data-module="govuk-button">
                      Accept the invitation
                    </button>
                    <button type="submit" name="intent" value="decline" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                      Decline the invitation
                    </button>
                  </div>
                </Form>
              ) : (
                <p className="govuk-body">The bid has been sent for sign-off, so the invitation can no longer be answered.</p>
              )}
            </section>
          ) : null}

          {editing ? (
            <>
              <h2 className="govuk-heading-m">Your answers</h2>
              <TaskList tasks={tasks} />
              <h2 className="govuk-heading-m">Evidence and sign-off</h2>
              <TaskList
                tasks={[
                  {
                    id: "task-evidence",
                    title: "Upload evidence",
                    href: canManageEvidence ? `/bids/${bid.id}/evidence` : null,
                    status: documents.length ? "Completed" : "Not yet started",
                    hint: documents.length ? `${plural(documents.length, "document")} uploaded` : "Optional: letters of support, research, a business case",
                  },
                  {
                    id: "task-check",
                    title: can.resubmit ? "Check your answers and resubmit" : "Check your answers and send for sign-off",
                    href: `/bids/${bid.id}/check`,
                    // The check page lists what is left; until then the bid cannot be sent.
                    status: unmet ? "Cannot start yet" : "Not yet started",
                    hint: unmet ? `${plural(unmet, "rule is", "rules are")} not met yet: the check page says what to do` : undefined,
                  },
                ]}
              />
            </>
          ) : null}

          {similar ? <SimilarWork items={similar} bidId={bid.id} audience="council" /> : null}

          {can.certify ? (
            <div className="govuk-inset-text">
              <p className="govuk-body">This bid is waiting for your sign-off.</p>
              <a className="govuk-button" href={`/bids/${bid.id}/certify`} role="button" draggable="false" data-module="govuk-button">
                Sign off or decline the bid
              </a>
            </div>
          ) : null}
          {waitingForCertifier ? (
            <div className="govuk-inset-text">Your council's certifier has been asked to sign off this bid. You cannot change it while they consider it.</div>
          ) : null}
          {bid.submittedAt && relation !== "invitedOfficer" && !bid.withdrawal && !decision ? (
            <>
              <SubmittedPanel bid={bid} submittedAt={bid.submittedAt} />
              <WhatHappensNext round={bid.round} />
              <p className="govuk-body">
                <a className="govuk-link" href={`/bids/${bid.id}/confirmation`}>
                  See the confirmation
                </a>
              </p>
            </>
          ) : null}
          {bid.withdrawal ? (
            <div className="govuk-inset-text">
              <h2 className="govuk-heading-s">This bid was withdrawn at {formatDateTime(bid.withdrawal.at)}</h2>
              <p className="govuk-body app-preserve-lines">Reason: {bid.withdrawal.reason}</p>
            </div>
          ) : null}

          {decision && relation !== "invitedOfficer" ? <DecisionPanel decision={decision} /> : null}
          {eligibility ? <EligibilityPanel rules={eligibility.rules} eligible={eligibility.eligible} /> : null}

          <h2 className="govuk-heading-m">Partnership</h2>
          <PartnerList lead={bid.lead} partners={partners} />
          <p className="govuk-body">Amount asked for: {formatMoney(bid.amountRequestedPence)}</p>

          {!editing ? (
            <>
              <h2 className="govuk-heading-m">Answers</h2>
              <BidAnswers sections={sections} />
              <h2 className="govuk-heading-m">Evidence</h2>
              <DocumentList bidId={bid.id} documents={documents} />
            </>
          ) : null}

          {changesHref ? (
            <p className="govuk-body">
              <a className="govuk-link" href={changesHref}>
                Ask the council for changes
              </a>
            </p>
          ) : null}

          {can.withdraw ? (
            <p className="govuk-body">
              <a className="govuk-link app-warning-link" href={`/bids/${bid.id}/withdraw`}>
                Withdraw this bid
              </a>
            </p>
          ) : null}

          <Timeline items={timeline} />
        </div>
      </div>
    </>
  );
}
