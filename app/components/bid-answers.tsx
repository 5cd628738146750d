import { SummaryList } from "./summary-list.tsx";

export interface AnswerSection {
  key: string;
  title: string;
  complete: boolean;
  rows: { label: string; value: string }[];
}

/** Every section's answers as GOV.UK summary lists, with Change links where the section is editable. */
export function BidAnswers({
  sections,
  changeHref,
  marked,
}: {
  sections: AnswerSection[];
  changeHref?: (key: string) => string | null;
  /** A tag for a section, by its title ("Changed since you scored it"), or null for none. */
  marked?: (title: string) => string | null;
}) {
  return (
    <>
      {sections.map((section) => {
        const href = changeHref?.(section.key) ?? null;
        const mark = marked?.(section.title) ?? null;
        return (
          <div className="govuk-summary-card" key={section.key}>
            <div className="govuk-summary-card__title-wrapper">
              <h2 className="govuk-summary-card__title">
                {section.title}
                {mark ? (
                  <>
                    {" "}
                    <strong className="govuk-tag govuk-tag--orange">{mark}</strong>
                  </>
                ) : null}
              </h2>
              {href ? (
                <ul className="govuk-summary-card__actions">
                  <li className="govuk-summary-card__action">
                    <a className="govuk-link" href={href}>
                      Change<span className="govuk-visually-hidden"> {section.title.toLowerCase()}</span>
                    </a>
                  </li>
                </ul>
              ) : null}
            </div>
            <div className="govuk-summary-card__content">
              <SummaryList
                rows={section.rows.map((row) => ({ key: row.label, value: <span className="app-preserve-lines">{row.value || "Not answered"}</span> }))}
              />
            </div>
          </div>
        );
      })}
    </>
  );
}
