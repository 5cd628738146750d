import { Fragment, type ReactNode } from "react";
import { HintAndError } from "./forms.tsx";

export interface ChoiceItem {
  value: string;
  text: ReactNode;
  hint?: ReactNode;
  /** Shown under the choice when it is chosen (always shown without JavaScript). */
  conditional?: ReactNode;
}

/**
 * The GOV.UK radios: one question in a fieldset, its legend the question. The first radio's
 * id is the field's name (the others `name-2`, `name-3`...) so an error-summary link `#name`
 * lands on a control that can take focus, as GOV.UK Frontend does.
 */
export function Radios(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  items: ChoiceItem[];
  value?: string;
  inline?: boolean;
  small?: boolean;
  legendClass?: string;
  legendIsHeading?: boolean;
}) {
  const classes = ["govuk-radios", props.inline ? "govuk-radios--inline" : "", props.small ? "govuk-radios--small" : ""].filter(Boolean).join(" ");
  return (
    <ChoiceGroup {...props}>
      <div className={classes} data-module="govuk-radios">
        {props.items.map((item, index) => {
          const id = itemId(props.name, index);
          const hintId = item.hint ? `${id}-item-hint` : undefined;
          const conditionalId = item.conditional ? `conditional-${id}` : undefined;
          const checked = props.value !== undefined && props.value === item.value;
          return (
            <Fragment key={item.value}>
              <div className="govuk-radios__item">
                <input
                  data-aria-controls={conditionalId}
                  className="govuk-radios__input"
                  id={id}
                  name={props.name}
                  type="radio"
                  value={item.value}
                  defaultChecked={checked}
                  aria-describedby={hintId}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={id}>
                  {item.text}
                </label>
                {item.hint ? (
                  <div id={hintId} className="govuk-hint govuk-radios__hint">
                    {item.hint}
                  </div>
                ) : null}
              </div>
              {item.conditional ? (
                <div className={`govuk-radios__conditional${checked ? "" : " govuk-radios__conditional--hidden"}`} id={conditionalId}>
                  {item.conditional}
                </div>
              ) : null}
            </Fragment>
          );
        })}
      </div>
    </ChoiceGroup>
  );
}

export function itemId(name: string, index: number) {
  return index === 0 ? name : `${name}-${index + 1}`;
}

/**
 * The form group and fieldset around a set of radios or checkboxes. The fieldset, not each
 * control, is described by the hint and the error: a screen reader announces them once, on
 * entering the group.
 */
export function ChoiceGroup(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  legendClass?: string;
  legendIsHeading?: boolean;
  children: ReactNode;
}) {
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const errorId = props.error ? `${props.name}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const legendClass = props.legendClass ?? (props.legendIsHeading ? "govuk-fieldset__legend--l" : "govuk-fieldset__legend--s");
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className={`govuk-fieldset__legend ${legendClass}`}>
          {props.legendIsHeading ? <h1 className="govuk-fieldset__heading">{props.legend}</h1> : props.legend}
        </legend>
        <HintAndError hint={props.hint} hintId={hintId} error={props.error} errorId={errorId} />
        {props.children}
      </fieldset>
    </div>
  );
}
