import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  actOnAssessment,
  assignAutomatically,
  assignByHand,
  assignmentsOf,
  notFound,
  poolOf,
  STAFFABLE_BID_STATES,
  startAssessment,
} from "~/assessment/assessments.server.ts";
import { hasConflict } from "~/assessment/assignment.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { versionFrom } from "~/bids/bids.server.ts";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { db } from "~/db/database.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { actorOf } from "~/workflow/apply-event.server.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { plural } from "../../workflows/format.ts";

const ROUTE = "routes/bids.$id_.assignments" as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Assessors – ${data?.bid.title ?? "Bid"} – Springboard` }];

// Until scores are in, the fund team can take an assessor off the bid.
const UNASSIGNABLE = ["invited", "accepted", "interestsDeclared", "scoring", "returned"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  if (!params.id) throw notFound();
  const { bid, rules, partnership, counting, assessments } = await assignmentsOf(params.id);
  const pool = await poolOf(bid.roundId);
  const needed = rules.assessment.assessorsPerBid;
  const url = new URL(request.url);
  return {
    notice: url.searchParams.get("notice"),
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
    canStart: bid.state === "eligible" && counting >= needed,
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

type Values = Record<string, string>;
const fail = (errors: Record<string, string>, values: Values) => data({ errors, values, notice: null as string | null, shortfalls: [] as string[] }, { status: 400 });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const bid = params.id ? await db().bid.findUnique({ where: { id: params.id }, select: { id: true, roundId: true } }) : null;
  if (!bid) throw notFound();
  const intent = String(form.get("intent") ?? "");
  const values: Values = {
    assessorUserId: String(form.get("assessorUserId") ?? ""),
    assignReason: String(form.get("assignReason") ?? ""),
    assessmentId: String(form.get("assessmentId") ?? ""),
    unassignReason: String(form.get("unassignReason") ?? ""),
  };
  if (intent === "assign") {
    const errors: Record<string, string> = {};
    if (!values.assessorUserId) errors.assessorUserId = "Choose an assessor from the round's pool";
    if (!values.assignReason.trim()) errors.assignReason = "Enter why you are assigning this assessor by hand";
    else if (values.assignReason.length > 2000) errors.assignReason = "Your reason must be 2,000 characters or fewer";
    if (Object.keys(errors).length) return fail(errors, values);
    const result = await assignByHand(user, bid.id, values.assessorUserId, values.assignReason.trim());
    if (!result.ok) return fail({ [result.field]: result.message }, values);
    throw redirect(`/bids/${bid.id}/assignments?notice=assigned`);
  }
  if (intent === "unassign") {
    const errors: Record<string, string> = {};
    if (!values.assessmentId) errors.assessmentId = "Choose the assessor to unassign";
    if (!values.unassignReason.trim()) errors.unassignReason = "Enter why you are unassigning this assessor";
    else if (values.unassignReason.length > 2000) errors.unassignReason = "Your reason must be 2,000 characters or fewer";
    if (Object.keys(errors).length) return fail(errors, values);
    const assessment = await db().assessment.findUnique({ where: { id: values.assessmentId }, select: { bidId: true } });
    if (!assessment || assessment.bidId !== bid.id) return fail({ assessmentId: "Choose the assessor to unassign" }, values);
    const version = form.get(`version-${values.assessmentId}`);
    const outcome = await actOnAssessment(
      user,
      values.assessmentId,
      { type: "UNASSIGN", reason: values.unassignReason.trim() },
      typeof version === "string" && /^\d{1,9}$/.test(version) ? Number(version) : undefined,
    );
    if (!outcome.ok) return fail({ assessmentId: outcome.reason }, values);
    throw redirect(`/bids/${bid.id}/assignments?notice=unassigned`);
  }
  if (intent === "auto") {
    const result = await assignAutomatically(bid.roundId, { ...actorOf(user), name: user.name }, bid.id);
    return {
      errors: null,
      values,
      notice: result.created === 0 ? "No new assignments were needed or possible." : `${plural(result.created, "assessor was", "assessors were")} invited.`,
      shortfalls: result.shortfalls.map((s) => s.sentence),
    };
  }
  if (intent === "start") {
    const outcome = await startAssessment(user, bid.id, versionFrom(form));
    if (!outcome.ok) return fail({ start: outcome.reason }, values);
    throw redirect(`/bids/${bid.id}/assignments?notice=started`);
  }
  return fail({ intent: "Choose what to do" }, values);
}

const notices: Record<string, string> = {
  assigned: "The assessor was assigned and has been emailed an invitation.",
  unassigned: "The assessor was unassigned and has been told.",
  started: "Assessment has started.",
};

export default function BidAssignments() {
  const { bid, partnership, needed, counting, staffable, canStart, assessments, pool, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values;
  const errors = result?.errors ?? undefined;
  const unassignable = assessments.filter((a) => a.unassignable);
  const message = result?.notice ?? (notice ? notices[notice] : null);
  return (
    <>
      <a href={`/rounds/${bid.round.slug}/assessors`} className="govuk-back-link">
        Back to the round's assessors
      </a>
      <ErrorSummary errors={errors} />
      {message ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="notice-title" data-module="govuk-notification-banner">
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title" id="notice-title">
              Done
            </h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">{message}</p>
          </div>
        </div>
      ) : null}
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
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Status</dt>
          <dd className="govuk-summary-list__value">
            <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Partnership</dt>
          <dd className="govuk-summary-list__value">
            <ul className="govuk-list">
              {partnership.map((m) => (
                <li key={m.organisationId}>
                  {m.name} ({m.role === "lead" ? "lead" : "partner"})
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Assessors</dt>
          <dd className="govuk-summary-list__value">
            {counting} of {needed} needed
          </dd>
        </div>
      </dl>
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

      {canStart ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="version" value={bid.version} />
          <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
            Start assessment
          </button>
        </Form>
      ) : null}
      {errors?.start ? (
        <p className="govuk-error-message" id="start">
          <span className="govuk-visually-hidden">Error:</span> {errors.start}
        </p>
      ) : null}

      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">Assignments</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Assessor</th>
            <th scope="col" className="govuk-table__header">Status</th>
            <th scope="col" className="govuk-table__header">Notes</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {assessments.length === 0 ? (
            <tr className="govuk-table__row">
              <td className="govuk-table__cell" colSpan={3}>
                No assessors have been assigned yet.
              </td>
            </tr>
          ) : (
            assessments.map((a) => (
              <tr className="govuk-table__row" key={a.id}>
                <td className="govuk-table__cell">
                  <a className="govuk-link" href={`/assessments/${a.id}`}>
                    {a.assessor.name}
                  </a>
                  <br />
                  {a.assessor.organisation}
                </td>
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag govuk-tag--${a.tag}`}>{a.stateLabel}</strong>
                  {a.interests?.conflict && a.active ? (
                    <>
                      {" "}
                      <strong className="govuk-tag govuk-tag--red">Conflict declared</strong>
                    </>
                  ) : null}
                </td>
                <td className="govuk-table__cell">
                  <ul className="govuk-list govuk-!-font-size-16">
                    <li>{a.assignmentReason ? `Assigned by hand: ${a.assignmentReason}` : "Assigned automatically"}</li>
                    {a.dueAt ? <li>Due {formatDateTime(a.dueAt)}</li> : null}
                    {a.declinedReason ? <li>Declined: {a.declinedReason}</li> : null}
                    {a.unassignedReason ? <li>Unassigned: {a.unassignedReason}</li> : null}
                    {a.interests ? <li>Interests: {a.interests.text}{a.interests.conflict ? " (a conflict: unassign this assessor)" : ""}</li> : null}
                  </ul>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>

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
              <Textarea name="assignReason" label="Why are you assigning this assessor?" error={errors?.assignReason} defaultValue={values?.assignReason} rows={3} />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
                Assign assessor
              </button>
            </Form>
          ) : (
            <p className="govuk-body">
              The round's pool is empty. <a className="govuk-link" href={`/rounds/${bid.round.slug}/assessors`}>Add assessors to the pool</a>.
            </p>
          )}
        </>
      ) : null}

      {unassignable.length ? (
        <>
          <h2 className="govuk-heading-m">Unassign an assessor</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="unassign" />
            {unassignable.map((a) => (
              <input type="hidden" name={`version-${a.id}`} value={a.version} key={a.id} />
            ))}
            <div className={`govuk-form-group${errors?.assessmentId ? " govuk-form-group--error" : ""}`}>
              <fieldset className="govuk-fieldset" aria-describedby={errors?.assessmentId ? "assessmentId-error" : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Assessor to unassign</legend>
                {errors?.assessmentId ? (
                  <p id="assessmentId-error" className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {errors.assessmentId}
                  </p>
                ) : null}
                <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
                  {unassignable.map((a, i) => (
                    <div className="govuk-radios__item" key={a.id}>
                      <input
                        className="govuk-radios__input"
                        id={i === 0 ? "assessmentId" : `assessmentId-${a.id}`}
                        name="assessmentId"
                        type="radio"
                        value={a.id}
                        defaultChecked={values?.assessmentId === a.id}
                      />
                      <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "assessmentId" : `assessmentId-${a.id}`}>
                        {a.assessor.name}, {a.assessor.organisation} ({a.stateLabel.toLowerCase()})
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <Textarea name="unassignReason" label="Why are you unassigning this assessor?" error={errors?.unassignReason} defaultValue={values?.unassignReason} rows={3} />
            <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button" data-prevent-double-click="true">
              Unassign assessor
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
