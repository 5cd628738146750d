import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Checkboxes as SharedCheckboxes } from "~/components/checkboxes.tsx";
import { CsrfInput, TextInput, type FieldErrors } from "~/components/forms.tsx";
import { Radios as SharedRadios } from "~/components/radios.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { organisationKindLabels, participantKinds, stageLabels, stages } from "../../workflows/rules.ts";
import { assessorChoices, MAX_CRITERIA, MAX_SCALE_POINTS, type FormValues } from "./setup.ts";

/** The order fields appear in, for the error summary. */
export function fieldOrder(): string[] {
  const order = ["fund", "name", "slug", "stage", "opensAt", "closesAt", "assessmentDueAt", "budget", "cap", "guidance", "criteria"];
  for (let i = 0; i < MAX_CRITERIA; i++) order.push(`criterion-${i}-label`, `criterion-${i}-weight`, `criterion-${i}-guidance`);
  order.push("scale");
  for (let i = 0; i < MAX_SCALE_POINTS; i++) order.push(`scale-${i}-score`, `scale-${i}-label`);
  order.push(
    "assessorsPerBid",
    "disagreementThreshold",
    "declarationRequired",
    "minCouncils",
    "maxLeadBidsPerCouncilPerRound",
    "leadKinds",
    "partnerKinds",
    "form",
  );
  return order;
}

/**
 * Where the error summary's links go for errors about a group of boxes rather than one: the
 * group's first box, or for a refusal of the whole form, its save button.
 */
export const fieldTargets: Record<string, string> = { criteria: "criterion-0-label", scale: "scale-0-score", form: "save-round" };

const str = (values: FormValues, name: string) => {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
};
const many = (values: FormValues, name: string) => {
  const v = values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
};

function ErrorMessage({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null;
}

function Fieldset(props: { legend: ReactNode; hint?: ReactNode; name: string; error?: string; children: ReactNode; id?: string }) {
  const describedBy = [props.hint ? `${props.name}-hint` : "", props.error ? `${props.name}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`} id={props.id}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? (
          <div className="govuk-hint" id={`${props.name}-hint`}>
            {props.hint}
          </div>
        ) : null}
        <ErrorMessage id={`${props.name}-error`} error={props.error} />
        {props.children}
      </fieldset>
    </div>
  );
}

function DateInput({ name, legend, hint, values, error }: { name: string; legend: string; hint: string; values: FormValues; error?: string }) {
  const part = (p: string, label: string, width: string, first = false) => (
    <div className="govuk-date-input__item">
      <div className="govuk-form-group">
        <label className="govuk-label govuk-date-input__label" htmlFor={first ? name : `${name}-${p}`}>
          {label}
        </label>
        <input
          className={`govuk-input govuk-date-input__input ${width}${error ? " govuk-input--error" : ""}`}
          id={first ? name : `${name}-${p}`}
          name={`${name}-${p}`}
          type="text"
          inputMode={p === "time" ? "text" : "numeric"}
          defaultValue={str(values, `${name}-${p}`)}
        />
      </div>
    </div>
  );
  return (
    <Fieldset legend={legend} hint={hint} name={name} error={error}>
      <div className="govuk-date-input">
        {part("day", "Day", "govuk-input--width-2", true)}
        {part("month", "Month", "govuk-input--width-2")}
        {part("year", "Year", "govuk-input--width-4")}
        {part("time", "Time", "govuk-input--width-5")}
      </div>
    </Fieldset>
  );
}

// The shared components, given the value typed from the form's values.
function Radios({
  options,
  values,
  ...props
}: {
  name: string;
  legend: string;
  hint?: string;
  options: { value: string; text: string }[];
  values: FormValues;
  error?: string;
  inline?: boolean;
}) {
  return <SharedRadios {...props} items={options} value={str(values, props.name)} />;
}

function Checkboxes({
  options,
  values,
  ...props
}: {
  name: string;
  legend: string;
  options: { value: string; text: string }[];
  values: FormValues;
  error?: string;
}) {
  return <SharedCheckboxes {...props} hint="Select all that apply." items={options} values={many(values, props.name)} small />;
}

const kindOptions = participantKinds.map((k) => {
  const label = organisationKindLabels[k]!.many;
  return { value: k, text: label.charAt(0).toUpperCase() + label.slice(1) };
});

/**
 * The round settings form, for a new round and for editing one. Works without JavaScript:
 * a fixed number of criterion and scale rows, blank ones ignored. "Preview" sends the same
 * form back and shows what applicants would see, keeping everything typed.
 */
