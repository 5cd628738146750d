import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { cannotStartBid } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { eligibilityQueueCounts } from "~/eligibility/queue.server.ts";
import { publicRoundView } from "~/rounds/public.ts";
import { RoundContent } from "~/rounds/round-content.tsx";
import { roundRulesOrNull, roundRulesSelect } from "~/rounds/rules.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

const ROUTE = "routes/rounds.$slug" as const;

export const meta = titled<typeof loader>(({ data }) => [data?.round.name ?? "Funding round"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authorise(request, ROUTE);
  const round = await db().round.findUnique({
    where: { slug: params.slug ?? "" },
    select: {
      id: true,
      slug: true,
      name: true,
      opensAt: true,
      closesAt: true,
      guidance: true,
      ...roundRulesSelect,
      fund: { select: { name: true, summary: true, rules: true } },
    },
  });
  if (!round) throw notFound();
  // Rules that do not pass the schema are not shown rather than shown wrongly.
  const rules = roundRulesOrNull(round);
  const view = publicRoundView(round, rules);
  const fundTeam = user?.role === "fundTeam" ? { waiting: (await eligibilityQueueCounts(round.id)).waiting } : null;
  // The rule that decides whether this person may start a bid, asked once: the button when it
  // allows, its sentence when a council officer is refused (a fire authority, say).
  const refusal = user && rules && view.status === "open" ? cannotStartBid(user, { ...round, fund: { rules } }) : null;
  return {
    ...view,
    signedIn: Boolean(user),
    canStart: Boolean(user && rules && view.status === "open" && refusal === null),
    startRefusal: user?.role === "councilOfficer" ? refusal : null,
    fundTeam,
    // Only the fund team sets a round up or changes it, so only they are told it was done.
    notice: fundTeam ? noticeFrom(request, notices) : null,
  };
}

const notices: Record<string, string> = {
  created: "The round has been set up.",
  saved: "The round's settings have been saved.",
};

export default function RoundPage() {
  const view = useLoaderData<typeof loader>();
  const { round, status, canStart, startRefusal, signedIn, fundTeam, notice } = view;
  return (
    <>
      <a href="/rounds" className="govuk-back-link">
        Back to funding rounds
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SuccessNotice text={notice} />
          {fundTeam ? (
            <nav aria-label="Fund team" className="govuk-!-margin-bottom-6">
              <ul className="govuk-list">
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/edit`}>
                    Edit settings
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/questions`}>
                    Bid questions
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/eligibility`}>{`Eligibility check (${fundTeam.waiting} waiting)`}</a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/assessors`}>
                    Assessors and assignment
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/moderation`}>
                    Moderation
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/progress`}>
                    Assessment progress
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/decisions`}>
                    Decisions and the funding line
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/${round.slug}/export.csv`} download>
                    Download bids and scores (CSV)
                  </a>
                </li>
                <li>
                  <a className="govuk-link" href={`/rounds/new?copy=${round.slug}`}>
                    Copy this round
                  </a>
                </li>
              </ul>
            </nav>
          ) : null}
          <RoundContent view={view} />
          {canStart ? (
            <a href={`/rounds/${round.slug}/start`} role="button" draggable="false" className="govuk-button govuk-button--start" data-module="govuk-button">
              Start a bid
              <svg
                className="govuk-button__start-icon"
                xmlns="http://www.w3.org/2000/svg"
                width="17.5"
                height="19"
                viewBox="0 0 33 40"
                aria-hidden="true"
                focusable="false"
              >
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
              </svg>
            </a>
          ) : startRefusal ? (
            <div className="govuk-inset-text">{startRefusal}</div>
          ) : status === "open" && !signedIn ? (
            <div className="govuk-inset-text">
              Council officers can{" "}
              <a className="govuk-link" href={`/sign-in?returnTo=${encodeURIComponent(`/rounds/${round.slug}`)}`}>
                sign in
              </a>{" "}
              to start a bid.
            </div>
          ) : null}
        </div>
      </div>
    </>
  );
}
