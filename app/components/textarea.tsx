import type { ReactNode } from "react";
import { FieldGroup } from "./forms.tsx";

/** GOV.UK textarea with its label, hint and error message. */
export function Textarea(props: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  rows?: number;
  labelClass?: string;
}) {
  return (
    <FieldGroup {...props} labelClass={props.labelClass ?? "govuk-label--s"}>
      {(describedBy) => (
        <textarea
          className={`govuk-textarea${props.error ? " govuk-textarea--error" : ""}`}
          id={props.name}
          name={props.name}
          rows={props.rows ?? 5}
          defaultValue={props.defaultValue}
          aria-describedby={describedBy}
        />
      )}
    </FieldGroup>
  );
}