export function RoundSetupForm({
  values,
  errors,
  funds,
  saveText,
  locked,
  hidden,
}: {
  values: FormValues;
  errors?: FieldErrors | null;
  funds?: { id: string; name: string }[];
  saveText: string;
  locked?: string[];
  hidden?: Record<string, string>;
}) {
  const e = errors ?? {};
  const field = (name: string, label: string, hint?: string, className?: string, inputMode?: "numeric" | "decimal" | "text") => (
    <TextInput name={name} label={label} hint={hint} defaultValue={str(values, name)} error={e[name]} className={className} inputMode={inputMode} />
  );
  return (
    <Form method="post" noValidate>
      <CsrfInput />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      {locked?.length ? (
        <div className="govuk-inset-text">
          <p className="govuk-body">Some settings can no longer change, so that every bid is judged by the rules it was made under:</p>
          <ul className="govuk-list govuk-list--bullet">
            {locked.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2 className="govuk-heading-m">The round</h2>
      {funds ? <Radios name="fund" legend="Fund" options={funds.map((f) => ({ value: f.id, text: f.name }))} values={values} error={e.fund} /> : null}
      {field("name", "Name of the round", "For example, Pilot round 2027 to 2028")}
      {field("slug", "Web address", "Lowercase letters, numbers and hyphens, like pilot-2027. Leave blank to make one from the name.", "govuk-input--width-20")}
      <Radios
        name="stage"
        legend="Stage the round funds"
        options={stages.map((s) => ({ value: s, text: stageLabels[s] }))}
        values={values}
        error={e.stage}
        inline
      />
      <DateInput
        name="opensAt"
        legend="When the round opens"
        hint="For example, 27 3 2027 and 9am. All times are UK time; a blank time means midday."
        values={values}
        error={e.opensAt}
      />
      <DateInput
        name="closesAt"
        legend="When the round closes"
        hint="Nothing can be submitted after this. For example, 30 4 2027 and 12pm."
        values={values}
        error={e.closesAt}
      />
      <DateInput
        name="assessmentDueAt"
        legend="When assessments are due (optional)"
        hint="After this, an unfinished assessment shows as overdue. It must be after the round closes."
        values={values}
        error={e.assessmentDueAt}
      />
      {field("budget", "Budget for the round, in pounds", "For example, £2,500,000", "govuk-input--width-10", "decimal")}
      {field("cap", "Most a bid can ask for, in pounds", "For example, £350,000. It cannot be more than the budget.", "govuk-input--width-10", "decimal")}
      <Textarea
        name="guidance"
        label="Guidance for applicants"
        hint="Shown on the round's page. Leave a blank line between paragraphs."
        defaultValue={str(values, "guidance")}
        error={e.guidance}
        rows={8}
      />

      <h2 className="govuk-heading-m">How bids are assessed</h2>
      <div className={`govuk-form-group${e.criteria ? " govuk-form-group--error" : ""}`}>
        <p className="govuk-body">Up to {MAX_CRITERIA} criteria. Weights are percentages and must add up to 100. Leave rows you do not need blank.</p>
        <ErrorMessage id="criteria-error" error={e.criteria} />
        {Array.from({ length: MAX_CRITERIA }, (_, i) => (
          <fieldset className="govuk-fieldset govuk-!-margin-bottom-4" key={i}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Criterion {i + 1}</legend>
            {field(`criterion-${i}-label`, "Name", undefined, "govuk-input--width-20")}
            {field(`criterion-${i}-weight`, "Weight (%)", undefined, "govuk-input--width-3", "numeric")}
            {field(`criterion-${i}-guidance`, "Guidance for assessors and applicants (optional)")}
          </fieldset>
        ))}
      </div>

      <div className={`govuk-form-group${e.scale ? " govuk-form-group--error" : ""}`}>
        <h3 className="govuk-heading-s">Scoring scale</h3>
        <p className="govuk-body">Give every score from the lowest to the highest a label, like 0 No evidence to 5 Excellent.</p>
        <ErrorMessage id="scale-error" error={e.scale} />
        {Array.from({ length: MAX_SCALE_POINTS }, (_, i) => (
          <fieldset className="govuk-fieldset" key={i}>
            <legend className="govuk-fieldset__legend govuk-visually-hidden">Scale point {i + 1}</legend>
            <div className="govuk-grid-row">
              <div className="govuk-grid-column-one-quarter">
                {field(`scale-${i}-score`, `Score, row ${i + 1}`, undefined, "govuk-input--width-3", "numeric")}
              </div>
              <div className="govuk-grid-column-three-quarters">{field(`scale-${i}-label`, `Label, row ${i + 1}`, undefined, "govuk-input--width-20")}</div>
            </div>
          </fieldset>
        ))}
      </div>

      <Radios
        name="assessorsPerBid"
        legend="Assessors per bid"
        hint="How many independent assessors score each bid."
        options={assessorChoices.map((n) => ({ value: String(n), text: String(n) }))}
        values={values}
        error={e.assessorsPerBid}
        inline
      />
      {field(
        "disagreementThreshold",
        "Moderation threshold, in points",
        "A bid goes to moderation when its assessors' scores for a criterion differ by more than this.",
        "govuk-input--width-3",
        "numeric",
      )}

      <h2 className="govuk-heading-m">Who can bid</h2>
      <Radios
        name="declarationRequired"
        legend="Must every council have signed the Local Digital Declaration?"
        options={[
          { value: "yes", text: "Yes" },
          { value: "no", text: "No" },
        ]}
        values={values}
        error={e.declarationRequired}
        inline
      />
      {field("minCouncils", "Fewest councils in a partnership, including the lead", undefined, "govuk-input--width-3", "numeric")}
      {field("maxLeadBidsPerCouncilPerRound", "Most bids one council may lead in this round", undefined, "govuk-input--width-3", "numeric")}
      <Checkboxes name="leadKinds" legend="Who may lead a bid" options={kindOptions} values={values} error={e.leadKinds} />
      <Checkboxes name="partnerKinds" legend="Who may be a partner" options={kindOptions} values={values} error={e.partnerKinds} />

      <div className="govuk-button-group">
        <button type="submit" name="intent" value="save" id="save-round" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
          {saveText}
        </button>
        <button type="submit" name="intent" value="preview" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Preview what applicants will see
        </button>
      </div>
    </Form>
  );
}
