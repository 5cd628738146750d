import type { ReactNode } from "react";

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  /** visuallyHidden finishes the link text for a screen reader: "Change" alone says not what. */
  action?: { href: string; text: string; visuallyHidden?: string };
}

/** The GOV.UK summary list: a key, its value and, optionally, a link to change it. */
export function SummaryList(props: { rows: SummaryRow[]; noBorder?: boolean }) {
  // GOV.UK Frontend keeps the columns aligned: once any row has an action, the rows
  // without one are marked so their value spans the missing column.
  const anyAction = props.rows.some((row) => row.action);
  return (
    <dl className={`govuk-summary-list${props.noBorder ? " govuk-summary-list--no-border" : ""}`}>
      {props.rows.map((row, index) => (
        <div className={`govuk-summary-list__row${anyAction && !row.action ? " govuk-summary-list__row--no-actions" : ""}`} key={index}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
          {row.action ? (
            <dd className="govuk-summary-list__actions">
              <a className="govuk-link" href={row.action.href}>
                {row.action.text}
                {row.action.visuallyHidden ? <span className="govuk-visually-hidden"> {row.action.visuallyHidden}</span> : null}
              </a>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}
