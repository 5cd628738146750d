import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";

export type FieldErrors = Record<string, string | undefined>;

/** The hidden CSRF field every POST form carries. */
export function CsrfInput() {
  const data = useRouteLoaderData<{ csrfToken: string }>("root");
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}

/** GOV.UK error summary: focus moves here on a failed submission; each link goes to its field. */
export function ErrorSummary({ errors, order }: { errors?: FieldErrors | null; order?: string[] }) {
  if (!errors) return null;
  const keys = (order ?? Object.keys(errors)).filter((key) => errors[key]);
  if (!keys.length) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} autoFocus>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {keys.map((key) => (
              <li key={key}>
                <a href={`#${key}`}>{errors[key]}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/**
 * The GOV.UK form group around one control: its label, hint and error message, with the
 * control told (through aria-describedby) which of them describe it.
 */
export function FieldGroup(props: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  labelClass?: string;
  labelIsHeading?: boolean;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const errorId = props.error ? `${props.name}-error` : undefined;
  const label = (
    <label className={`govuk-label${props.labelClass ? ` ${props.labelClass}` : ""}`} htmlFor={props.name}>
      {props.label}
    </label>
  );
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      {props.labelIsHeading ? <h1 className="govuk-label-wrapper">{label}</h1> : label}
      <HintAndError hint={props.hint} hintId={hintId} error={props.error} errorId={errorId} />
      {props.children([hintId, errorId].filter(Boolean).join(" ") || undefined)}
    </div>
  );
}

/** The hint and the error message of a question, with the ids its control is described by. */
export function HintAndError(props: { hint?: ReactNode; hintId?: string; error?: string; errorId?: string }) {
  return (
    <>
      {props.hint ? (
        <div id={props.hintId} className="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p id={props.errorId} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {props.error}
        </p>
      ) : null}
    </>
  );
}

interface FieldProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  type?: string;
  autoComplete?: string;
  className?: string;
  labelIsHeading?: boolean;
  spellCheck?: boolean;
  list?: string;
  inputMode?: "text" | "numeric" | "decimal" | "email";
}

export function TextInput(props: FieldProps) {
  return (
    <FieldGroup {...props} labelClass={props.labelIsHeading ? "govuk-label--l" : undefined}>
      {(describedBy) => (
        <input
          className={`govuk-input${props.className ? ` ${props.className}` : ""}${props.error ? " govuk-input--error" : ""}`}
          id={props.name}
          name={props.name}
          type={props.type ?? "text"}
          defaultValue={props.defaultValue}
          autoComplete={props.autoComplete}
          spellCheck={props.spellCheck}
          list={props.list}
          inputMode={props.inputMode}
          aria-describedby={describedBy}
        />
      )}
    </FieldGroup>
  );
}

export function Select(props: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  options: { value: string; text: string }[];
}) {
  return (
    <FieldGroup {...props}>
      {(describedBy) => (
        <select
          className={`govuk-select${props.error ? " govuk-select--error" : ""}`}
          id={props.name}
          name={props.name}
          defaultValue={props.defaultValue}
          aria-describedby={describedBy}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      )}
    </FieldGroup>
  );
}
