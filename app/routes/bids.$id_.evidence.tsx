import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { addDocument, canManageEvidence, documentTypes, loadBidFor, removeDocument } from "~/bids/bids.server.ts";
import { documentsOf } from "~/bids/view.server.ts";
import { DocumentList } from "~/components/bid-parts.tsx";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { uploadRefusal } from "~/security/upload-limit.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { ACCEPTED_TYPES_SENTENCE, MAX_UPLOAD_BYTES } from "~/storage/file-type.server.ts";

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
    uploaded: new URL(request.url).searchParams.get("uploaded"),
  };
}

const TOO_BIG = "The selected file must be smaller than 10MB";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await authoriseUser(request, ROUTE, "action");
  let form: FormData;
  let tooBig = false;
  const contentType = request.headers.get("Content-Type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      // Refused without reading the rest of the form: nothing is changed, so there is
      // nothing for a forged request to gain, and the CSRF check is not needed to say no.
      tooBig = true;
      form = new FormData();
    }
  } else {
    form = await request.formData();
  }
  if (!tooBig) requireCsrf(request, form);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManageEvidence(relation, bid)) throw redirect(`/bids/${bid.id}`);
  if (tooBig) return data({ errors: { file: TOO_BIG } as Record<string, string>, values: { type: "" } }, { status: 413 });
  if (form.get("intent") === "remove") {
    await removeDocument(bid, String(form.get("documentId") ?? ""));
    return redirect(`/bids/${bid.id}/evidence`);
  }
  const type = String(form.get("type") ?? "");
  const file = form.get("file");
  const upload =
    file && typeof file === "object" && "arrayBuffer" in file
      ? { name: (file as File).name ?? "", bytes: new Uint8Array(await (file as File).arrayBuffer()) }
      : null;
  if (upload) {
    const refusal = await uploadRefusal(user.id);
    if (refusal) return data({ errors: { file: refusal } as Record<string, string>, values: { type } }, { status: 429 });
  }
  const result = await addDocument(user, bid, type, upload);
  if ("errors" in result) return data({ errors: result.errors, values: { type } }, { status: 400 });
  return redirect(`/bids/${bid.id}/evidence?uploaded=1`);
}

export default function EvidencePage() {
  const { bid, documents, types, accepted, uploaded } = useLoaderData<typeof loader>();
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
            <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="uploaded-title" data-module="govuk-notification-banner">
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id="uploaded-title">
                  Success
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <p className="govuk-notification-banner__heading">Your document has been uploaded.</p>
              </div>
            </div>
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
            <div className={`govuk-form-group${result?.errors.file ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label" htmlFor="file">
                Upload a file
              </label>
              <div id="file-hint" className="govuk-hint">
                {`It must be ${accepted}, smaller than 10MB.`}
              </div>
              {result?.errors.file ? (
                <p id="file-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {result.errors.file}
                </p>
              ) : null}
              <input
                className={`govuk-file-upload${result?.errors.file ? " govuk-file-upload--error" : ""}`}
                id="file"
                name="file"
                type="file"
                aria-describedby={`file-hint${result?.errors.file ? " file-error" : ""}`}
              />
            </div>
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
