import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { evidenceAction } from "~/bids/actions.server.ts";
import { canManageEvidence, documentTypes, loadBidFor } from "~/bids/bids.server.ts";
import { documentsOf } from "~/bids/view.server.ts";
import { DocumentList } from "~/components/bid-parts.tsx";
import { EvidenceUpload, RemoveDocument } from "~/components/evidence-upload.tsx";
import { ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { readUpload } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { evidenceUploadView, tooBigToRead } from "~/storage/evidence-upload.server.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Evidence", data?.bid.title]);

const ROUTE = "routes/bids.$id_.evidence" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManageEvidence(relation, bid)) throw redirect(`/bids/${bid.id}`);
  return {
    bid: { id: bid.id, title: bid.title, reference: bid.reference },
    documents: documentsOf(bid),
    ...evidenceUploadView(documentTypes),
    notice: noticeFrom(request, notices),
  };
}

const notices: Record<string, string> = { uploaded: "Your document has been uploaded." };

export async function action({ request, params }: ActionFunctionArgs) {
  // Signed in first: an upload is large, and only the lead's officers may send one.
  const user = await authoriseUser(request, ROUTE, "action");
  // A body over the limit is not read past the fields before the file: nothing changes, and
  // the page says so by the file field with the type still chosen. (A file just over the
  // limit, inside a body that is not, is refused by evidenceAction in the same words.)
  const body = await readUpload(request);
  if (body.ok) requireCsrf(request, body.form);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManageEvidence(relation, bid)) throw redirect(`/bids/${bid.id}`);
  if (!body.ok) return tooBigToRead(body.leading);
  return evidenceAction(user, bid, body.form);
}

export default function EvidencePage() {
  const page = useLoaderData<typeof loader>();
  const { bid, documents, notice } = page;
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to the bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["type", "file"]} />
          <SuccessNotice text={notice} />
          <span className="govuk-caption-l">
            {bid.reference}: {bid.title}
          </span>
          <h1 className="govuk-heading-l">Evidence</h1>
          <DocumentList bidId={bid.id} documents={documents} actions={(d) => <RemoveDocument id={d.id} fileName={d.fileName} />} />
          <EvidenceUpload form={page} typeLabel="Type of document" result={result} back={{ href: `/bids/${bid.id}`, text: "Back to the bid" }} />
        </div>
      </div>
    </>
  );
}
