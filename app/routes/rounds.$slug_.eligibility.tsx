import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { eligibilityQueue, QUEUE_STATES } from "~/eligibility/queue.server.ts";
import { formatMoney, plural } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

const ROUTE = "routes/rounds.$slug_.eligibility" as const;

export const meta = titled<typeof loader>(({ data }) => ["Eligibility check", data?.round.name]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = params.slug ? await db().round.findUnique({ where: { slug: params.slug }, select: { id: true, slug: true, name: true } }) : null;
  if (!round) throw notFound();
  const queue = await eligibilityQueue(round.id);
  // Bids sent in and past the check (eligible and beyond): an empty queue can mean every bid
  // has been checked, not that none was ever sent.
  const checked = await db().bid.count({
    where: { roundId: round.id, state: { notIn: ["draft", "awaitingCertification", "withdrawn", ...QUEUE_STATES] } },
  });
  return {
    round: { slug: round.slug, name: round.name },
    ...queue,
    checked,
    states: QUEUE_STATES.map((s) => ({
      state: s,
      label: stateLabel("bid", s, { audience: "staff" }),
      tag: stateTagColour("bid", s, { audience: "staff" }),
      count: queue.byState[s],
    })),
  };
}

export default function EligibilityQueue() {
  const { round, bids, states, waiting, checked } = useLoaderData<typeof loader>();
  return (
    <>
      <a href={`/rounds/${round.slug}`} className="govuk-back-link">
        Back to {round.name}
      </a>
      <span className="govuk-caption-l">{round.name}</span>
      <h1 className="govuk-heading-l">Eligibility check</h1>
      <p className="govuk-body">
        {plural(waiting, "bid is", "bids are")} waiting for the fund team. The automatic checks are the rules the councils saw before they submitted, as they
        stood when each bid was submitted.
      </p>
      <Table
        caption="Bids by status"
        captionClass="govuk-table__caption--m"
        head={["Status", "Bids"]}
        numeric={[1]}
        rows={states.map((s) => ({
          key: s.state,
          cells: [<strong className={`govuk-tag govuk-tag--${s.tag}`}>{s.label}</strong>, <span data-state={s.state}>{s.count}</span>],
        }))}
      />
      {bids.length ? (
        <Table
          caption="Bids to check"
          captionClass="govuk-table__caption--m"
          head={["Bid", "Lead council", "Asks for", "Status", "Automatic checks"]}
          numeric={[2]}
          rows={bids.map((bid) => ({
            key: bid.id,
            cells: [
              <>
                <a className="govuk-link" href={`/bids/${bid.id}/eligibility`}>
                  {bid.title}
                </a>
                <br />
                <span className="govuk-body-s">{bid.reference}</span>
              </>,
              bid.lead,
              formatMoney(bid.amountRequestedPence),
              <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong>,
              bid.passes ? (
                <strong className="govuk-tag govuk-tag--green">Meets every rule</strong>
              ) : (
                <>
                  <strong className="govuk-tag govuk-tag--red">Fails {plural(bid.failures.length, "rule")}</strong>
                  <ul className="govuk-list govuk-body-s govuk-!-margin-top-1">
                    {bid.failures.map((f) => (
                      <li key={f.title}>
                        {f.title}: {f.explanation}
                      </li>
                    ))}
                  </ul>
                </>
              ),
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">
          {checked
            ? `No bid is waiting to be checked: ${checked === 1 ? "the 1 bid" : `all ${checked} bids`} sent to this round passed the check and moved on.`
            : "No bids have been submitted to this round yet."}
        </p>
      )}
    </>
  );
}
