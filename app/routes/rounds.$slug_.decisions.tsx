import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { BEFORE_LINE_STATES, drawFundingLine, loadDecisionRound } from "~/funding/decisions.server.ts";
import { rankingPage } from "~/funding/stored-scores.server.ts";
import { SimplePagination } from "~/components/simple-pagination.tsx";
import { TIE_RULE } from "~/funding/ranking.ts";
import { CsrfInput } from "~/components/forms.tsx";
import { NotificationBanner, SuccessNotice } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table, type TableRow } from "~/components/table.tsx";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, formatMoney, formatNumber, plural } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { pageParam } from "~/utils/paging.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { htmlOnly } from "~/components/hydration.ts";

export const meta = titled<typeof loader>(({ data }) => ["Decisions", data?.round.name]);
// Figures, tables and links: sent as HTML alone (docs/decisions/0021-read-only-pages-not-hydrated.md).
export const handle = htmlOnly;

const ROUTE = "routes/rounds.$slug_.decisions" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await loadDecisionRound(params.slug);
  const url = new URL(request.url);
  const ranking = await rankingPage(round, round.ruleSet, pageParam(url.searchParams.get("page")));
  const waitingCount = BEFORE_LINE_STATES.reduce((sum, s) => sum + (ranking.byState[s] ?? 0), 0);
  const rows = ranking.rows.map((b) => ({
    id: b.bidId,
    rank: b.rank,
    reference: b.reference,
    title: b.title,
    lead: b.lead,
    score: b.moderatedScore,
    amountPence: b.amountPence,
    awardPence: b.awardPence,
    cumulativePence: b.cumulativePence,
    placement: b.placement,
    partial: b.partial,
    moved: b.adjustment ? b.adjustment.direction : null,
    explanation: b.explanation,
    tie: b.tie,
    unresolved: b.unresolved,
    state: b.state,
    stateLabel: stateLabel("bid", b.state),
    stateTag: stateTagColour("bid", b.state),
  }));
  const firstRank = rows[0]?.rank ?? 1;
  return {
    round: { slug: round.slug, name: round.name, budgetPence: round.budgetPence, publishedAt: round.decisionsPublishedAt?.toISOString() ?? null },
    rows,
    page: ranking.page,
    pages: ranking.pages,
    total: ranking.total,
    totals: { budget: ranking.budgetPence, allocated: ranking.allocatedPence, left: ranking.leftPence },
    // Where the line's row goes on this page (rows.length: after the last row shown; -1: not on this page).
    lineIndex: ranking.lineRank === null ? (ranking.page === ranking.pages ? rows.length : -1) : ranking.lineRank - firstRank,
    lineRank: ranking.lineRank,
    firstBelow: ranking.firstBelow,
    tieCriterion: ranking.tieCriterion,
    waiting: { count: waitingCount, references: ranking.waiting },
    stale: ranking.stale.references,
    staleCount: ranking.stale.count,
    unresolved: ranking.unresolved.rows,
    unresolvedCount: ranking.unresolved.count,
    held: (ranking.byState.recommended ?? 0) + (ranking.byState.notRecommended ?? 0),
    inModeration: ranking.byState.moderation ?? 0,
    notice: noticeFrom(request, notices),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // The button sends nothing but the form token: the line is drawn from what is stored.
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await loadDecisionRound(params.slug);
  const outcome = await drawFundingLine(user, round);
  return { outcome };
}

const notices: Record<string, string> = {
  moved: "The funding line has been moved and the bids placed again.",
  published: "The decisions have been published. The bidders have been emailed.",
};

