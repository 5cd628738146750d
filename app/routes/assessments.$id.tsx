import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { changedSinceScored, loadAssessmentFor, mayReadBid, nextStep, pauseOf } from "~/assessment/assessments.server.ts";
import { answerAssignment } from "~/assessment/invitation-actions.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { Timeline } from "~/engine/timeline.tsx";
import { NotificationBanner, SuccessNotice } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { readForm } from "~/forms/body.server.ts";
import { refused } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { timelineFor } from "~/engine/timeline.server.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/assessments.$id" as const;

export const meta = titled<typeof loader>(({ data }) => ["Assessment", data?.assessment.title]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { assessment, context } = await loadAssessmentFor(user, params.id);
  const { bid } = assessment;
  // Before interests are declared the assessor sees only who is in the partnership: enough
  // to declare interests, not the answers.
  return {
    viewer: user.role,
    notice: noticeFrom(request, notices),
    assessment: {
      id: assessment.id,
      state: assessment.state,
      version: assessment.version,
      stateLabel: stateLabel("assessment", assessment.state),
      tag: stateTagColour("assessment", assessment.state),
      dueAt: assessment.dueAt?.toISOString() ?? null,
      reference: bid.reference,
      title: bid.title,
      bidId: bid.id,
      round: bid.round.name,
      lead: bid.leadOrganisation.name,
      partners: bid.partners.map((p) => p.organisation.name),
      declined: context.declined?.reason ?? null,
      interests: context.interests ? { text: context.interests.text, conflict: context.interests.conflict } : null,
      lastReturn: context.lastReturn?.reason ?? null,
      unassigned: context.unassigned?.reason ?? null,
      mayScore: mayReadBid(assessment),
      paused: pauseOf(assessment),
      changed: changedSinceScored(assessment),
      next: nextStep(assessment),
    },
    timeline: await timelineFor("assessment", assessment.id, "staff"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { assessment } = await loadAssessmentFor(user, params.id, false);
  const outcome = await answerAssignment(user, assessment.id, form);
  if (!outcome.ok) return refused(outcome);
  const here = `/assessments/${assessment.id}`;
  throw redirect(outcome.next === "score" ? `${here}/score` : `${here}?notice=${outcome.next}`);
}

const notices: Record<string, string> = {
  accepted: "You accepted the invitation. Declare your interests to open the bid.",
  declined: "You declined the invitation. The fund team has been told and another assessor will be asked.",
  conflict: "You declared a conflict of interest, so you will not score this bid. The fund team has been told and will reassign it.",
};

export default function AssessmentPage() {
  const { assessment: a, timeline, viewer, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const values = result?.values;
  const isAssessor = viewer === "assessor";
  return (
    <>
      <a href={isAssessor ? "/assessments" : `/bids/${a.bidId}/assignments`} className="govuk-back-link">
        {isAssessor ? "Back to your assessments" : "Back to the bid's assessors"}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <SuccessNotice text={notice} title="Done" />
          {a.paused ? (
            <NotificationBanner title="Paused" heading="This bid is back with the council for changes">
              <p className="govuk-body">
                The fund team asked the council to change: {a.paused.sections.join(", ")}. The assessment is paused until the council resubmits the bid, so it
                cannot be scored now. The scores and comments so far are kept, and {isAssessor ? "you will be" : "the assessor will be"} emailed when it is
                back.
              </p>
              <p className="govuk-body app-preserve-lines">What the council was asked to change: {a.paused.reason}</p>
            </NotificationBanner>
          ) : null}
          {a.changed ? (
            <NotificationBanner title="Back after changes" heading="The council has changed and resubmitted this bid">
              <p className="govuk-body">
                {a.changed.length ? `Changed since you scored it: ${a.changed.join(", ")}.` : "None of its answers changed since it was scored."} The earlier
                scores and comments are kept for {isAssessor ? "you" : "the assessor"} to look at again and submit.
              </p>
            </NotificationBanner>
          ) : null}
          <span className="govuk-caption-l">
            {a.reference}, {a.round}
          </span>
          <h1 className="govuk-heading-l">{a.title}</h1>
          <SummaryList
            rows={[
              { key: "Status", value: <strong className={`govuk-tag govuk-tag--${a.tag}`}>{a.stateLabel}</strong> },
              { key: "Lead council", value: a.lead },
              {
                key: "Partners",
                value: a.partners.length ? (
                  <ul className="govuk-list">
                    {a.partners.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                ) : (
                  "None"
                ),
              },
              { key: "Due", value: a.dueAt ? formatDateTime(a.dueAt) : "No date set" },
              ...(a.declined ? [{ key: "Reason for declining", value: <span className="app-preserve-lines">{a.declined}</span> }] : []),
              ...(a.interests
                ? [
                    {
                      key: "Interests declared",
                      value: (
                        <>
                          <span className="app-preserve-lines">{a.interests.text}</span>
                          {a.interests.conflict ? (
                            <>
                              <br />
                              <strong className="govuk-tag govuk-tag--red">Conflict of interest</strong>
                            </>
                          ) : null}
                        </>
                      ),
                    },
                  ]
                : []),
              ...(a.lastReturn && (a.state === "returned" || a.state === "scoring")
                ? [{ key: "Returned for rework because", value: <span className="app-preserve-lines">{a.lastReturn}</span> }]
                : []),
              ...(a.unassigned ? [{ key: "Unassigned because", value: <span className="app-preserve-lines">{a.unassigned}</span> }] : []),
            ]}
          />

          {isAssessor && a.state === "invited" ? (
            <>
              <h2 className="govuk-heading-m">Accept or decline</h2>
              <p className="govuk-body">You will see the bid's answers once you have accepted and declared your interests.</p>
              {/* A refused acceptance is about the whole form: the error summary links to its button. */}
              {errors?.accept ? (
                <p className="govuk-error-message" id="accept-error">
                  <span className="govuk-visually-hidden">Error:</span> {errors.accept}
                </p>
              ) : null}
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="accept" />
                <input type="hidden" name="version" value={a.version} />
                <button
                  type="submit"
                  id="accept"
                  aria-describedby={errors?.accept ? "accept-error" : undefined}
                  className="govuk-button"
                  data-module="govuk-button"
                  data-prevent-double-click="true"
                >
                  Accept invitation
                </button>
              </Form>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="decline" />
                <input type="hidden" name="version" value={a.version} />
                <Textarea name="reason" label="If you are declining, tell us why" error={errors?.reason} defaultValue={values?.reason} rows={3} />
                <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
                  Decline invitation
                </button>
              </Form>
            </>
          ) : null}

          {isAssessor && a.state === "accepted" ? (
            <>
              <h2 className="govuk-heading-m">Declare your interests</h2>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="declare" />
                <input type="hidden" name="version" value={a.version} />
                <Textarea
                  name="interests"
                  label="Your interests in this bid"
                  hint="Any link with the lead council, a partner or the people involved: work, money, family or friendship. If you have none, write ‘None’."
                  error={errors?.interests}
                  defaultValue={values?.interests}
                  rows={4}
                />
                <Radios
                  name="conflict"
                  legend="Does any of this stop you assessing the bid fairly?"
                  error={errors?.conflict}
                  items={[
                    { value: "yes", text: "Yes, I have a conflict of interest" },
                    { value: "no", text: "No" },
                  ]}
                  value={values?.conflict}
                  inline
                />
                <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Declare interests
                </button>
              </Form>
            </>
          ) : null}

          {isAssessor && a.mayScore && a.next.href === "score" ? (
            <p className="govuk-body">
              <a className="govuk-link govuk-!-font-weight-bold" href={`/assessments/${a.id}/score`}>
                {a.next.text}
              </a>
            </p>
          ) : isAssessor && !["invited", "accepted"].includes(a.state) ? (
            <p className="govuk-body">{a.next.text}.</p>
          ) : null}

          <Timeline items={timeline} />
        </div>
      </div>
    </>
  );
}
