import { useEffect, useRef, useState, type ReactNode } from "react";
import { FieldGroup } from "./forms.tsx";

/**
 * The GOV.UK file upload. A browser never refills a file input, so after a refused submit
 * the error (and the hint) must say what to choose again.
 *
 * With `maxBytes`, a browser running the page's script refuses a file over the limit as soon
 * as it is chosen, in the server's words (`tooBig`), and does not send it: the server still
 * refuses it without the script, so this only saves the wait for a large upload.
 */
export function FileUpload(props: { name: string; label: ReactNode; hint?: ReactNode; error?: string; accept?: string; maxBytes?: number; tooBig?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [tooBig, setTooBig] = useState(false);
  const { maxBytes } = props;
  const over = () => {
    const file = input.current?.files?.[0];
    return maxBytes !== undefined && file !== undefined && file.size > maxBytes;
  };
  useEffect(() => {
    const form = input.current?.form;
    if (!form || maxBytes === undefined) return;
    // A native listener runs before the router's own, which leaves a prevented submit alone.
    const stop = (event: SubmitEvent) => {
      if (!over()) return;
      event.preventDefault();
      setTooBig(true);
      input.current?.focus();
    };
    form.addEventListener("submit", stop);
    return () => form.removeEventListener("submit", stop);
  });
  const error = tooBig ? props.tooBig : props.error;
  return (
    <FieldGroup name={props.name} label={props.label} hint={props.hint} error={error}>
      {(describedBy) => (
        <input
          ref={input}
          className={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`}
          id={props.name}
          name={props.name}
          type="file"
          accept={props.accept}
          aria-describedby={describedBy}
          onChange={() => setTooBig(over())}
        />
      )}
    </FieldGroup>
  );
}

/** The hint beside a document type select: which files fit each type (app/storage/document-kinds.ts). */
export function FitsHint({ fits }: { fits: { type: string; fits: string }[] }) {
  return (
    <>
      Each type of document must be a kind of file that fits it:
      <ul className="govuk-list govuk-list--bullet govuk-hint govuk-!-margin-bottom-0">
        {fits.map((f) => (
          <li key={f.type}>
            {f.type}: {f.fits}
          </li>
        ))}
      </ul>
    </>
  );
}
