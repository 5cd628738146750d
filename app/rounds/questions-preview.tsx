import { limitText } from "~/bid-form/questions.ts";

export interface PreviewSection {
  key: string;
  title: string;
  questions: {
    key: string;
    label: string;
    hint: string;
    kind: "short" | "long";
    limit: number;
    unit: "words" | "characters";
    required: boolean;
    criterionLabel: string | null;
  }[];
}

/**
 * A round's bid questions as councils will meet them, section by section, with the
 * criterion each one feeds (which only the fund team and assessors see).
 */
export function QuestionsPreview({ sections }: { sections: PreviewSection[] }) {
  return (
    <>
      <h2 className="govuk-heading-m">Bid questions</h2>
      <p className="govuk-body">Councils answer these questions in each section of their bid.</p>
      {sections.map((section) => (
        <div className="govuk-summary-card" key={section.key} data-testid={`preview-${section.key}`}>
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">{section.title}</h3>
          </div>
          <div className="govuk-summary-card__content">
            {section.questions.length === 0 ? (
              <p className="govuk-body">{section.key === "costs" ? "Councils list their costs line by line." : "No questions."}</p>
            ) : null}
            {section.questions.map((q) => (
              <div className="govuk-!-margin-bottom-4" key={q.key}>
                <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{q.required ? q.label : `${q.label} (optional)`}</p>
                <p className="govuk-hint govuk-!-margin-bottom-1">
                  {[q.hint, limitText({ max: q.limit, words: q.unit === "words" })].filter(Boolean).join(" ")}
                </p>
                <p className="govuk-body-s govuk-!-margin-bottom-0">
                  {q.kind === "long" ? "Long text answer" : "Short text answer"}
                  {q.criterionLabel ? `. Assessors read it for: ${q.criterionLabel}` : ""}
                </p>
              </div>
            ))}
          </div>
        </div>
      ))}
    </>
  );
}
