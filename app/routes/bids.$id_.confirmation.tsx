import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { loadBidFor } from "~/bids/bids.server.ts";
import { bidHeader } from "~/bids/view.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { WhatHappensNext } from "~/components/bid-parts.tsx";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Bid submitted", data?.bid.title]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/bids.$id_.confirmation");
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer", "leadCertifier", "partnerOfficer", "partnerCertifier", "fundTeam"]);
  const header = bidHeader(bid, relation);
  if (!header.submittedAt) throw redirect(`/bids/${bid.id}`);
  return { bid: header };
}

export default function Confirmation() {
  const { bid } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title">Bid submitted</h1>
          <div className="govuk-panel__body">
            Your reference number
            <br />
            <strong data-testid="reference">{bid.reference}</strong>
          </div>
        </div>
        <p className="govuk-body">
          "{bid.title}" was submitted to {bid.round.name} at {bid.submittedAt ? formatDateTime(bid.submittedAt) : ""}.
        </p>
        <p className="govuk-body">We have emailed the lead council's officers a confirmation with a copy of the answers.</p>
        <WhatHappensNext round={bid.round} />
        <p className="govuk-body">
          <a className="govuk-link" href={`/bids/${bid.id}`}>
            See the bid and its history
          </a>
        </p>
      </div>
    </div>
  );
}
