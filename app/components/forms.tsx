import { useActionData, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";

export type FieldErrors = Record<string, string | undefined>;

/** The hidden CSRF field every POST form carries. */
export function CsrfInput() {
  const data = useRouteLoaderData<{ csrfToken: string }>("root");
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}

/**
 * GOV.UK error summary: focus moves here on a failed submission; each link goes to its field.
 * Give each error the id of the control it is about (a radio group's first radio, a date's
 * first box with the error, the button of a form whose refusal is about the form as a whole),
 * so that following the link puts the person on something they can change. `description`
 * is a refusal that no control answers for.
 */
export function ErrorSummary({
  errors,
  order,
  description,
  targets,
}: {
  errors?: FieldErrors | null;
  order?: string[];
  description?: ReactNode;
  /** Where an error's link goes when its key is not its control's id: a group's first box, say. */
  targets?: Record<string, string>;
}) {
  const keys = errors ? (order ?? Object.keys(errors)).filter((key) => errors[key]) : [];
  const ref = useRef<HTMLDivElement>(null);
  const shown = keys.length > 0 || Boolean(description);
  // Without JavaScript the browser focuses the summary from its autofocus attribute, and on a
  // page the server sent, GOV.UK Frontend focuses it as it starts. A form the client app
  // sends is answered without a new page, so neither happens: the summary is focused here
  // once for each answer the page's action gives (and not again when the page re-renders,
  // which would take the person away from the field they are correcting).
  const answer = useActionData();
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [answer, shown]);
  if (!shown) return null;
  return (
    // GOV.UK's error summary pattern: the summary takes focus when the page opens (autoFocus),
    // and the click handler only catches clicks on its links, which keyboards follow as well.
    // eslint-disable-next-line jsx-a11y/no-autofocus, jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions -- see above
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} autoFocus ref={ref} onClick={focusLinkedControl}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          {description ? <p className="govuk-body">{description}</p> : null}
          {keys.length ? (
            <ul className="govuk-list govuk-error-summary__list">
              {keys.map((key) => (
                <li key={key}>
                  <a href={`#${targets?.[key] ?? key}`}>{errors?.[key]}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/**
 * What GOV.UK Frontend's error summary does with a click on one of its links, for summaries
 * the client app renders (GOV.UK Frontend starts once, on the page the server sent): focus
 * the control and bring its question into view, rather than follow the link. Following it
 * would be a navigation to `#id`, which the client app's router answers by forgetting the
 * form's answer, and the errors with it.
 */
function focusLinkedControl(event: MouseEvent<HTMLDivElement>) {
  if (event.defaultPrevented || !(event.target instanceof HTMLAnchorElement)) return;
  const id = decodeURIComponent(event.target.hash.slice(1));
  const control = id ? document.getElementById(id) : null;
  if (!control) return;
  event.preventDefault();
  const question = control.closest("fieldset")?.querySelector("legend") ?? document.querySelector(`label[for="${CSS.escape(id)}"]`) ?? control;
  question.scrollIntoView();
  control.focus({ preventScroll: true });
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
