import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadDecisionRound } from "~/funding/decisions.server.ts";
import { roundProgress, type Counts } from "~/assessment/progress.server.ts";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { formatDateTime } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { pageParam } from "~/utils/paging.ts";
import { titled } from "~/utils/title.ts";
import { htmlOnly } from "~/components/hydration.ts";

export const meta = titled<typeof loader>(({ data }) => ["Assessment progress", data?.round.name]);
// Figures, tables and links: sent as HTML alone (docs/decisions/0021-read-only-pages-not-hydrated.md).
export const handle = htmlOnly;

const ROUTE = "routes/rounds.$slug_.progress" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await loadDecisionRound(params.slug);
  const url = new URL(request.url);
  const after = url.searchParams.get("after");
  const assessorPage = pageParam(url.searchParams.get("assessors"));
  const progress = await roundProgress(round, { after, assessorPage });
  return {
    round: { slug: round.slug, name: round.name, assessmentDueAt: round.assessmentDueAt?.toISOString() ?? null },
    ...progress,
    bidStates: progress.bidStates.map((s) => ({ ...s, label: stateLabel("bid", s.state), tag: stateTagColour("bid", s.state) })),
    bids: progress.bids.map((b) => ({ ...b, stateLabel: stateLabel("bid", b.state) })),
    after,
    assessorPage,
  };
}

const countHeaders = ["Done", "Pending", "Overdue", "Declined", "Conflicts declared"];
const countCells = (c: Counts) => [c.done, c.pending, c.overdue, c.declined, c.conflicts];

export default function Progress() {
  const page = useLoaderData<typeof loader>();
  const base = `/rounds/${page.round.slug}/progress`;
  return (
    <>
      <a href={`/rounds/${page.round.slug}`} className="govuk-back-link">
        Back to the round
      </a>
      <span className="govuk-caption-l">{page.round.name}</span>
      <h1 className="govuk-heading-l">Assessment progress</h1>
      <p className="govuk-body">
        {page.round.assessmentDueAt
          ? `Assessments are due by ${formatDateTime(page.round.assessmentDueAt)}, unless an assessment has its own due date.`
          : "This round has no due date for assessments; only assessments with their own due date can be overdue."}
      </p>

      <SummaryList
        rows={[
          { key: "Bids", value: page.bidCount },
          { key: "Assessments done", value: page.totals.done },
          { key: "Assessments pending", value: page.totals.pending },
          { key: "Overdue", value: page.totals.overdue },
          { key: "Declined", value: page.totals.declined },
          { key: "Conflicts of interest declared", value: page.totals.conflicts },
          { key: "Bids flagged for moderation", value: `${page.moderation.flagged} (${page.moderation.unresolved} not yet resolved)` },
        ]}
      />

      <h2 className="govuk-heading-m">Bids by status</h2>
      {page.bidStates.length ? (
        <ul className="govuk-list">
          {page.bidStates.map((s) => (
            <li key={s.state}>
              <strong className={`govuk-tag govuk-tag--${s.tag}`}>{s.label}</strong> {s.count}
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">No bids yet.</p>
      )}

      <h2 className="govuk-heading-m">Overdue assessments</h2>
      {page.overdue.length ? (
        <Table
          caption="The longest overdue assessments, up to 20"
          captionClass="govuk-visually-hidden"
          head={["Bid", "Assessor", "Was due"]}
          rows={page.overdue.map((o) => ({
            key: o.id,
            cells: [
              <a className="govuk-link" href={`/bids/${o.bidId}`}>
                {o.reference}
              </a>,
              o.assessor,
              formatDateTime(o.dueAt),
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">No assessments are overdue.</p>
      )}

      <div className="app-table-scroll">
        <Table
          caption="Assessors"
          captionClass="govuk-table__caption--m"
          head={["Assessor", ...countHeaders]}
          numeric={countHeaders.map((_, i) => i + 1)}
          firstCellIsHeader
          rows={page.assessors.map((a) => ({ key: a.id, cells: [a.name, ...countCells(a)] }))}
        />
      </div>
      <Pager
        previous={page.assessorPage > 1 ? `${base}?assessors=${page.assessorPage - 1}${page.after ? `&after=${encodeURIComponent(page.after)}` : ""}` : null}
        next={page.moreAssessors ? `${base}?assessors=${page.assessorPage + 1}${page.after ? `&after=${encodeURIComponent(page.after)}` : ""}` : null}
        label="assessors"
      />

      <div className="app-table-scroll">
        <Table
          caption="Bids"
          captionClass="govuk-table__caption--m"
          head={["Bid", "Status", ...countHeaders, "Moderation"]}
          numeric={countHeaders.map((_, i) => i + 2)}
          rows={page.bids.map((b) => ({
            key: b.id,
            cells: [
              <>
                <a className="govuk-link" href={`/bids/${b.id}`}>
                  {b.reference}
                </a>
                <br />
                {b.title}
                <br />
                <span className="govuk-body-s">{b.lead}</span>
              </>,
              b.stateLabel,
              ...countCells(b),
              b.flagged === 0
                ? "No flags"
                : b.unresolved > 0
                  ? `${b.unresolved} of ${b.flagged} flagged criteria to resolve`
                  : `${b.flagged} flagged, all resolved`,
            ],
          }))}
        />
      </div>
      <Pager
        previous={page.after ? base : null}
        next={page.nextAfter ? `${base}?after=${encodeURIComponent(page.nextAfter)}` : null}
        label="bids"
        previousText="First page"
      />
    </>
  );
}

function Pager({ previous, next, label, previousText }: { previous: string | null; next: string | null; label: string; previousText?: string }) {
  if (!previous && !next) return null;
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label={`Pages of ${label}`}>
      {previous ? (
        <div className="govuk-pagination__prev">
          <a className="govuk-link govuk-pagination__link" href={previous} rel="prev">
            <span className="govuk-pagination__link-title">{previousText ?? "Previous page"}</span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">{label}</span>
          </a>
        </div>
      ) : null}
      {next ? (
        <div className="govuk-pagination__next">
          <a className="govuk-link govuk-pagination__link" href={next} rel="next">
            <span className="govuk-pagination__link-title">Next page</span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">{label}</span>
          </a>
        </div>
      ) : null}
    </nav>
  );
}
