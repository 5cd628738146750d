import { Form } from "@remix-run/react";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { CsrfInput, TextInput, type FieldErrors } from "~/components/forms.tsx";
import { Radios } from "~/components/radios.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import type { FormValues } from "~/rounds/setup.ts";
import { organisationKindLabels, participantKinds, stageLabels, stages } from "../../workflows/rules.ts";
import { MAX_APPROVERS, MAX_TIERS, type fundSummaryRows } from "./setup.ts";

const str = (values: FormValues, name: string) => {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
};
const many = (values: FormValues, name: string) => {
  const v = values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
};

const kindOptions = participantKinds.map((k) => {
  const label = organisationKindLabels[k]!.many;
  return { value: k, text: label.charAt(0).toUpperCase() + label.slice(1) };
});

/**
 * The fund form, for a new fund and for changing one. Works without JavaScript: a fixed
 * number of tier rows, blank ones ignored.
 */
export function FundForm({
  values,
  errors,
  saveText,
  evidence,
}: {
  values: FormValues;
  errors?: FieldErrors | null;
  saveText: string;
  /** The evidence items a tier can require: the fund's evidence labels. */
  evidence: { value: string; text: string }[];
}) {
  const e = errors ?? {};
  const field = (name: string, label: string, hint?: string, className?: string, inputMode?: "numeric" | "decimal" | "text") => (
    <TextInput name={name} label={label} hint={hint} defaultValue={str(values, name)} error={e[name]} className={className} inputMode={inputMode} />
  );
  return (
    <Form method="post" noValidate>
      <CsrfInput />
      <h2 className="govuk-heading-m">The fund</h2>
      {field("name", "Name of the fund", "For example, Local Digital Fund")}
      {field(
        "slug",
        "Web address",
        "Lowercase letters, numbers and hyphens, like local-digital-fund. Leave blank to make one from the name.",
        "govuk-input--width-20",
      )}
      <Textarea
        name="summary"
        label="Summary"
        hint="Shown at the top of every round's page."
        defaultValue={str(values, "summary")}
        error={e.summary}
        rows={4}
      />

      <h2 className="govuk-heading-m">Money</h2>
      {field("budget", "Usual budget for a round, in pounds", "New rounds start with this budget. For example, £2,500,000", "govuk-input--width-10", "decimal")}
      {stages.map((s) => (
        <div key={s}>
          {field(
            `cap-${s}`,
            `Most a ${stageLabels[s].toLowerCase()} bid can ask for, in pounds`,
            "It cannot be more than the usual budget for a round.",
            "govuk-input--width-10",
            "decimal",
          )}
        </div>
      ))}

      <h2 className="govuk-heading-m">Governance tiers</h2>
      <div className={`govuk-form-group${e.tiers ? " govuk-form-group--error" : ""}`}>
        <p className="govuk-body">
          A project's tier comes from its cumulative funding, including the tranche its next gate would release. The tier decides who must approve the gate and
          what evidence must be attached. Up to {MAX_TIERS} tiers, lowest first; the top tier has no limit. Leave rows you do not need blank.
        </p>
        {e.tiers ? (
          <p id="tiers-error" className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {e.tiers}
          </p>
        ) : null}
        {Array.from({ length: MAX_TIERS }, (_, i) => (
          <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={i}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Tier row {i + 1}</legend>
            {field(`tier-${i}-upTo`, "Covers cumulative funding up to, in pounds", "Leave blank for the top tier.", "govuk-input--width-10", "decimal")}
            {field(`tier-${i}-approvers`, "Gate approvers who must vote", `A whole number from 1 to ${MAX_APPROVERS}.`, "govuk-input--width-3", "numeric")}
            <Checkboxes
              name={`tier-${i}-quorum`}
              legend="Quorum also needs"
              hint="Select all that apply."
              items={[
                { value: "senior", text: "A senior approver among them" },
                { value: "finance", text: "Finance sign-off from the fund team" },
              ]}
              values={many(values, `tier-${i}-quorum`)}
              small
            />
            {stages.map((s) => (
              <Checkboxes
                key={s}
                name={`tier-${i}-evidence-${s}`}
                legend={`Evidence needed at the ${stageLabels[s].toLowerCase()} gate`}
                hint="Select all that apply."
                items={evidence}
                values={many(values, `tier-${i}-evidence-${s}`)}
                small
              />
            ))}
          </fieldset>
        ))}
      </div>

      <h2 className="govuk-heading-m">Reminders</h2>
      {field(
        "roundClosingDays",
        "Days before a round closes to remind councils with a draft bid",
        "A whole number from 1 to 90.",
        "govuk-input--width-3",
        "numeric",
      )}
      {field("gateDueDays", "Days before a planned gate review to remind the project team", "A whole number from 1 to 90.", "govuk-input--width-3", "numeric")}
      {field(
        "conditionDueDays",
        "Days before a gate condition is due to remind the project team",
        "A whole number from 1 to 90.",
        "govuk-input--width-3",
        "numeric",
      )}

      <h2 className="govuk-heading-m">Who can bid</h2>
      <Radios
        name="declarationRequired"
        legend="Must every council have signed the Local Digital Declaration?"
        items={[
          { value: "yes", text: "Yes" },
          { value: "no", text: "No" },
        ]}
        value={str(values, "declarationRequired")}
        error={e.declarationRequired}
        inline
      />
      {field("minCouncils", "Fewest councils in a partnership, including the lead", undefined, "govuk-input--width-3", "numeric")}
      {field("maxLeadBidsPerCouncilPerRound", "Most bids one council may lead in a round", undefined, "govuk-input--width-3", "numeric")}
      <Checkboxes
        name="leadKinds"
        legend="Who may lead a bid"
        hint="Select all that apply."
        items={kindOptions}
        values={many(values, "leadKinds")}
        error={e.leadKinds}
        small
      />
      <Checkboxes
        name="partnerKinds"
        legend="Who may be a partner"
        hint="Select all that apply."
        items={kindOptions}
        values={many(values, "partnerKinds")}
        error={e.partnerKinds}
        small
      />

      <button type="submit" id="save-fund" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
        {saveText}
      </button>
    </Form>
  );
}

