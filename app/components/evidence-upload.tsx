import { Form } from "@remix-run/react";
import { FileUpload, FitsHint } from "./file-upload.tsx";
import { CsrfInput, Select } from "./forms.tsx";

/** What the upload form shows, as app/storage/evidence-upload.server.ts gives it to a loader. */
export interface EvidenceUploadData {
  types: { value: string; text: string }[];
  fits: { type: string; fits: string }[];
  accepted: string;
  limit: string;
  maxBytes: number;
  tooBig: string;
}

/** A refused form as an action answers it: each field's error, and what was chosen. */
type Refusal = { errors?: Record<string, string> | null; values?: Record<string, string> } | undefined;

/**
 * The upload of one document of evidence: its type, then the file. The type comes before the
 * file, so it arrives first and is kept even when the file is too large to read.
 */
export function EvidenceUpload({
  form,
  typeLabel,
  result,
  back,
}: {
  form: EvidenceUploadData;
  typeLabel: string;
  result: Refusal;
  back?: { href: string; text: string };
}) {
  // Not data-prevent-double-click: a file refused in the browser as too large is a click the
  // button would count, and the person's next try (a smaller file, straight away) would be
  // swallowed as its double.
  const button = (
    <button type="submit" className="govuk-button" data-module="govuk-button">
      Upload
    </button>
  );
  return (
    <>
      <h2 className="govuk-heading-m">Upload a document</h2>
      <Form method="post" encType="multipart/form-data" noValidate>
        <CsrfInput />
        <Select
          name="type"
          label={typeLabel}
          hint={<FitsHint fits={form.fits} />}
          options={form.types}
          defaultValue={result?.values?.type}
          error={result?.errors?.type}
        />
        <FileUpload
          name="file"
          label="Upload a file"
          hint={`It must be ${form.accepted}, smaller than ${form.limit}.`}
          error={result?.errors?.file}
          maxBytes={form.maxBytes}
          tooBig={form.tooBig}
        />
        {back ? (
          <div className="govuk-button-group">
            {button}
            <a className="govuk-link" href={back.href}>
              {back.text}
            </a>
          </div>
        ) : (
          button
        )}
      </Form>
    </>
  );
}

/** The button that removes one uploaded document, named for a screen reader by its file. */
export function RemoveDocument({ id, fileName }: { id: string; fileName: string }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="documentId" value={id} />
      <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
        Remove<span className="govuk-visually-hidden"> {fileName}</span>
      </button>
    </Form>
  );
}
