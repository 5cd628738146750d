import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadDecisionRound, publishDecisions, publishPlan } from "~/funding/decisions.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, formatMoney, plural } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Check the decisions before you publish them", data?.round.name]);

const ROUTE = "routes/rounds.$slug_.decisions_.publish_.confirm" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await loadDecisionRound(params.slug);
  if (!round.decisionMessage?.trim()) throw redirect(`/rounds/${round.slug}/decisions/publish`);
  const plan = await publishPlan(round);
  const row = (b: (typeof plan.funded)[number]) => ({
    id: b.bidId,
    reference: b.reference,
    title: b.title,
    lead: b.lead,
    amountPence: b.amountPence,
    awardPence: b.awardPence,
    partial: b.partial,
  });
  return {
    round: { slug: round.slug, name: round.name, publishedAt: round.decisionsPublishedAt?.toISOString() ?? null },
    message: round.decisionMessage,
    funded: plan.funded.map(row),
    notFunded: plan.notFunded.map(row),
    blockers: plan.blockers,
    total: plan.funded.reduce((sum, b) => sum + b.awardPence, 0),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // The button sends nothing but the form token: what is published is what the page showed from the database.
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await loadDecisionRound(params.slug);
  if (!round.decisionMessage?.trim()) return redirect(`/rounds/${round.slug}/decisions/publish`);
  const outcome = await publishDecisions(user, round);
  if (!outcome.ok) return data({ errors: { publish: outcome.blockers.join(" ") } }, { status: 400 });
  if (outcome.refused.length) {
    return data({ errors: { publish: outcome.refused.map((r) => `${r.reference}: ${r.reason}`).join(" ") } }, { status: 400 });
  }
  return redirect(`/rounds/${round.slug}/decisions?notice=published`);
}

function BidTable({
  caption,
  rows,
  award,
}: {
  caption: string;
  rows: { id: string; reference: string; title: string; lead: string; amountPence: number; awardPence: number; partial: boolean }[];
  award: boolean;
}) {
  return (
    <Table
      caption={caption}
      captionClass="govuk-table__caption--m"
      head={["Bid", "Lead", award ? "Award" : "Amount asked"]}
      numeric={[2]}
      rows={
        rows.length === 0
          ? [{ full: "None" }]
          : rows.map((r) => ({
              key: r.id,
              cells: [
                `${r.reference}: ${r.title}`,
                r.lead,
                <>
                  {award ? formatMoney(r.awardPence) : formatMoney(r.amountPence)}
                  {award && r.partial ? ` (partly funded: asked for ${formatMoney(r.amountPence)})` : ""}
                </>,
              ],
            }))
      }
    />
  );
}

export default function ConfirmPublish() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const blocked = page.blockers.length > 0;
  return (
    <>
      <a href={`/rounds/${page.round.slug}/decisions/publish`} className="govuk-back-link">
        Back
      </a>
      <ErrorSummary errors={result?.errors} />
      <span className="govuk-caption-l">{page.round.name}</span>
      <h1 className="govuk-heading-l">Check the decisions before you publish them</h1>
      <SummaryList
        rows={[
          {
            key: "Message from the fund team",
            value: <span className="app-preserve-lines">{page.message}</span>,
            action: { href: `/rounds/${page.round.slug}/decisions/publish`, text: "Change", visuallyHidden: "the message" },
          },
          { key: "To be funded", value: `${plural(page.funded.length, "bid")}, ${formatMoney(page.total)} in all` },
          { key: "Not to be funded", value: plural(page.notFunded.length, "bid") },
        ]}
      />
      <BidTable caption="Bids to be funded" rows={page.funded} award />
      <BidTable caption="Bids not to be funded" rows={page.notFunded} award={false} />
      {page.round.publishedAt && page.funded.length + page.notFunded.length === 0 ? (
        <div className="govuk-inset-text">
          The decisions for this round were published at {formatDateTime(page.round.publishedAt)}. There are none left to publish.
        </div>
      ) : blocked ? (
        // Why publishing was refused, when it was: what the error summary links to, with no button left to press.
        <div className="govuk-warning-text" id={result?.errors.publish ? "publish" : undefined} tabIndex={result?.errors.publish ? -1 : undefined}>
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            The decisions cannot be published yet. {page.blockers.join(" ")}
          </strong>
        </div>
      ) : (
        <>
          <h2 className="govuk-heading-m">Now publish the decisions</h2>
          <p className="govuk-body">
            Publishing emails every bidder their decision, with your message and the assessors' feedback, and starts a project for each funded bid. It cannot be
            undone.
          </p>
          <Form method="post">
            <CsrfInput />
            {/* A refusal is about the whole form: the error summary links to its button. */}
            {result?.errors.publish ? (
              <p className="govuk-error-message" id="publish-error">
                <span className="govuk-visually-hidden">Error:</span> {result.errors.publish}
              </p>
            ) : null}
            <button
              type="submit"
              id="publish"
              aria-describedby={result?.errors.publish ? "publish-error" : undefined}
              className="govuk-button"
              data-module="govuk-button"
              data-prevent-double-click="true"
            >
              Publish decisions
            </button>
          </Form>
        </>
      )}
    </>
  );
}