/** A fund's settings as a check-your-answers page shows them. */
export function FundSummary({ summary, changeHref }: { summary: ReturnType<typeof fundSummaryRows>; changeHref?: string }) {
  const change = (what: string) => (changeHref ? { href: changeHref, text: "Change", visuallyHidden: what } : undefined);
  return (
    <>
      <h2 className="govuk-heading-m">The fund</h2>
      <SummaryList rows={summary.fund.map((r) => ({ ...r, action: change(r.key.toLowerCase()) }))} />
      <h2 className="govuk-heading-m">Money</h2>
      <SummaryList rows={summary.money.map((r) => ({ ...r, action: change(r.key.toLowerCase()) }))} />
      <h2 className="govuk-heading-m">Governance tiers</h2>
      {summary.tiers.map((t) => (
        <section key={t.tier} aria-labelledby={`tier-${t.tier}-heading`}>
          <h3 className="govuk-heading-s" id={`tier-${t.tier}-heading`}>
            Tier {t.tier}
          </h3>
          <SummaryList
            rows={[
              { key: "Covers", value: t.range, action: change(`tier ${t.tier} limit`) },
              { key: "Quorum", value: t.quorum, action: change(`tier ${t.tier} quorum`) },
              ...t.evidence.map((ev) => ({
                key: `Evidence at the ${ev.stage.toLowerCase()} gate`,
                value: ev.items.length ? (
                  <ul className="govuk-list">
                    {ev.items.map((item) => (
                      <li key={item}>{item}</li>
                    ))}
                  </ul>
                ) : (
                  "None"
                ),
                action: change(`tier ${t.tier} evidence at the ${ev.stage.toLowerCase()} gate`),
              })),
            ]}
          />
        </section>
      ))}
      <h2 className="govuk-heading-m">Reminders</h2>
      <SummaryList rows={summary.reminders.map((r) => ({ ...r, action: change(`reminder ${r.key.toLowerCase()}`) }))} />
      <h2 className="govuk-heading-m">Who can bid</h2>
      <SummaryList rows={summary.whoCanBid.map((r) => ({ ...r, action: change(r.key.toLowerCase()) }))} />
    </>
  );
}