export default function Decisions() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const outcome = result?.outcome;
  return (
    <>
      <a href={`/rounds/${page.round.slug}`} className="govuk-back-link">
        Back to the round
      </a>
      {outcome ? (
        <NotificationBanner
          type="important"
          title="Funding line"
          heading={
            outcome.drawn.length
              ? `${plural(outcome.drawn.length, "bid was", "bids were")} placed against the funding line.`
              : "No bids were placed against the funding line."
          }
        >
          {outcome.skipped.length ? (
            <p className="govuk-body">
              Not placed, because moderation is not finished (a flagged criterion has no consensus score, or an assessment is back with its assessor):{" "}
              {outcome.skipped.join(", ")}.
            </p>
          ) : null}
          {outcome.refused.map((r) => (
            <p className="govuk-body" key={r.reference}>
              {r.reference}: {r.reason}
            </p>
          ))}
        </NotificationBanner>
      ) : page.notice ? (
        <SuccessNotice text={page.notice} />
      ) : null}
      <span className="govuk-caption-l">{page.round.name}</span>
      <h1 className="govuk-heading-l">Decisions</h1>

      <SummaryList
        rows={[
          { key: "Budget", value: formatMoney(page.totals.budget) },
          { key: "Allocated above the line", value: formatMoney(page.totals.allocated) },
          { key: "Left", value: formatMoney(page.totals.left) },
          {
            key: "Decisions",
            value: page.round.publishedAt
              ? `Published at ${formatDateTime(page.round.publishedAt)}`
              : `${page.held} held (bidders see "Decision pending"), ${page.inModeration} in moderation`,
          },
        ]}
      />

      {page.unresolved.length ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Moderation is not finished for {plural(page.unresolvedCount, "bid")}. The funding line cannot be drawn for{" "}
            {page.unresolvedCount === 1 ? "it" : "them"} until every flagged criterion has a consensus score; their place in the ranking is provisional.
          </strong>
        </div>
      ) : null}
      {page.unresolved.length ? (
        <p className="govuk-body">
          {page.unresolvedCount > page.unresolved.length
            ? `The ${page.unresolved.length} placed highest, which matter most to the line:`
            : "Highest placed first:"}
        </p>
      ) : null}
      {page.unresolved.length ? (
        <ul className="govuk-list govuk-list--bullet">
          {page.unresolved.map((u) => (
            <li key={u.id}>
              <a className="govuk-link" href={`/bids/${u.id}/moderation`}>
                {`Moderate ${u.reference}`}
              </a>
              {` (${plural(u.unresolved, "thing")} to resolve)`}
            </li>
          ))}
        </ul>
      ) : null}
      {page.waiting.count ? (
        <div className="govuk-inset-text">
          {plural(page.waiting.count, "bid is", "bids are")} still being checked or assessed, so not ranked yet: {page.waiting.references.join(", ")}
          {page.waiting.count > page.waiting.references.length ? " and others" : ""}. Decisions can be published once every bid is placed against the line.
        </div>
      ) : null}
      {page.stale.length ? (
        <div className="govuk-inset-text">
          The ranking has changed since the line was drawn for {page.stale.join(", ")}
          {page.staleCount > page.stale.length ? ` and ${page.staleCount - page.stale.length} others` : ""} (for example, a bid above it was withdrawn). Draw
          the funding line again to place them.
        </div>
      ) : null}

      <h2 className="govuk-heading-m">How the line is drawn</h2>
      <p className="govuk-body">
        Bids are ranked by their moderated weighted score.{" "}
        {TIE_RULE.replace("the most heavily weighted criterion", `the most heavily weighted criterion (${page.tieCriterion.toLowerCase()})`)}
      </p>
      <p className="govuk-body">
        Going down the ranking, each bid is funded in full while the budget lasts. The first bid that does not fit is where the line is drawn: it is not funded
        in part automatically, and smaller bids below it are not moved ahead of it. The fund team can move the line for any bid, with a reason: to include a bid
        (in full if the budget still covers it; otherwise it is awarded only what is left, and shown as partly funded) or to exclude one (its money passes down
        the ranking).
      </p>

      <Table
        caption={`Ranked bids${page.pages > 1 ? ` (${formatNumber(page.total)} in all; page ${page.page} of ${page.pages})` : ""}`}
        captionClass="govuk-table__caption--m"
        head={["Rank", "Bid", "Lead", "Moderated score", "Amount asked", "Cumulative", "Line", <span className="govuk-visually-hidden">Actions</span>]}
        numeric={[0, 3, 4, 5]}
        rows={rankingRows(page)}
      />
      <SimplePagination page={page.page} pages={page.pages} href={(n) => `/rounds/${page.round.slug}/decisions?page=${n}`} />
      {page.lineRank !== null && (page.lineIndex < 0 || page.lineIndex > page.rows.length) ? (
        <p className="govuk-body">
          <a className="govuk-link" href={`/rounds/${page.round.slug}/decisions?page=${Math.ceil(page.lineRank / 50)}`}>
            Go to the funding line (above rank {page.lineRank})
          </a>
        </p>
      ) : null}

      {page.round.publishedAt && page.held === 0 ? null : (
        <div className="govuk-button-group">
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="draw" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Draw the funding line
            </button>
          </Form>
          <a
            href={`/rounds/${page.round.slug}/decisions/publish`}
            role="button"
            draggable="false"
            className="govuk-button govuk-button--secondary"
            data-module="govuk-button"
          >
            Publish decisions
          </a>
        </div>
      )}
    </>
  );
}

