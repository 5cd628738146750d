import type { ReactNode } from "react";

/**
 * A row that is not a list of cells: one cell across every column (a funding line drawn
 * between ranked bids, "nothing here yet"), or cells with a class or a key of their own.
 */
export interface TableRow {
  key?: string;
  className?: string;
  cells?: ReactNode[];
  full?: ReactNode;
}

/**
 * The GOV.UK table. `numeric` lists the column indexes holding figures: their header and
 * cells are right-aligned (with tabular numbers) so the digits line up.
 */
export function Table(props: {
  caption?: ReactNode;
  captionClass?: string;
  /** Extra classes on the table, e.g. "app-table--small" for a dense log. */
  className?: string;
  head: ReactNode[];
  rows: (ReactNode[] | TableRow)[];
  numeric?: number[];
  firstCellIsHeader?: boolean;
}) {
  const numeric = new Set(props.numeric ?? []);
  return (
    <table className={`govuk-table${props.className ? ` ${props.className}` : ""}`}>
      {props.caption ? <caption className={`govuk-table__caption${props.captionClass ? ` ${props.captionClass}` : ""}`}>{props.caption}</caption> : null}
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
        {props.rows.map((given, rowIndex) => {
          const row: TableRow = Array.isArray(given) ? { cells: given } : given;
          const className = `govuk-table__row${row.className ? ` ${row.className}` : ""}`;
          if (row.full !== undefined) {
            return (
              <tr className={className} key={row.key ?? rowIndex}>
                <td className="govuk-table__cell" colSpan={props.head.length}>
                  {row.full}
                </td>
              </tr>
            );
          }
          return (
            <tr className={className} key={row.key ?? rowIndex}>
              {(row.cells ?? []).map((cell, index) =>
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
          );
        })}
      </tbody>
    </table>
  );
}
