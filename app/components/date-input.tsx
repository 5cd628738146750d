import type { ReactNode } from "react";

/**
 * The GOV.UK date input: day, month and year boxes named `<name>-day`, `<name>-month` and
 * `<name>-year`, grouped in a fieldset whose legend is the question.
 */
export function DateInput(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  values?: { day: string; month: string; year: string };
  legendClass?: string;
}) {
  const hintId = `${props.name}-hint`;
  const errorId = props.error ? `${props.name}-error` : "";
  const parts = [
    { part: "day", label: "Day", width: 2 },
    { part: "month", label: "Month", width: 2 },
    { part: "year", label: "Year", width: 4 },
  ] as const;
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}>
        <legend className={`govuk-fieldset__legend ${props.legendClass ?? "govuk-fieldset__legend--s"}`}>{props.legend}</legend>
        <div id={hintId} className="govuk-hint">
          {props.hint ?? "For example, 27 3 2027"}
        </div>
        {props.error ? (
          <p id={errorId} className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {props.error}
          </p>
        ) : null}
        <div className="govuk-date-input" id={props.name}>
          {parts.map(({ part, label, width }) => (
            <div className="govuk-date-input__item" key={part}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={`${props.name}-${part}`}>
                  {label}
                </label>
                <input
                  className={`govuk-input govuk-date-input__input govuk-input--width-${width}${props.error ? " govuk-input--error" : ""}`}
                  id={`${props.name}-${part}`}
                  name={`${props.name}-${part}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={props.values?.[part]}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
