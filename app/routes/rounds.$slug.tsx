import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { authorise } from "~/auth/access.server.ts";
import { cannotStartBid } from "~/bids/bids.server.ts";
import { db } from "~/db/database.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";
import { capitalise, joinList } from "../../workflows/format.ts";
import { fundRulesSchema, organisationKindLabels, stageLabels, type FundRules } from "../../workflows/rules.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.round.name ?? "Funding round"} – Springboard` }];

/** The fund's eligibility rules as sentences a council can act on. */
function eligibilitySentences(rules: FundRules, capPence: number): string[] {
  const { eligibility } = rules;
  const many = (kind: string) => organisationKindLabels[kind]?.many ?? kind;
  const sentences: string[] = [];
  if (eligibility.declarationRequired) {
    sentences.push("The lead council and every partner must have signed the Local Digital Declaration before the bid is submitted.");
  }
  sentences.push(
    eligibility.minCouncils === 1
      ? "A council can bid on its own or in a partnership."
      : `A bid needs at least ${eligibility.minCouncils} councils in the partnership, including the lead.`,
  );
  sentences.push(
    `A council can lead at most ${eligibility.maxLeadBidsPerCouncilPerRound === 1 ? "1 bid" : `${eligibility.maxLeadBidsPerCouncilPerRound} bids`} in this round. It can be a partner in any number.`,
  );
  sentences.push(`${capitalise(joinList(eligibility.leadKinds.map(many)))} may lead a bid.`);
  sentences.push(`${capitalise(joinList(eligibility.partnerKinds.map(many)))} may be partners.`);
  const partnersOnly = eligibility.partnerKinds.filter((kind) => !eligibility.leadKinds.includes(kind));
  if (partnersOnly.length) sentences.push(`${capitalise(joinList(partnersOnly.map(many)))} may only be partners, not leads.`);
  sentences.push(`A bid can ask for up to ${formatMoney(capPence)}.`);
  return sentences;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authorise(request, "routes/rounds.$slug");
  const round = await db().round.findUnique({
    where: { slug: params.slug ?? "" },
    select: {
      slug: true,
      name: true,
      stage: true,
      opensAt: true,
      closesAt: true,
      capPence: true,
      budgetPence: true,
      guidance: true,
      fund: { select: { name: true, summary: true, rules: true } },
    },
  });
  if (!round) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const now = new Date();
  const status: "open" | "upcoming" | "closed" = round.closesAt <= now ? "closed" : round.opensAt > now ? "upcoming" : "open";
  // Rules that do not pass the schema are not shown rather than shown wrongly.
  const parsed = fundRulesSchema.safeParse(round.fund.rules);
  const rules = parsed.success ? parsed.data : null;
  const { rules: _rules, ...fund } = round.fund;
  return {
    round: { ...round, fund, stageLabel: stageLabels[round.stage] },
    status,
    criteria: rules ? rules.assessment.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight, guidance: c.guidance })) : [],
    scale: rules
      ? {
          min: rules.assessment.scale.labels.find((l) => l.score === rules.assessment.scale.min) ?? null,
          max: rules.assessment.scale.labels.find((l) => l.score === rules.assessment.scale.max) ?? null,
        }
      : null,
    eligibility: rules ? eligibilitySentences(rules, round.capPence) : [],
    signedIn: Boolean(user),
    // A council officer of an organisation that may lead, while the round is open.
    canStart: Boolean(user && rules && status === "open" && cannotStartBid(user, { ...round, fund: { rules: round.fund.rules } }) === null),
  };
}

const statusTags = {
  open: <strong className="govuk-tag govuk-tag--green">Open</strong>,
  upcoming: <strong className="govuk-tag govuk-tag--blue">Opening soon</strong>,
  closed: <strong className="govuk-tag govuk-tag--grey">Closed</strong>,
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function RoundPage() {
  const { round, status, criteria, scale, eligibility, canStart, signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/rounds" className="govuk-back-link">
        Back to funding rounds
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{round.fund.name}</span>
          <h1 className="govuk-heading-l">{round.name}</h1>
          <p className="govuk-body-l">{round.fund.summary}</p>
          <dl className="govuk-summary-list">
            <Row label="Status">{statusTags[status]}</Row>
            <Row label="Stage">{round.stageLabel}</Row>
            <Row label="Most a bid can ask for">{formatMoney(round.capPence)}</Row>
            <Row label="Budget for the round">{formatMoney(round.budgetPence)}</Row>
            <Row label="Opens">{formatDateTime(round.opensAt)}</Row>
            <Row label="Closes">{formatDateTime(round.closesAt)}</Row>
          </dl>

          <h2 className="govuk-heading-m">Guidance</h2>
          {round.guidance
            .split(/\n\s*\n/)
            .map((paragraph) => paragraph.trim())
            .filter(Boolean)
            .map((paragraph, i) => (
              <p className="govuk-body" key={i}>
                {paragraph}
              </p>
            ))}

          {eligibility.length ? (
            <>
              <h2 className="govuk-heading-m">Who can bid</h2>
              <ul className="govuk-list govuk-list--bullet">
                {eligibility.map((sentence) => (
                  <li key={sentence}>{sentence}</li>
                ))}
              </ul>
            </>
          ) : null}

          {criteria.length ? (
            <>
              <h2 className="govuk-heading-m">How bids are assessed</h2>
              <p className="govuk-body">
                Assessors score each bid against these criteria
                {scale?.min && scale.max
                  ? `, from ${scale.min.score} (${scale.min.label.toLowerCase()}) to ${scale.max.score} (${scale.max.label.toLowerCase()})`
                  : ""}
                . Each criterion's weight is its share of the total score.
              </p>
              <table className="govuk-table">
                <caption className="govuk-table__caption govuk-visually-hidden">Assessment criteria</caption>
                <thead className="govuk-table__head">
                  <tr className="govuk-table__row">
                    <th scope="col" className="govuk-table__header">Criterion</th>
                    <th scope="col" className="govuk-table__header govuk-table__header--numeric">Weight</th>
                  </tr>
                </thead>
                <tbody className="govuk-table__body">
                  {criteria.map((criterion) => (
                    <tr className="govuk-table__row" key={criterion.key}>
                      <td className="govuk-table__cell">
                        {criterion.label}
                        {criterion.guidance ? <p className="govuk-body-s govuk-!-margin-bottom-0">{criterion.guidance}</p> : null}
                      </td>
                      <td className="govuk-table__cell govuk-table__cell--numeric">{criterion.weight}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {status === "open" && canStart ? (
            <a href={`/rounds/${round.slug}/start`} role="button" draggable="false" className="govuk-button govuk-button--start" data-module="govuk-button">
              Start a bid
              <svg className="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
              </svg>
            </a>
          ) : status === "open" && !signedIn ? (
            <div className="govuk-inset-text">
              Council officers can <a className="govuk-link" href={`/sign-in?returnTo=${encodeURIComponent(`/rounds/${round.slug}`)}`}>sign in</a> to start a bid.
            </div>
          ) : null}
        </div>
      </div>
    </>
  );
}
