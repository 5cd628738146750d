import type { ReactNode } from "react";

/**
 * The GOV.UK table. `numeric` lists the column indexes holding figures: their header and
 * cells are right-aligned (with tabular numbers) so the digits line up.
 */
export function Table(props: {
  caption?: ReactNode;
  captionClass?: string;
  head: ReactNode[];
  rows: ReactNode[][];
  numeric?: number[];
  firstCellIsHeader?: boolean;
}) {
  const numeric = new Set(props.numeric ?? []);
  return (
    <table className="govuk-table">
      {props.caption ? (
        <caption className={`govuk-table__caption${props.captionClass ? ` ${props.captionClass}` : ""}`}>{props.caption}</caption>
      ) : null}
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {props.head.map((cell, index) => (
            <th scope="col" className={`govuk-table__header${numeric.has(index) ? " govuk-table__header--numeric" : ""}`} key={index}>
              {cell}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {props.rows.map((row, rowIndex) => (
          <tr className="govuk-table__row" key={rowIndex}>
            {row.map((cell, index) =>
              index === 0 && props.firstCellIsHeader ? (
                <th scope="row" className="govuk-table__header" key={index}>
                  {cell}
                </th>
              ) : (
                <td className={`govuk-table__cell${numeric.has(index) ? " govuk-table__cell--numeric" : ""}`} key={index}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
