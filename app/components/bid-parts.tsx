import { formatDateTime } from "~/utils/format.ts";
import { SummaryList } from "./summary-list.tsx";
import { Table } from "./table.tsx";

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
      <SummaryList
        noBorder
        rows={[
          { key: "Status", value: <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong> },
          { key: "Lead council", value: bid.lead },
          { key: "Deadline", value: formatDateTime(bid.round.closesAt) },
        ]}
      />
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
    <Table
      caption="Councils in the partnership"
      captionClass="govuk-visually-hidden"
      head={["Council", "Role", "Status", ...(actions ? [<span className="govuk-visually-hidden">Actions</span>] : [])]}
      rows={[
        { key: "lead", cells: [lead, "Lead", "Leading", ...(actions ? [null] : [])] },
        ...partners.map((p) => ({
          key: p.organisationId,
          cells: [
            p.name,
            "Partner",
            <strong className={`govuk-tag govuk-tag--${p.status === "accepted" ? "green" : p.status === "declined" ? "red" : "yellow"}`}>{p.statusLabel}</strong>,
            ...(actions ? [actions(p)] : []),
          ],
        })),
      ]}
    />
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
    <Table
      caption="Evidence uploaded"
      captionClass="govuk-visually-hidden"
      head={["Document", "Type", "Size", ...(actions ? [<span className="govuk-visually-hidden">Actions</span>] : [])]}
      rows={documents.map((d) => ({
        key: d.id,
        cells: [
          <a className="govuk-link" href={`/bids/${bidId}/documents/${d.id}`} download>
            {d.fileName}
          </a>,
          d.type,
          d.size,
          ...(actions ? [actions(d)] : []),
        ],
      }))}
    />
  );
}
