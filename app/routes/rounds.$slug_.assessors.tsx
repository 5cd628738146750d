import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { assessorsOutsidePool, countingAssessors, poolOf, roundBySlug, STAFFABLE_BID_STATES } from "~/assessment/assessments.server.ts";
import { changePool } from "~/assessment/pool-actions.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { titled } from "~/utils/title.ts";
import { plural } from "~/utils/format.ts";

const ROUTE = "routes/rounds.$slug_.assessors" as const;

export const meta = titled<typeof loader>(({ data }) => ["Assessors", data?.round.name]);

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
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await roundBySlug(params.slug);
  const outcome = await changePool(user, round.id, form);
  if (!outcome.ok) return data({ errors: outcome.errors, values: outcome.values, notice: null, shortfalls: [] as string[] }, { status: 400 });
  return { errors: null, values: {} as Record<string, string>, notice: outcome.notice, shortfalls: outcome.shortfalls };
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
      {result?.notice ? <NotificationBanner type="success" title="Done" heading={result.notice} /> : null}
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

      {pool.length === 0 ? (
        <>
          <h2 className="govuk-heading-m">The round's pool</h2>
          <p className="govuk-body">No assessors yet.</p>
        </>
      ) : (
        <Table
          caption="The round's pool"
          captionClass="govuk-table__caption--m"
          head={["Assessor", "Organisation", "Current assignments", <span className="govuk-visually-hidden">Action</span>]}
          numeric={[2]}
          rows={pool.map((a) => [
            <>
              {a.name}
              <br />
              <span className="govuk-hint govuk-!-font-size-16">{a.email}</span>
            </>,
            a.organisationName,
            a.load,
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="userId" value={a.userId} />
              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                Remove<span className="govuk-visually-hidden"> {a.name} from the pool</span>
              </button>
            </Form>,
          ])}
        />
      )}

      {candidates.length ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <Select
            name="userId"
            label="Add an assessor to the pool"
            error={result?.errors?.userId}
            defaultValue={result?.values.userId}
            options={[{ value: "", text: "Choose an assessor" }, ...candidates]}
          />
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Add to pool
          </button>
        </Form>
      ) : (
        <p className="govuk-body">Every assessor with an account is in this round's pool.</p>
      )}

      <h2 className="govuk-heading-m">Bids waiting for or in assessment</h2>
      {bids.length === 0 ? (
        <p className="govuk-body">No bids are eligible yet.</p>
      ) : (
        <Table
          caption="Bids and their assessors"
          captionClass="govuk-visually-hidden"
          head={["Bid", "Lead council", "Status", "Assessors"]}
          numeric={[3]}
          rows={bids.map((b) => [
            <a className="govuk-link" href={`/bids/${b.id}/assignments`}>
              {b.reference}: {b.title}
            </a>,
            b.lead,
            <>
              <strong className={`govuk-tag govuk-tag--${b.tag}`}>{b.stateLabel}</strong>
              {b.ready ? (
                <>
                  {" "}
                  <strong className="govuk-tag govuk-tag--green">Ready to start</strong>
                </>
              ) : null}
            </>,
            `${b.assigned} of ${needed}`,
          ])}
        />
      )}
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
