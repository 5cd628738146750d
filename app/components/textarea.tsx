import type { ReactNode } from "react";

/** GOV.UK textarea with its label, hint and error message. */
export function Textarea(props: { name: string; label: ReactNode; hint?: ReactNode; error?: string; defaultValue?: string; rows?: number; labelClass?: string }) {
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const errorId = props.error ? `${props.name}-error` : undefined;
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      <label className={`govuk-label${props.labelClass ? ` ${props.labelClass}` : " govuk-label--s"}`} htmlFor={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div id={hintId} className="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p id={errorId} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {props.error}
        </p>
      ) : null}
      <textarea
        className={`govuk-textarea${props.error ? " govuk-textarea--error" : ""}`}
        id={props.name}
        name={props.name}
        rows={props.rows ?? 5}
        defaultValue={props.defaultValue}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      />
    </div>
  );
}