type DecisionsPage = ReturnType<typeof useLoaderData<typeof loader>>;

/** The ranked bids, with the funding line's row drawn between the last funded bid and the first below it. */
function rankingRows(page: DecisionsPage): TableRow[] {
  if (page.rows.length === 0) return [{ full: "No bids have reached moderation yet." }];
  const line: TableRow = { key: "funding-line", className: "app-funding-line", full: <LineText firstBelow={page.firstBelow} left={page.totals.left} /> };
  const rows: TableRow[] = [];
  page.rows.forEach((row, index) => {
    if (index === page.lineIndex) rows.push(line);
    rows.push({
      key: row.id,
      cells: [
        // The row's old anchor (#bid-REF), kept on its first cell: Table rows take no id.
        <span id={`bid-${row.reference}`}>{row.rank}</span>,
        <>
          <a className="govuk-link" href={`/bids/${row.id}`}>
            {row.reference}
          </a>
          <br />
          {row.title}
          <br />
          <strong className={`govuk-tag govuk-tag--${row.stateTag}`}>{row.stateLabel}</strong>
          <p className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">{row.explanation}</p>
          {row.tie ? <p className="govuk-body-s govuk-!-margin-bottom-0">{`Tie: ${row.tie}`}</p> : null}
          {row.unresolved > 0 ? <p className="govuk-body-s govuk-!-margin-bottom-0">{`Moderation not finished: ${row.unresolved} to resolve.`}</p> : null}
        </>,
        row.lead,
        row.score,
        <>
          {formatMoney(row.amountPence)}
          {row.partial ? (
            <>
              <br />
              Award {formatMoney(row.awardPence)}
            </>
          ) : null}
        </>,
        formatMoney(row.cumulativePence),
        <>
          {row.placement === "above" ? (
            <strong className="govuk-tag govuk-tag--green">Above the line</strong>
          ) : (
            <strong className="govuk-tag govuk-tag--grey">Below the line</strong>
          )}
          {row.partial ? <strong className="govuk-tag govuk-tag--yellow govuk-!-margin-top-1">Partly funded</strong> : null}
          {row.moved ? (
            <strong className="govuk-tag govuk-tag--blue govuk-!-margin-top-1">
              {row.moved === "include" ? "Included by the fund team" : "Excluded by the fund team"}
            </strong>
          ) : null}
        </>,
        row.state === "funded" || row.state === "notFunded" ? null : (
          <a className="govuk-link" href={`/rounds/${page.round.slug}/decisions/${row.id}`}>
            Move the line<span className="govuk-visually-hidden">{` for ${row.reference}`}</span>
          </a>
        ),
      ],
    });
  });
  if (page.lineIndex === page.rows.length) rows.push(line);
  return rows;
}

function LineText({ firstBelow, left }: { firstBelow: { reference: string; explanation: string } | null; left: number }) {
  return (
    <>
      <strong>Funding line</strong>: {firstBelow ? firstBelow.explanation : `every ranked bid fits; ${formatMoney(left)} of the budget is left.`}
    </>
  );
}
