import type { ReactNode } from "react";
import { FieldGroup } from "./forms.tsx";

/**
 * The GOV.UK file upload. A browser never refills a file input, so after a refused submit
 * the error (and the hint) must say what to choose again.
 */
export function FileUpload(props: { name: string; label: ReactNode; hint?: ReactNode; error?: string; accept?: string }) {
  return (
    <FieldGroup name={props.name} label={props.label} hint={props.hint} error={props.error}>
      {(describedBy) => (
        <input
          className={`govuk-file-upload${props.error ? " govuk-file-upload--error" : ""}`}
          id={props.name}
          name={props.name}
          type="file"
          accept={props.accept}
          aria-describedby={describedBy}
        />
      )}
    </FieldGroup>
  );
}
