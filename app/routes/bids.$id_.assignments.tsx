import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { changeAssignments } from "~/assessment/assignment-actions.server.ts";
import { assignmentsOf, poolOf, STAFFABLE_BID_STATES } from "~/assessment/assessments.server.ts";
import { hasConflict } from "~/assessment/assignment.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { AssessmentWithReason } from "~/components/decision-with-reason.tsx";
import { ChangesRequestFields } from "~/components/bid-parts.tsx";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, plural } from "~/utils/format.ts";
import { sectionChoices } from "~/eligibility/queue.server.ts";
import { contextOf, stateLabel, stateTagColour, type PersistedSnapshot } from "../../workflows/index.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

const ROUTE = "routes/bids.$id_.assignments" as const;

export const meta = titled<typeof loader>(({ data }) => ["Assessors", data?.bid.title]);

// Until scores are in, the fund team can take an assessor off the bid.
const UNASSIGNABLE = ["invited", "accepted", "interestsDeclared", "scoring", "returned"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  if (!params.id) throw notFound();
  const { bid, rules, partnership, counting, assessments } = await assignmentsOf(params.id);
  const pool = await poolOf(bid.roundId);
  const needed = rules.assessment.assessorsPerBid;
  const changeRequest = contextOf("bid", bid.snapshot as unknown as PersistedSnapshot).changeRequest;
  // Changes asked for during assessment: the bid is with the council, or back from it and ready to restart.
  const fromAssessment = changeRequest?.during === "inAssessment";
  return {
    notice: noticeFrom(request, notices),
    bid: {
      id: bid.id,
      reference: bid.reference,
      title: bid.title,
      state: bid.state,
      version: bid.version,
      stateLabel: stateLabel("bid", bid.state, { audience: "staff" }),
      tag: stateTagColour("bid", bid.state, { audience: "staff" }),
      round: { slug: bid.round.slug, name: bid.round.name },
    },
    partnership,
    needed,
    counting,
    staffable: (STAFFABLE_BID_STATES as readonly string[]).includes(bid.state),
    canStart: (bid.state === "eligible" || (bid.state === "resubmitted" && fromAssessment)) && counting >= needed,
    canAskForChanges: bid.state === "inAssessment",
    pausedForChanges: bid.state === "changesRequested" && fromAssessment ? { reason: changeRequest!.reason, sections: changeRequest!.sections } : null,
    sections: sectionChoices,
    assessments: assessments.map((a) => ({
      ...a,
      stateLabel: stateLabel("assessment", a.state),
      tag: stateTagColour("assessment", a.state),
      unassignable: UNASSIGNABLE.includes(a.state),
    })),
    pool: pool.map((a) => ({
      value: a.userId,
      text: `${a.name}, ${a.organisationName} (${plural(a.load, "assignment")})${hasConflict(a, partnership) ? " – works for a council in this partnership" : ""}`,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const bid = params.id ? await db().bid.findUnique({ where: { id: params.id }, select: { id: true, roundId: true } }) : null;
  if (!bid) throw notFound();
  const outcome = await changeAssignments(user, bid, form);
  if (outcome.kind === "refused") {
    return data(
      { errors: outcome.errors, values: outcome.values, sections: outcome.sections, notice: null as string | null, shortfalls: [] as string[] },
      { status: 400 },
    );
  }
  if (outcome.kind === "shown")
    return { errors: null, values: {} as Record<string, string>, sections: [] as string[], notice: outcome.notice, shortfalls: outcome.shortfalls };
  throw redirect(`/bids/${bid.id}/assignments?notice=${outcome.notice}`);
}

const notices: Record<string, string> = {
  assigned: "The assessor was assigned and has been emailed an invitation.",
  unassigned: "The assessor was unassigned and has been told.",
  started: "Assessment has started.",
  changes:
    "The bid has gone back to the council for changes. The lead council has been emailed your reason, and the assessors have been told their assessments are paused.",
};

export default function BidAssignments() {
  const { bid, partnership, needed, counting, staffable, canStart, canAskForChanges, pausedForChanges, sections, assessments, pool, notice } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values;
  const errors = result?.errors ?? undefined;
  const unassignable = assessments.filter((a) => a.unassignable);
  return (
    <>
      <a href={`/rounds/${bid.round.slug}/assessors`} className="govuk-back-link">
        Back to the round's assessors
      </a>
      <ErrorSummary
        errors={errors}
        order={["intent", "start", "assessorUserId", "assignReason", "sections", "changesReason", "assessmentId", "unassignReason"]}
      />
      <SuccessNotice text={result?.notice ?? notice} title="Done" />
      {result?.shortfalls.length ? (
        <div className="govuk-inset-text">
          {result.shortfalls.map((s) => (
            <p className="govuk-body" key={s}>
              {s}
            </p>
          ))}
        </div>
      ) : null}
      <span className="govuk-caption-l">
        {bid.reference}, {bid.round.name}
      </span>
      <h1 className="govuk-heading-l">Assessors for {bid.title}</h1>
      <SummaryList
        rows={[
          { key: "Status", value: <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong> },
          {
            key: "Partnership",
            value: (
              <ul className="govuk-list">
                {partnership.map((m) => (
                  <li key={m.organisationId}>
                    {m.name} ({m.role === "lead" ? "lead" : "partner"})
                  </li>
                ))}
              </ul>
            ),
          },
          { key: "Assessors", value: `${counting} of ${needed} needed` },
        ]}
      />
      <p className="govuk-body">
        <a className="govuk-link" href={`/bids/${bid.id}`}>
          View the bid
        </a>
        {bid.state === "inAssessment" || bid.state === "moderation" ? (
          <>
            {" · "}
            <a className="govuk-link" href={`/bids/${bid.id}/moderation`}>
              Moderation
            </a>
          </>
        ) : null}
      </p>

      {pausedForChanges ? (
        <div className="govuk-inset-text">
          <p className="govuk-body">
            This bid is back with the council for changes to: {pausedForChanges.sections.join(", ")}. Its assessments are paused with their scores kept, and
            reopen for the same assessors as soon as the council resubmits it.
          </p>
          <p className="govuk-body app-preserve-lines">What the council was asked to change: {pausedForChanges.reason}</p>
        </div>
      ) : null}

      {canStart ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="version" value={bid.version} />
          <button
            type="submit"
            id="start"
            aria-describedby={errors?.start ? "start-error" : undefined}
            className="govuk-button"
            data-module="govuk-button"
            data-prevent-double-click="true"
          >
            Start assessment
          </button>
        </Form>
      ) : null}
      {errors?.start ? (
        // The error summary's link lands on the button; with no button to press, on the message.
        <p className="govuk-error-message" id={canStart ? "start-error" : "start"} tabIndex={-1}>
          <span className="govuk-visually-hidden">Error:</span> {errors.start}
        </p>
      ) : null}

      {assessments.length === 0 ? (
        <>
          <h2 className="govuk-heading-m">Assignments</h2>
          <p className="govuk-body">No assessors have been assigned yet.</p>
        </>
      ) : (
        <Table
          caption="Assignments"
          captionClass="govuk-table__caption--m"
          head={["Assessor", "Status", "Notes"]}
          rows={assessments.map((a) => [
            <>
              <a className="govuk-link" href={`/assessments/${a.id}`}>
                {a.assessor.name}
              </a>
              <br />
              {a.assessor.organisation}
            </>,
            <>
              <strong className={`govuk-tag govuk-tag--${a.tag}`}>{a.stateLabel}</strong>
              {a.interests?.conflict && a.active ? (
                <>
                  {" "}
                  <strong className="govuk-tag govuk-tag--red">Conflict declared</strong>
                </>
              ) : null}
            </>,
            <ul className="govuk-list govuk-!-font-size-16">
              <li>{a.assignmentReason ? `Assigned by hand: ${a.assignmentReason}` : "Assigned automatically"}</li>
              {a.dueAt ? <li>Due {formatDateTime(a.dueAt)}</li> : null}
              {a.declinedReason ? <li>Declined: {a.declinedReason}</li> : null}
              {a.unassignedReason ? <li>Unassigned: {a.unassignedReason}</li> : null}
              {a.interests ? (
                <li>
                  Interests: {a.interests.text}
                  {a.interests.conflict ? " (a conflict: unassign this assessor)" : ""}
                </li>
              ) : null}
            </ul>,
          ])}
        />
      )}

      {staffable ? (
        <>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="auto" />
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
              Assign assessors automatically
            </button>
          </Form>

          <h2 className="govuk-heading-m">Assign an assessor by hand</h2>
          {pool.length ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="assign" />
              <Select
                name="assessorUserId"
                label="Assessor"
                hint="Only assessors in the round's pool can be assigned."
                error={errors?.assessorUserId}
                defaultValue={values?.assessorUserId}
                options={[{ value: "", text: "Choose an assessor" }, ...pool]}
              />
              <Textarea
                name="assignReason"
                label="Why are you assigning this assessor?"
                error={errors?.assignReason}
                defaultValue={values?.assignReason}
                rows={3}
              />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
                Assign assessor
              </button>
            </Form>
          ) : (
            <p className="govuk-body">
              The round's pool is empty.{" "}
              <a className="govuk-link" href={`/rounds/${bid.round.slug}/assessors`}>
                Add assessors to the pool
              </a>
              .
            </p>
          )}
        </>
      ) : null}

      {canAskForChanges ? (
        <>
          <h2 className="govuk-heading-m" id="changes">
            Ask the council for changes
          </h2>
          <p className="govuk-body">
            The bid goes back to the lead council to change the sections you choose. Its assessments are paused, with the scores and comments so far kept, and
            reopen for the same assessors when the council resubmits it.
          </p>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="changes" />
            <input type="hidden" name="version" value={bid.version} />
            <ChangesRequestFields
              sections={sections}
              ticked={result?.sections}
              errors={errors}
              reason={values?.changesReason}
              reasonHint="The lead council will be emailed this, and the assessors are told it when their assessments are paused."
              legendClass="govuk-fieldset__legend--s"
              rows={4}
            />
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
              Ask for changes
            </button>
          </Form>
        </>
      ) : null}

      {unassignable.length ? (
        <>
          <h2 className="govuk-heading-m">Unassign an assessor</h2>
          <AssessmentWithReason
            intent="unassign"
            legend="Assessor to unassign"
            assessments={unassignable.map((a) => ({
              id: a.id,
              version: a.version,
              text: `${a.assessor.name}, ${a.assessor.organisation} (${a.stateLabel.toLowerCase()})`,
            }))}
            value={values?.assessmentId}
            error={errors?.assessmentId}
            reason={{ name: "unassignReason", label: "Why are you unassigning this assessor?", value: values?.unassignReason, error: errors?.unassignReason }}
            submit="Unassign assessor"
          />
        </>
      ) : null}
    </>
  );
}
