import { formatDateTime } from "~/utils/format.ts";
import { Checkboxes } from "./checkboxes.tsx";
import type { ChoiceItem } from "./radios.tsx";
import { SummaryList } from "./summary-list.tsx";
import { Table } from "./table.tsx";
import { Textarea } from "./textarea.tsx";

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

/**
 * The partnership. Where the fund requires the Local Digital Declaration, a council that has
 * not signed it says so in its row: it would stop the bid at sign-off.
 */
export function PartnerList({
  lead,
  partners,
  actions,
  declarationRequired = false,
}: {
  lead: string;
  partners: PartnerRow[];
  actions?: (p: PartnerRow) => React.ReactNode;
  declarationRequired?: boolean;
}) {
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
            <>
              <strong className={`govuk-tag govuk-tag--${p.status === "accepted" ? "green" : p.status === "declined" ? "red" : "yellow"}`}>
                {p.statusLabel}
              </strong>
              {declarationRequired && !p.signed && p.status !== "declined" ? (
                <p className="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">Has not signed the Local Digital Declaration</p>
              ) : null}
            </>,
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

/**
 * Shown from the moment the certifier signs until a decision is published: that the bid went
 * in, its reference, and what happens next and when.
 */
export function SubmittedPanel({
  bid,
  submittedAt,
}: {
  bid: { id: string; reference: string; round: { closesAt: string; assessmentDueAt: string | null } };
  submittedAt: string;
}) {
  return (
    <div className="govuk-panel govuk-panel--confirmation app-panel--left" data-testid="submitted">
      <h2 className="govuk-panel__title govuk-!-font-size-36">Bid submitted</h2>
      <div className="govuk-panel__body govuk-!-font-size-24">
        Signed off and sent on {formatDateTime(submittedAt)}
        <br />
        Your reference number
        <br />
        <strong>{bid.reference}</strong>
      </div>
    </div>
  );
}

export function WhatHappensNext({ round }: { round: { closesAt: string; assessmentDueAt: string | null } }) {
  return (
    <>
      <h2 className="govuk-heading-m">What happens next</h2>
      <ol className="govuk-list govuk-list--number">
        <li>The fund team checks that the bid meets the fund's rules, after the round closes at {formatDateTime(round.closesAt)}.</li>
        <li>
          Eligible bids are scored by independent assessors
          {round.assessmentDueAt ? `, who are due to finish by ${formatDateTime(round.assessmentDueAt)}` : ""}.
        </li>
        <li>The fund team publishes its decisions on every bid in the round at once.</li>
      </ol>
      <p className="govuk-body">We will email your council's officers at each step. You do not need to do anything now.</p>
    </>
  );
}

/**
 * The fund team's request for changes (sections and reason; app/bid-form/sections.ts
 * changesRequestSchema), on the eligibility page and on the assessors page.
 */
export function ChangesRequestFields(props: {
  sections: ChoiceItem[];
  ticked?: string[];
  errors?: Record<string, string | undefined>;
  reason?: string;
  /** Who is told the reason. */
  reasonHint: string;
  legendClass?: string;
  rows?: number;
}) {
  return (
    <>
      <Checkboxes
        name="sections"
        legend="Which sections need changes?"
        legendClass={props.legendClass}
        hint="Only these sections open again for the council. Select all that apply."
        error={props.errors?.sections}
        items={props.sections}
        values={props.ticked}
        small
      />
      <Textarea
        name="changesReason"
        label="What needs to change, and why?"
        hint={props.reasonHint}
        defaultValue={props.reason}
        error={props.errors?.changesReason}
        rows={props.rows}
      />
    </>
  );
}
