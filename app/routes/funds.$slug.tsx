import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { FundSummary } from "~/funds/fund-form.tsx";
import { fundBySlug, roundsOfFund, storedRules } from "~/funds/funds.server.ts";
import { fundSummaryRows } from "~/funds/setup.ts";
import { formatDateTime } from "~/utils/format.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { stageLabels } from "../../workflows/rules.ts";

const ROUTE = "routes/funds.$slug" as const;

export const meta = titled<typeof loader>(({ data }) => [data?.fund.name ?? "Fund"]);

const notices: Record<string, string> = {
  created: "The fund has been set up.",
  saved: "The fund's settings have been saved. Rounds already made keep the rules they copied.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const fund = await fundBySlug(params.slug);
  const { rules, valid } = storedRules(fund);
  const rounds = await roundsOfFund(fund.id);
  return {
    fund: { slug: fund.slug, name: fund.name },
    valid,
    summary: fundSummaryRows({ name: fund.name, summary: fund.summary, rules }),
    rounds: rounds.map((r) => ({ ...r, stage: stageLabels[r.stage] })),
    notice: noticeFrom(request, notices),
  };
}

export default function FundPage() {
  const { fund, valid, summary, rounds, notice } = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/funds" className="govuk-back-link">
        Back to funds
      </a>
      <SuccessNotice text={notice} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Fund</span>
          <h1 className="govuk-heading-l">{fund.name}</h1>
          {!valid ? (
            <div className="govuk-inset-text">
              This fund's stored rules are not valid, so the service's usual rules are shown. Change the settings to put them right.
            </div>
          ) : null}
          <div className="govuk-button-group">
            <a href={`/rounds/new?fund=${encodeURIComponent(fund.slug)}`} role="button" draggable="false" className="govuk-button" data-module="govuk-button">
              Make a round from this fund
            </a>
            <a className="govuk-link" href={`/funds/${fund.slug}/edit`}>
              Change the fund's settings
            </a>
          </div>
          <FundSummary summary={summary} changeHref={`/funds/${fund.slug}/edit`} />
          <h2 className="govuk-heading-m">Rounds made from this fund</h2>
          {rounds.length ? (
            <Table
              caption="Rounds made from this fund"
              captionClass="govuk-visually-hidden"
              head={["Round", "Stage", "Closes"]}
              rows={rounds.map((r) => ({
                key: r.slug,
                cells: [
                  <a className="govuk-link" href={`/rounds/${r.slug}`}>
                    {r.name}
                  </a>,
                  r.stage,
                  formatDateTime(r.closesAt),
                ],
              }))}
            />
          ) : (
            <p className="govuk-body">No rounds yet.</p>
          )}
        </div>
      </div>
    </>
  );
}
