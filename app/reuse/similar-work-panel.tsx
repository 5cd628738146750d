import { Form } from "@remix-run/react";
import { adoptersText, type SimilarWorkItem } from "./similar-work.ts";
import { CsrfInput } from "~/components/forms.tsx";

/**
 * Funded work like the bid. For the bid's own council (`bidId` given) it is "similar work"
 * with the actions beside each item, each a plain form or link so that it works without
 * JavaScript; for the fund team and assessors it names the work the bid resembles, so that
 * duplication is asked about on purpose.
 */
export function SimilarWork({ items, bidId, audience }: { items: SimilarWorkItem[]; bidId?: string; audience: "council" | "reviewer" }) {
  const council = audience === "council";
  return (
    <section className="app-similar-work" aria-labelledby="similar-work-heading" data-testid="similar-work">
      <h2 className="govuk-heading-m" id="similar-work-heading">
        {council ? "Similar work already funded" : "Funded work this bid resembles"}
      </h2>
      {items.length === 0 ? (
        <p className="govuk-body">
          {council
            ? "No funded project or published case study shares enough with what you have written so far. This list changes as you answer the summary, problem and approach sections."
            : "No funded project or published case study shares enough with this bid's summary, problem and approach."}
        </p>
      ) : (
        <>
          <p className="govuk-body">
            {council
              ? "These funded projects and case studies share words with what you have written so far (shown in bold). Adopting or learning from one may be quicker than starting again."
              : "These funded projects and case studies share words with this bid's summary, problem and approach (shown in bold). Ask whether the bid repeats them, builds on them or could adopt them."}
          </p>
          <ul className="govuk-list">
            {items.map((item) => (
              <li key={item.projectId} className="app-similar-work__item">
                <h3 className="govuk-heading-s govuk-!-margin-bottom-2">
                  <a className="govuk-link" href={item.href}>
                    {item.title}
                  </a>
                </h3>
                <p className="govuk-body-s govuk-!-margin-bottom-2">
                  <strong className={`govuk-tag govuk-tag--${item.stage.tag}`}>{item.stage.text}</strong> Led by {item.lead}
                  {item.serviceArea ? `, ${item.serviceArea.toLowerCase()}` : ""}.{item.scale ? ` ${adoptersText(item.scale.adopters)}.` : ""}
                </p>
                {item.snippet.length ? (
                  <p className="govuk-body govuk-!-margin-bottom-2">
                    {item.snippet.map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                  </p>
                ) : null}
                {item.sharedWords.length ? <p className="govuk-body-s govuk-!-margin-bottom-2">Words in common: {item.sharedWords.join(", ")}</p> : null}
                {item.caseStudy ? (
                  <p className="govuk-body-s govuk-!-margin-bottom-2">
                    <a className="govuk-link" href={item.caseStudy.href}>
                      Read the case study<span className="govuk-visually-hidden"> of {item.caseStudy.title}</span>
                    </a>
                  </p>
                ) : null}
                {council && bidId && (item.canAdopt || item.canContact || item.adoptionHref) ? (
                  <div className="app-similar-work__actions">
                    {item.canAdopt ? (
                      <Form method="post" action={`/bids/${bidId}/similar/${item.projectId}`}>
                        <CsrfInput />
                        <button type="submit" name="intent" value="adopt" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                          Ask to adopt<span className="govuk-visually-hidden"> {item.title}</span>
                        </button>
                      </Form>
                    ) : null}
                    {item.adoptionHref ? (
                      <a className="govuk-link govuk-body-s" href={item.adoptionHref}>
                        See your council&apos;s adoption<span className="govuk-visually-hidden"> of {item.title}</span>
                      </a>
                    ) : null}
                    {item.canContact ? (
                      <a className="govuk-link govuk-body-s" href={`/bids/${bidId}/similar/${item.projectId}`}>
                        Contact the lead council<span className="govuk-visually-hidden"> of {item.title}</span>
                      </a>
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
