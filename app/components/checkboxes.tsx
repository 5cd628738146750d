import type { ReactNode } from "react";
import { ChoiceGroup, itemId, type ChoiceItem } from "./radios.tsx";

/**
 * The GOV.UK checkboxes: several answers to one question, all under the one name. The first
 * checkbox's id is the name so an error-summary link `#name` lands on it.
 */
export function Checkboxes(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  items: ChoiceItem[];
  values?: string[];
  small?: boolean;
  legendClass?: string;
}) {
  return (
    <ChoiceGroup {...props}>
      <div className={`govuk-checkboxes${props.small ? " govuk-checkboxes--small" : ""}`} data-module="govuk-checkboxes">
        {props.items.map((item, index) => {
          const id = itemId(props.name, index);
          const hintId = item.hint ? `${id}-item-hint` : undefined;
          return (
            <div className="govuk-checkboxes__item" key={item.value}>
              <input
                className="govuk-checkboxes__input"
                id={id}
                name={props.name}
                type="checkbox"
                value={item.value}
                defaultChecked={props.values?.includes(item.value) ?? false}
                aria-describedby={hintId}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                {item.text}
              </label>
              {item.hint ? (
                <div id={hintId} className="govuk-hint govuk-checkboxes__hint">
                  {item.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </ChoiceGroup>
  );
}
