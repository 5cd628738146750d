export interface EligibilityRuleView {
  key: string;
  title: string;
  passes: boolean;
  explanation: string;
}

/** Which of the fund's rules this bid meets now, and why. */
export function EligibilityPanel({ rules, eligible }: { rules: EligibilityRuleView[]; eligible: boolean }) {
  return (
    <section aria-labelledby="eligibility-heading" className="app-eligibility">
      <h2 className="govuk-heading-m" id="eligibility-heading">
        Eligibility
      </h2>
      <p className="govuk-body">
        {eligible ? (
          <strong className="govuk-tag govuk-tag--green">Meets every rule</strong>
        ) : (
          <strong className="govuk-tag govuk-tag--red">Does not meet every rule yet</strong>
        )}
      </p>
      {/* Hand-written: SummaryList cannot put data-testid on the list or data-rule on a row, and tests/e2e/bids.spec.ts selects by both. */}
      <dl className="govuk-summary-list" data-testid="eligibility">
        {rules.map((rule) => (
          <div className="govuk-summary-list__row" key={rule.key} data-rule={rule.key} id={`rule-${rule.key}`} tabIndex={-1}>
            <dt className="govuk-summary-list__key">{rule.title}</dt>
            <dd className="govuk-summary-list__value">
              <strong className={`govuk-tag govuk-tag--${rule.passes ? "green" : "red"}`}>{rule.passes ? "Passes" : "Fails"}</strong>
              <p className="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{rule.explanation}</p>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
