import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { evidenceAction, tooBigToRead } from "~/bids/actions.server.ts";
import { canManageEvidence, documentTypes, loadBidFor } from "~/bids/bids.server.ts";
import { documentsOf } from "~/bids/view.server.ts";
import { DocumentList } from "~/components/bid-parts.tsx";
import { FileUpload, FitsHint } from "~/components/file-upload.tsx";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { readUpload } from "~/forms/body.server.ts";
import { fileSize, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { fitsHint } from "~/storage/document-kinds.ts";
import { ACCEPTED_TYPES_SENTENCE, TOO_BIG } from "~/storage/file-type.server.ts";
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
    types: [{ value: "", text: "Choose a type" }, ...documentTypes],
    fits: fitsHint(documentTypes),
    accepted: ACCEPTED_TYPES_SENTENCE,
    limit: fileSize(UPLOAD_FILE_LIMIT),
    maxBytes: UPLOAD_FILE_LIMIT,
    tooBig: TOO_BIG,
    uploaded: new URL(request.url).searchParams.get("uploaded"),
  };
}

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
  const { bid, documents, types, fits, accepted, limit, maxBytes, tooBig, uploaded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to the bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["type", "file"]} />
          {uploaded ? (
            <NotificationBanner type="success" heading="Your document has been uploaded." />
          ) : null}
          <span className="govuk-caption-l">
            {bid.reference}: {bid.title}
          </span>
          <h1 className="govuk-heading-l">Evidence</h1>
          <DocumentList
            bidId={bid.id}
            documents={documents}
            actions={(d) => (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="documentId" value={d.id} />
                <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                  Remove<span className="govuk-visually-hidden"> {d.fileName}</span>
                </button>
              </Form>
            )}
          />
          <h2 className="govuk-heading-m">Upload a document</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <CsrfInput />
            {/* The type comes before the file, so it arrives first and is kept even when the file is too large to read. */}
            <Select name="type" label="Type of document" hint={<FitsHint fits={fits} />} options={types} defaultValue={result?.values.type} error={result?.errors.type} />
            <FileUpload name="file" label="Upload a file" hint={`It must be ${accepted}, smaller than ${limit}.`} error={result?.errors.file} maxBytes={maxBytes} tooBig={tooBig} />
            <div className="govuk-button-group">
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Upload
              </button>
              <a className="govuk-link" href={`/bids/${bid.id}`}>
                Back to the bid
              </a>
            </div>
          </Form>
        </div>
      </div>
    </>
  );
}
