import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  addToPool,
  assessorsOutsidePool,
  assignAutomatically,
  countingAssessors,
  poolOf,
  removeFromPool,
  roundBySlug,
  startAllReady,
  STAFFABLE_BID_STATES,
} from "~/assessment/assessments.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { db } from "~/db/database.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { actorOf } from "~/workflow/apply-event.server.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { plural } from "../../workflows/format.ts";

const ROUTE = "routes/rounds.$slug_.assessors" as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Assessors – ${data?.round.name ?? "Round"} – Springboard` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await roundBySlug(params.slug);
  const needed = round.rulesParsed.assessment.assessorsPerBid;
  const [pool, candidates, bids] = await Promise.all([
    poolOf(round.id),
    assessorsOutsidePool(round.id),
    db().bid.findMany({
      where: { roundId: round.id, state: { in: [...STAFFABLE_BID_STATES] } },
      select: {
        id: true,
        reference: true,
        title: true,
        state: true,
        leadOrganisation: { select: { name: true } },
        assessments: { select: { state: true, snapshot: true } },
      },
      orderBy: { reference: "asc" },
    }),
  ]);
  return {
    round: { slug: round.slug, name: round.name },
    needed,
    pool,
    candidates: candidates.map((c) => ({ value: c.id, text: `${c.name}, ${c.organisation.name} (${c.email})` })),
    bids: bids.map((b) => {
      const assigned = countingAssessors(b.assessments);
      return {
        id: b.id,
        reference: b.reference,
        title: b.title,
        lead: b.leadOrganisation.name,
        state: b.state,
        stateLabel: stateLabel("bid", b.state, { audience: "staff" }),
        tag: stateTagColour("bid", b.state, { audience: "staff" }),
        assigned,
        ready: b.state === "eligible" && assigned >= needed,
      };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await roundBySlug(params.slug);
  const intent = String(form.get("intent") ?? "");
  if (intent === "add") {
    const problem = await addToPool(round.id, String(form.get("userId") ?? ""));
    if (problem) return data({ errors: { userId: problem } as Record<string, string>, notice: null, shortfalls: [] as string[] }, { status: 400 });
    return { errors: null, notice: "The assessor was added to the round's pool.", shortfalls: [] as string[] };
  }
  if (intent === "remove") {
    await removeFromPool(round.id, String(form.get("userId") ?? ""));
    return { errors: null, notice: "The assessor was removed from the pool. Their current assignments stay until you unassign them.", shortfalls: [] as string[] };
  }
  if (intent === "assign") {
    const result = await assignAutomatically(round.id, { ...actorOf(user), name: user.name });
    return {
      errors: null,
      notice: result.created === 0 ? "No new assignments were needed or possible." : `${plural(result.created, "assessor was", "assessors were")} invited.`,
      shortfalls: result.shortfalls.map((s) => s.sentence),
    };
  }
  if (intent === "start-all") {
    const result = await startAllReady(user, round.id);
    return {
      errors: null,
      notice: result.started === 0 ? "No bids were ready to start assessment." : `Assessment started for ${plural(result.started, "bid")}.`,
      shortfalls: result.refusals,
    };
  }
  return data({ errors: { intent: "Choose what to do" } as Record<string, string>, notice: null, shortfalls: [] as string[] }, { status: 400 });
}

export default function RoundAssessors() {
  const { round, needed, pool, candidates, bids } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/rounds/${round.slug}`} className="govuk-back-link">
        Back to the round
      </a>
      <ErrorSummary errors={result?.errors} />
      {result?.notice ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="notice-title" data-module="govuk-notification-banner">
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title" id="notice-title">
              Done
            </h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">{result.notice}</p>
          </div>
        </div>
      ) : null}
      {result?.shortfalls.length ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <div className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            <ul className="govuk-list" data-testid="shortfalls">
              {result.shortfalls.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <span className="govuk-caption-l">{round.name}</span>
      <h1 className="govuk-heading-l">Assessors</h1>
      <p className="govuk-body">
        Each bid needs {plural(needed, "assessor")}. Nobody is ever given a bid in which their own organisation is the lead or a partner.
      </p>

      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">The round's pool</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Assessor</th>
            <th scope="col" className="govuk-table__header">Organisation</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Current assignments</th>
            <th scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {pool.length === 0 ? (
            <tr className="govuk-table__row">
              <td className="govuk-table__cell" colSpan={4}>
                No assessors yet.
              </td>
            </tr>
          ) : (
            pool.map((a) => (
              <tr className="govuk-table__row" key={a.userId}>
                <td className="govuk-table__cell">
                  {a.name}
                  <br />
                  <span className="govuk-hint govuk-!-font-size-16">{a.email}</span>
                </td>
                <td className="govuk-table__cell">{a.organisationName}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{a.load}</td>
                <td className="govuk-table__cell">
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="userId" value={a.userId} />
                    <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                      Remove<span className="govuk-visually-hidden"> {a.name} from the pool</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>

      {candidates.length ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <Select name="userId" label="Add an assessor to the pool" error={result?.errors?.userId} options={[{ value: "", text: "Choose an assessor" }, ...candidates]} />
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Add to pool
          </button>
        </Form>
      ) : (
        <p className="govuk-body">Every assessor with an account is in this round's pool.</p>
      )}

      <h2 className="govuk-heading-m">Bids waiting for or in assessment</h2>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Bids and their assessors</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Bid</th>
            <th scope="col" className="govuk-table__header">Lead council</th>
            <th scope="col" className="govuk-table__header">Status</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Assessors</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {bids.length === 0 ? (
            <tr className="govuk-table__row">
              <td className="govuk-table__cell" colSpan={4}>
                No bids are eligible yet.
              </td>
            </tr>
          ) : (
            bids.map((b) => (
              <tr className="govuk-table__row" key={b.id}>
                <td className="govuk-table__cell">
                  <a className="govuk-link" href={`/bids/${b.id}/assignments`}>
                    {b.reference}: {b.title}
                  </a>
                </td>
                <td className="govuk-table__cell">{b.lead}</td>
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag govuk-tag--${b.tag}`}>{b.stateLabel}</strong>
                  {b.ready ? (
                    <>
                      {" "}
                      <strong className="govuk-tag govuk-tag--green">Ready to start</strong>
                    </>
                  ) : null}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {b.assigned} of {needed}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <div className="govuk-button-group">
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="assign" />
          <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
            Assign assessors automatically
          </button>
        </Form>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="start-all" />
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
            Start assessment for all ready bids
          </button>
        </Form>
      </div>
    </>
  );
}
