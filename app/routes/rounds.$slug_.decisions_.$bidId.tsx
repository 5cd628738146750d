import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { MOVABLE, moveLineFromForm } from "~/funding/decision-actions.server.ts";
import { loadDecisionRound, movableBid } from "~/funding/decisions.server.ts";
import { roundRanking } from "~/funding/scores.server.ts";
import { DecisionWithReason } from "~/components/decision-with-reason.tsx";
import { ErrorSummary } from "~/components/forms.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { refused } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatMoney } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => ["Move the funding line", data?.bid.title]);

const ROUTE = "routes/rounds.$slug_.decisions_.$bidId" as const;

async function load(slug: string | undefined, bidId: string | undefined) {
  const round = await loadDecisionRound(slug);
  const bid = await movableBid(round, bidId);
  if (!bid) throw notFound();
  return { round, bid };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const { round, bid } = await load(params.slug, params.bidId);
  const ranking = await roundRanking(round, round.ruleSet);
  const ranked = ranking.bids.find((b) => b.bidId === bid.id) ?? null;
  const adjustment = await db().fundingLineAdjustment.findUnique({
    where: { roundId_bidId: { roundId: round.id, bidId: bid.id } },
    select: { direction: true, reason: true },
  });
  return {
    round: { slug: round.slug, name: round.name },
    bid: { id: bid.id, reference: bid.reference, title: bid.title, version: bid.version, movable: MOVABLE.includes(bid.state) },
    ranked: ranked
      ? {
          rank: ranked.rank,
          placement: ranked.placement,
          explanation: ranked.explanation,
          amountPence: ranked.amountPence,
          awardPence: ranked.awardPence,
          partial: ranked.partial,
        }
      : null,
    left: ranking.leftPence,
    adjustment,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { round, bid } = await load(params.slug, params.bidId);
  const outcome = await moveLineFromForm(user, round, bid, form);
  if (!outcome.ok) return refused(outcome);
  return redirect(`/rounds/${round.slug}/decisions?notice=moved`);
}

export default function MoveLine() {
  const { round, bid, ranked, adjustment, left } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors as Record<string, string> | undefined;
  const chosen = result?.values.direction ?? adjustment?.direction ?? "";
  const options = [
    {
      value: "include",
      text: "Include the bid above the line",
      hint: `Funded in full if the budget still covers it; otherwise awarded only what is left (${formatMoney(left)} now) and shown as partly funded.`,
    },
    { value: "exclude", text: "Exclude the bid from funding", hint: "Its money passes down the ranking." },
    ...(adjustment ? [{ value: "follow", text: "Follow the ranking again", hint: "Removes the fund team's earlier move for this bid." }] : []),
  ];
  return (
    <>
      <a href={`/rounds/${round.slug}/decisions`} className="govuk-back-link">
        Back to decisions
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["direction", "reason"]} />
          <span className="govuk-caption-l">
            {bid.reference}: {bid.title}
          </span>
          <h1 className="govuk-heading-l">Move the funding line</h1>
          {ranked ? (
            <p className="govuk-body">
              Ranked {ranked.rank}, {ranked.placement === "above" ? "above" : "below"} the line. {ranked.explanation}
            </p>
          ) : null}
          {adjustment ? (
            <div className="govuk-inset-text">
              The fund team has already chosen to {adjustment.direction} this bid: {adjustment.reason}
            </div>
          ) : null}
          {bid.movable ? (
            <DecisionWithReason
              hidden={<input type="hidden" name="version" value={bid.version} />}
              choice={{
                name: "direction",
                legend: "What should happen to this bid?",
                legendClass: "govuk-fieldset__legend--m",
                error: errors?.direction,
                items: options,
                value: chosen,
              }}
              reason={{
                name: "reason",
                label: "Why are you moving the line for this bid?",
                hint: "This is recorded on the bid's timeline for the fund team. Bidders do not see it.",
                value: result?.values.reason,
                error: errors?.reason,
              }}
              submit={{ text: "Move the funding line" }}
            />
          ) : (
            <p className="govuk-body">This bid is not in moderation or held, so the funding line cannot be moved for it.</p>
          )}
        </div>
      </div>
    </>
  );
}
