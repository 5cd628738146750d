import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { evidenceAction, tooBigToRead } from "~/bids/actions.server.ts";
import { canManageEvidence, documentTypes, loadBidFor } from "~/bids/bids.server.ts";
import { documentsOf } from "~/bids/view.server.ts";
import { DocumentList } from "~/components/bid-parts.tsx";
import { FileUpload } from "~/components/file-upload.tsx";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { readForm } from "~/forms/body.server.ts";
import { UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { ACCEPTED_TYPES_SENTENCE } from "~/storage/file-type.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Evidence – ${data?.bid.title ?? "Bid"} – Springboard` }];

const ROUTE = "routes/bids.$id_.evidence" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManageEvidence(relation, bid)) throw redirect(`/bids/${bid.id}`);
  return {
    bid: { id: bid.id, title: bid.title, reference: bid.reference },
    documents: documentsOf(bid),
    types: [{ value: "", text: "Choose a type" }, ...documentTypes],
    accepted: ACCEPTED_TYPES_SENTENCE,
    limit: `${UPLOAD_FILE_LIMIT / 1024 / 1024}MB`,
    uploaded: new URL(request.url).searchParams.get("uploaded"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Signed in first: an upload is large, and only the lead's officers may send one.
  const user = await authoriseUser(request, ROUTE, "action");
  let form: FormData;
  try {
    form = await readForm(request, "upload");
  } catch (thrown) {
    // A body over the limit was not read, so nothing changes: the page says so by the file
    // field rather than leaving the form. (A file just over the limit, inside a body that
    // is not, is refused by evidenceAction with the type still chosen.)
    if (thrown instanceof Response && thrown.status === 413) return tooBigToRead();
    throw thrown;
  }
  requireCsrf(request, form);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManageEvidence(relation, bid)) throw redirect(`/bids/${bid.id}`);
  return evidenceAction(user, bid, form);
}

export default function EvidencePage() {
  const { bid, documents, types, accepted, limit, uploaded } = useLoaderData<typeof loader>();
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
            <Select name="type" label="Type of document" options={types} defaultValue={result?.values.type} error={result?.errors.type} />
            <FileUpload name="file" label="Upload a file" hint={`It must be ${accepted}, smaller than ${limit}.`} error={result?.errors.file} />
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
