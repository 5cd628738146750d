import { MetricChart } from "~/components/metric-chart.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import type { GateEvidence } from "./gate-evidence.server.ts";
import { formatDate, formatMoney, formatNumber } from "~/utils/format.ts";

const withUnit = (value: number | null, unit: string) => (value === null ? "None recorded" : `${formatNumber(value)}${unit ? ` ${unit}` : ""}`);

/**
 * What the project recorded, as a case study shows it: metrics, gate decisions, conditions,
 * spend and public documents. `documentHref` says where a document downloads from (the
 * public route once published; the project's own before).
 */
export function CaseStudyEvidence({ evidence, documentHref }: { evidence: GateEvidence; documentHref: (id: string) => string }) {
  const { metrics, gates, conditions, spend, documents } = evidence;
  return (
    <div className="app-case-study-evidence">
      <h2 className="govuk-heading-l govuk-!-margin-top-8" id="recorded">
        What the project recorded
      </h2>
      <p className="govuk-body">These figures and decisions come from the project&apos;s own records, as they stand today.</p>

      <h2 className="govuk-heading-m" id="recorded-metrics">
        Metrics against baseline and target
      </h2>
      {metrics.length ? (
        <>
          <Table
            caption="Each metric: where it started, where it was aimed and the latest figure"
            captionClass="govuk-table__caption--s"
            head={["Metric", "Baseline", "Target", "Latest"]}
            numeric={[1, 2, 3]}
            firstCellIsHeader
            rows={metrics.map((m) => ({
              key: m.id,
              cells: [m.name, withUnit(m.baseline, m.unit), withUnit(m.target, m.unit), withUnit(m.latest, m.unit)],
            }))}
          />
          {metrics.map((m) => (
            <section key={m.id} aria-labelledby={`case-metric-${m.id}`}>
              <h3 className="govuk-heading-s" id={`case-metric-${m.id}`}>
                {m.name}
                {m.unit ? ` (${m.unit})` : ""}
              </h3>
              <MetricChart metric={m} />
            </section>
          ))}
        </>
      ) : (
        <p className="govuk-body">The project recorded no metrics.</p>
      )}

      <h2 className="govuk-heading-m" id="recorded-gates">
        Gate decisions
      </h2>
      {gates.length ? (
        <Table
          caption="Each gate review's decision and the reasons the approvers gave"
          captionClass="govuk-table__caption--s"
          head={["Gate", "Decision", "Date", "Reasons"]}
          rows={gates.map((g) => ({
            key: g.key,
            cells: [
              `${g.stage} gate`,
              <strong className={`govuk-tag govuk-tag--${g.tag}`}>{g.outcomeLabel}</strong>,
              formatDate(g.at),
              g.reasons.length ? (
                <ul className="govuk-list">
                  {g.reasons.map((r, i) => (
                    <li key={i}>
                      <span className="govuk-!-font-weight-bold">{r.outcomeLabel}:</span> <span className="app-preserve-lines">{r.text}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                "None given"
              ),
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">No gate review has decided yet.</p>
      )}

      <h2 className="govuk-heading-m" id="recorded-conditions">
        Conditions set
      </h2>
      {conditions.length ? (
        <Table
          caption="Conditions the gates set, and whether they were met"
          captionClass="govuk-table__caption--s"
          head={["Condition", "Set at", "Due", "Met"]}
          rows={conditions.map((c) => ({
            key: c.key,
            cells: [
              c.text,
              `${c.setAt} gate`,
              formatDate(c.dueDate),
              c.metOn ? <>Met on {formatDate(c.metOn)}</> : <strong className="govuk-tag govuk-tag--grey">Not met</strong>,
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">No gate set conditions.</p>
      )}

      <h2 className="govuk-heading-m" id="recorded-spend">
        Spend against award
      </h2>
      <SummaryList
        rows={[
          { key: "Awarded", value: formatMoney(spend.awardedPence) },
          {
            key: "Spent",
            value: spend.spentPence === null ? "No spend reported" : `${formatMoney(spend.spentPence)} to ${formatDate(spend.spentTo)}`,
          },
          { key: "Share of the award spent", value: spend.percent === null ? "Not known" : `${spend.percent}%` },
        ]}
      />
      {spend.tranches.length ? (
        <Table
          caption="Money released"
          captionClass="govuk-table__caption--s"
          head={["Date", "Stage", "Amount"]}
          numeric={[2]}
          rows={spend.tranches.map((t) => ({ key: t.key, cells: [formatDate(t.at), t.stage, formatMoney(t.amountPence)] }))}
        />
      ) : null}

      <h2 className="govuk-heading-m" id="recorded-documents">
        Documents
      </h2>
      {documents.length ? (
        <ul className="govuk-list">
          {documents.map((d) => (
            <li key={d.id}>
              <a href={documentHref(d.id)} className="govuk-link" download>
                {d.fileName}
              </a>{" "}
              <span className="govuk-body-s">
                ({d.type}, {d.stage.toLowerCase()} stage, {d.size})
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">The project team has not made any documents public.</p>
      )}
    </div>
  );
}
