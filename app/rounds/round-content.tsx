import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { formatDateTime, formatMoney } from "~/utils/format.ts";

/** The public round page's content, as data that has been through the loader (dates as strings). */
export interface RoundContentData {
  round: {
    name: string;
    stageLabel: string;
    opensAt: string | Date;
    closesAt: string | Date;
    capPence: number;
    budgetPence: number;
    guidance: string;
    fund: { name: string; summary: string };
  };
  status: "open" | "upcoming" | "closed";
  criteria: { key: string; label: string; weight: number; guidance: string }[];
  scale: { min: { score: number; label: string } | null; max: { score: number; label: string } | null } | null;
  eligibility: string[];
}

const statusTags = {
  open: <strong className="govuk-tag govuk-tag--green">Open</strong>,
  upcoming: <strong className="govuk-tag govuk-tag--blue">Opening soon</strong>,
  closed: <strong className="govuk-tag govuk-tag--grey">Closed</strong>,
};

/**
 * What applicants see about a round. The round page and the fund team's previews both
 * render this, so a preview shows exactly what will be published. `level` is the heading
 * level of the round's name: 1 on its own page, 2 inside another page.
 */
export function RoundContent({ view, level = 1 }: { view: RoundContentData; level?: 1 | 2 }) {
  const { round, status, criteria, scale, eligibility } = view;
  const Title = level === 1 ? "h1" : "h2";
  const Section = level === 1 ? "h2" : "h3";
  return (
    <>
      <span className="govuk-caption-l">{round.fund.name}</span>
      <Title className="govuk-heading-l">{round.name}</Title>
      <p className="govuk-body-l">{round.fund.summary}</p>
      <SummaryList
        rows={[
          { key: "Status", value: statusTags[status] },
          { key: "Stage", value: round.stageLabel },
          { key: "Most a bid can ask for", value: formatMoney(round.capPence) },
          { key: "Budget for the round", value: formatMoney(round.budgetPence) },
          { key: "Opens", value: formatDateTime(round.opensAt) },
          { key: "Closes", value: formatDateTime(round.closesAt) },
        ]}
      />

      <Section className="govuk-heading-m">Guidance</Section>
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
          <Section className="govuk-heading-m">Who can bid</Section>
          <ul className="govuk-list govuk-list--bullet">
            {eligibility.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        </>
      ) : null}

      {criteria.length ? (
        <>
          <Section className="govuk-heading-m">How bids are assessed</Section>
          <p className="govuk-body">
            Assessors score each bid against these criteria
            {scale?.min && scale.max
              ? `, from ${scale.min.score} (${scale.min.label.toLowerCase()}) to ${scale.max.score} (${scale.max.label.toLowerCase()})`
              : ""}
            . Each criterion's weight is its share of the total score.
          </p>
          <Table
            caption="Assessment criteria"
            captionClass="govuk-visually-hidden"
            head={["Criterion", "Weight"]}
            numeric={[1]}
            rows={criteria.map((criterion) => ({
              key: criterion.key,
              cells: [
                <>
                  {criterion.label}
                  {criterion.guidance ? <p className="govuk-body-s govuk-!-margin-bottom-0">{criterion.guidance}</p> : null}
                </>,
                `${criterion.weight}%`,
              ],
            }))}
          />
        </>
      ) : null}
    </>
  );
}
