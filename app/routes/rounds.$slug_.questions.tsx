import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { bidSections } from "~/bid-form/sections.ts";
import { FIXED, FROZEN, formValuesOf, LIMITS, questionKinds } from "~/bid-form/questions.ts";
import { CsrfInput, ErrorSummary, Select, TextInput } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { typedValues } from "~/forms/parse.server.ts";
import { changeQuestions, questionsFrozen, questionsView, roundForQuestions } from "~/rounds/questions.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { formatNumber } from "~/utils/format.ts";

const ROUTE = "routes/rounds.$slug_.questions" as const;

export const meta = titled<typeof loader>(({ data }) => [data?.editing ? "Change a question" : "Bid questions", data?.round.name]);

const notices = { added: "Question added", saved: "Question saved", removed: "Question removed", moved: "Question moved" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await roundForQuestions(params.slug);
  const view = questionsView(round);
  const url = new URL(request.url);
  const editKey = url.searchParams.get("edit");
  const editing = editKey ? (view.sections.flatMap((s) => s.questions).find((q) => q.key === editKey && !q.fixed) ?? null) : null;
  return {
    ...view,
    frozen: await questionsFrozen(round.id),
    notice: noticeFrom(request, notices),
    editing: editing ? { key: editing.key, label: editing.label, values: formValuesOf(editing) } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await roundForQuestions(params.slug);
  const values = typedValues(form);
  const outcome = await changeQuestions(round, values);
  if (!outcome.ok) return data(outcome, { status: 400 });
  const intent = values.intent;
  const notice = intent === "add" ? "added" : intent === "save" ? "saved" : intent === "remove" ? "removed" : "moved";
  return redirect(`/rounds/${round.slug}/questions?notice=${notice}`);
}

const emptyForm = { section: "", label: "", hint: "", kind: "", limit: "", required: "", criterion: "", key: "" };

export default function RoundQuestions() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { round, sections, criteria, frozen } = loaded;
  const errors = result && !result.ok ? result.errors : undefined;
  // A refused change comes back as it was typed; otherwise the question being changed, or a blank form.
  const editingKey = result && !result.ok ? result.editing : (loaded.editing?.key ?? null);
  const values: Record<string, string> = (result && !result.ok ? result.values : null) ?? loaded.editing?.values ?? emptyForm;
  const formErrors = errors ? Object.fromEntries(Object.entries(errors).filter(([k]) => k !== "form")) : undefined;
  const editingLabel = loaded.editing?.label ?? sections.flatMap((s) => s.questions).find((q) => q.key === editingKey)?.label;
  return (
    <>
      <a href={`/rounds/${round.slug}`} className="govuk-back-link">
        Back to {round.name}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={formErrors} order={result && !result.ok ? result.order.filter((k) => k !== "form") : undefined} description={errors?.form} />
          <SuccessNotice text={loaded.notice} />
          <span className="govuk-caption-l">{round.fund}</span>
          <h1 className="govuk-heading-l">Bid questions for {round.name}</h1>
          {frozen ? (
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                {FROZEN}
              </strong>
            </div>
          ) : (
            <p className="govuk-body">
              Councils answer these questions in each section of their bid. You can change them until the first bid is sent for sign-off. {FIXED}
            </p>
          )}
          <p className="govuk-body">
            <a className="govuk-link" href={`/rounds/${round.slug}/preview`}>
              Preview the round and its questions as councils see them
            </a>
          </p>

          {sections.map((section) => (
            <section key={section.key} aria-labelledby={`section-${section.key}`}>
              <h2 className="govuk-heading-m" id={`section-${section.key}`}>
                {section.title}
              </h2>
              {section.key === "costs" ? <p className="govuk-body">Councils also list their costs line by line in this section.</p> : null}
              {section.key === "evaluation" ? (
                <p className="govuk-body">Councils also give their metrics, with baselines and targets, in this section.</p>
              ) : null}
              {section.key === "partners" ? <p className="govuk-body">The partner councils are listed in this section too.</p> : null}
              {section.questions.length === 0 ? <p className="govuk-body">No questions in this section.</p> : null}
              {section.questions.map((q) => (
                <div className="govuk-summary-card" key={q.key} data-testid={`question-${q.key}`}>
                  <div className="govuk-summary-card__title-wrapper">
                    <h3 className="govuk-summary-card__title">{q.label}</h3>
                    {!frozen && !q.fixed ? (
                      <ul className="govuk-summary-card__actions">
                        <li className="govuk-summary-card__action">
                          <a className="govuk-link" href={`/rounds/${round.slug}/questions?edit=${q.key}#question-form`}>
                            Change<span className="govuk-visually-hidden"> {q.label}</span>
                          </a>
                        </li>
                      </ul>
                    ) : null}
                  </div>
                  <div className="govuk-summary-card__content">
                    <SummaryList
                      rows={[
                        { key: "Hint", value: q.hint || "None" },
                        { key: "Answer", value: `${q.kind === "long" ? "Long text" : "Short text"}, up to ${formatNumber(q.limit)} ${q.unit}` },
                        { key: "Required", value: q.required ? "Yes" : "No, councils can leave it blank" },
                        { key: "Evidence for", value: q.criterionLabel ?? "No criterion" },
                      ]}
                    />
                    {!frozen && !q.fixed ? (
                      <Form method="post" className="govuk-button-group">
                        <CsrfInput />
                        <input type="hidden" name="key" value={q.key} />
                        {q.canMoveUp ? (
                          <button type="submit" name="intent" value="up" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                            Move up<span className="govuk-visually-hidden"> {q.label}</span>
                          </button>
                        ) : null}
                        {q.canMoveDown ? (
                          <button type="submit" name="intent" value="down" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                            Move down<span className="govuk-visually-hidden"> {q.label}</span>
                          </button>
                        ) : null}
                        <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--warning" data-module="govuk-button">
                          Remove<span className="govuk-visually-hidden"> {q.label}</span>
                        </button>
                      </Form>
                    ) : null}
                  </div>
                </div>
              ))}
            </section>
          ))}

          {!frozen ? (
            <Form method="post" noValidate id="question-form">
              <CsrfInput />
              <h2 className="govuk-heading-m">{editingKey ? `Change the question "${editingLabel ?? ""}"` : "Add a question"}</h2>
              {editingKey ? <input type="hidden" name="key" value={editingKey} /> : null}
              <Select
                name="section"
                label="Section"
                error={errors?.section}
                defaultValue={values.section ?? ""}
                options={[{ value: "", text: "Choose a section" }, ...bidSections.map((s) => ({ value: s.key, text: s.title }))]}
              />
              <TextInput
                name="label"
                label="Question"
                hint="As councils will see it, like 'How will residents be involved?'"
                error={errors?.label}
                defaultValue={values.label ?? ""}
              />
              <Textarea
                name="hint"
                label="Hint (optional)"
                hint="Help for councils, shown under the question"
                error={errors?.hint}
                defaultValue={values.hint ?? ""}
                rows={3}
                labelClass="govuk-label--s"
              />
              <Radios
                name="kind"
                legend="Kind of answer"
                error={errors?.kind}
                value={values.kind ?? ""}
                items={questionKinds.map((k) => ({ value: k.value, text: k.text, hint: k.hint }))}
              />
              <TextInput
                name="limit"
                label="Limit"
                hint={`The most characters a short answer can have (up to ${LIMITS.short.max}), or the most words a long one can have (up to ${formatNumber(LIMITS.long.max)})`}
                error={errors?.limit}
                defaultValue={values.limit ?? ""}
                className="govuk-input--width-5"
                inputMode="numeric"
              />
              <Radios
                name="required"
                legend="Must councils answer it before they can mark the section complete?"
                error={errors?.required}
                value={values.required ?? ""}
                inline
                items={[
                  { value: "yes", text: "Yes" },
                  { value: "no", text: "No" },
                ]}
              />
              <Select
                name="criterion"
                label="Score criterion this answer is evidence for (optional)"
                hint="Assessors see the answer beside this criterion when they score the bid"
                error={errors?.criterion}
                defaultValue={values.criterion ?? ""}
                options={[{ value: "", text: "None" }, ...criteria.map((c) => ({ value: c.key, text: c.label }))]}
              />
              <div className="govuk-button-group">
                <button type="submit" name="intent" value={editingKey ? "save" : "add"} className="govuk-button" data-module="govuk-button">
                  {editingKey ? "Save question" : "Add question"}
                </button>
                {editingKey ? (
                  <a className="govuk-link" href={`/rounds/${round.slug}/questions`}>
                    Cancel
                  </a>
                ) : null}
              </div>
            </Form>
          ) : null}
        </div>
      </div>
    </>
  );
}
