import { formatDateTime } from "~/utils/format.ts";

export interface BidHeadingData {
  id: string;
  reference: string;
  title: string;
  stateLabel: string;
  tag: string;
  lead: string;
  round: { name: string; closesAt: string };
}

/** The bid's name, reference, round and status, at the top of every bid page. */
export function BidHeading({ bid, heading }: { bid: BidHeadingData; heading?: string }) {
  return (
    <>
      <span className="govuk-caption-l">
        {bid.reference}, {bid.round.name}
      </span>
      <h1 className="govuk-heading-l">{heading ?? bid.title}</h1>
      <dl className="govuk-summary-list govuk-summary-list--no-border">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Status</dt>
          <dd className="govuk-summary-list__value">
            <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Lead council</dt>
          <dd className="govuk-summary-list__value">{bid.lead}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Deadline</dt>
          <dd className="govuk-summary-list__value">{formatDateTime(bid.round.closesAt)}</dd>
        </div>
      </dl>
    </>
  );
}

export interface PartnerRow {
  organisationId: string;
  name: string;
  statusLabel: string;
  status: string;
  signed: boolean;
}

export function PartnerList({ lead, partners, actions }: { lead: string; partners: PartnerRow[]; actions?: (p: PartnerRow) => React.ReactNode }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-visually-hidden">Councils in the partnership</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Council</th>
          <th scope="col" className="govuk-table__header">Role</th>
          <th scope="col" className="govuk-table__header">Status</th>
          {actions ? (
            <th scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        <tr className="govuk-table__row">
          <td className="govuk-table__cell">{lead}</td>
          <td className="govuk-table__cell">Lead</td>
          <td className="govuk-table__cell">Leading</td>
          {actions ? <td className="govuk-table__cell" /> : null}
        </tr>
        {partners.map((p) => (
          <tr className="govuk-table__row" key={p.organisationId}>
            <td className="govuk-table__cell">{p.name}</td>
            <td className="govuk-table__cell">Partner</td>
            <td className="govuk-table__cell">
              <strong className={`govuk-tag govuk-tag--${p.status === "accepted" ? "green" : p.status === "declined" ? "red" : "yellow"}`}>{p.statusLabel}</strong>
            </td>
            {actions ? <td className="govuk-table__cell">{actions(p)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface DocumentRow {
  id: string;
  type: string;
  fileName: string;
  size: string;
  createdAt: string;
}

export function DocumentList({ bidId, documents, actions }: { bidId: string; documents: DocumentRow[]; actions?: (d: DocumentRow) => React.ReactNode }) {
  if (!documents.length) return <p className="govuk-body">No evidence has been uploaded.</p>;
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-visually-hidden">Evidence uploaded</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Document</th>
          <th scope="col" className="govuk-table__header">Type</th>
          <th scope="col" className="govuk-table__header">Size</th>
          {actions ? (
            <th scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {documents.map((d) => (
          <tr className="govuk-table__row" key={d.id}>
            <td className="govuk-table__cell">
              <a className="govuk-link" href={`/bids/${bidId}/documents/${d.id}`} download>
                {d.fileName}
              </a>
            </td>
            <td className="govuk-table__cell">{d.type}</td>
            <td className="govuk-table__cell">{d.size}</td>
            {actions ? <td className="govuk-table__cell">{actions(d)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
