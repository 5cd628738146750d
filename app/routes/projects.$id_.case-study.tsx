import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { caseStudyAction } from "~/hub/case-study-actions.server.ts";
import { CaseStudyEvidence } from "~/hub/case-study-evidence.tsx";
import { gateEvidence } from "~/hub/gate-evidence.server.ts";
import { canWrite, loadCaseStudyFor, startingFields } from "~/hub/hub.server.ts";
import { caseStudyFields, caseStudyStatusLabels, isFinished, isStoppedState, type CaseStudyFields } from "~/hub/case-study.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { changeTimeline } from "~/engine/record-changes.server.ts";
import { Timeline } from "~/engine/timeline.tsx";

export const meta = titled<typeof loader>(({ data }) => ["Case study", data?.project.title]);

const ROUTE = "routes/projects.$id_.case-study" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { project, relation, context, caseStudy } = await loadCaseStudyFor(user, params.id);
  const values: CaseStudyFields = caseStudy
    ? (Object.fromEntries(caseStudyFields.map((f) => [f.name, caseStudy[f.name]])) as CaseStudyFields)
    : startingFields(project, context);
  return {
    project: {
      id: project.id,
      reference: project.reference,
      title: project.title,
      lead: project.leadOrganisation.name,
      finished: isFinished(project.state),
      stopped: isStoppedState(project.state),
    },
    stageLabel: stageLabels[caseStudy?.stage ?? context.stage],
    relation,
    canWrite: canWrite(relation, project.state, caseStudy?.status),
    canReview: relation === "fundTeam" && caseStudy?.status === "inReview",
    caseStudy: caseStudy
      ? {
          id: caseStudy.id,
          slug: caseStudy.slug,
          status: caseStudy.status,
          statusView: caseStudyStatusLabels[caseStudy.status] ?? { text: caseStudy.status, tag: "grey" },
          reviewNote: caseStudy.reviewNote,
          updatedAt: caseStudy.updatedAt.toISOString(),
          updatedText: formatDateTime(caseStudy.updatedAt),
        }
      : null,
    values,
    notice: noticeFrom(request, notices),
    timeline: caseStudy ? await changeTimeline("caseStudy", caseStudy.id) : [],
    // What the published case study will show beside its text, read from the records.
    evidence: isFinished(project.state) ? await gateEvidence(project.id) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  return caseStudyAction(user, await loadCaseStudyFor(user, params.id), form);
}

const notices: Record<string, string> = {
  saved: "Your draft has been saved",
  sent: "The case study has been sent to the fund team for review",
  published: "The case study has been published in the knowledge hub",
  returned: "The case study has been returned to the project team",
};

export default function CaseStudy() {
  const { project, stageLabel, relation, canWrite, canReview, caseStudy, values: stored, notice, timeline, evidence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values ?? stored) as Record<string, string>;
  const errors = result?.errors;
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...caseStudyFields.map((f) => f.name), "reviewNote"]} />
          <SuccessNotice text={notice} />
          <span className="govuk-caption-l">
            {project.reference}: {project.title}
          </span>
          <h1 className="govuk-heading-l">Case study</h1>
          {!project.finished && !caseStudy ? (
            <p className="govuk-body">The lead council writes a case study for the knowledge hub once the project has completed or stopped.</p>
          ) : null}
          {caseStudy ? (
            <SummaryList
              rows={[
                { key: "Status", value: <strong className={`govuk-tag govuk-tag--${caseStudy.statusView.tag}`}>{caseStudy.statusView.text}</strong> },
                { key: "Stage reached", value: `${stageLabel}${project.stopped ? " (stopped)" : ""}` },
                { key: "Last changed", value: caseStudy.updatedText },
                ...(caseStudy.status === "published"
                  ? [
                      {
                        key: "In the hub",
                        value: (
                          <a href={`/hub/${caseStudy.slug}`} className="govuk-link">
                            Read the published case study
                          </a>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          ) : null}
          {caseStudy?.status === "returned" && caseStudy.reviewNote ? (
            <div className="govuk-inset-text">
              <h2 className="govuk-heading-s">The fund team returned this case study</h2>
              <p className="govuk-body">{caseStudy.reviewNote}</p>
            </div>
          ) : null}
          {canWrite ? (
            <Form method="post" noValidate>
              <CsrfInput />
              {caseStudy ? <input type="hidden" name="updatedAt" value={caseStudy.updatedAt} /> : null}
              {project.stopped ? (
                <p className="govuk-body">This project stopped. What it taught is as useful to other councils as a success: be clear about why it stopped.</p>
              ) : null}
              {caseStudyFields.map((f) =>
                f.long ? (
                  <Textarea
                    key={f.name}
                    name={f.name}
                    label={f.label}
                    hint={f.hint}
                    labelClass="govuk-label--s"
                    defaultValue={values[f.name]}
                    error={errors?.[f.name]}
                    rows={6}
                  />
                ) : (
                  <TextInput key={f.name} name={f.name} label={f.label} hint={f.hint} defaultValue={values[f.name]} error={errors?.[f.name]} />
                ),
              )}
              <div className="govuk-button-group">
                <button type="submit" name="intent" value="review" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Send for review
                </button>
                <button type="submit" name="intent" value="save" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Save as draft
                </button>
              </div>
            </Form>
          ) : caseStudy ? (
            <>
              {caseStudyFields.slice(2).map((f) => (
                <section key={f.name}>
                  <h2 className="govuk-heading-m">{f.label}</h2>
                  <p className="govuk-body app-preserve-lines">{(stored as Record<string, string>)[f.name]}</p>
                </section>
              ))}
            </>
          ) : relation !== "leadOfficer" ? (
            <p className="govuk-body">The lead council has not started a case study.</p>
          ) : null}
          {evidence ? (
            <>
              <div className="govuk-inset-text">
                The case study also shows what the project recorded, read from its records each time it is seen: its metrics, gate decisions, conditions, spend
                and the documents the project team made public
                {relation === "leadOfficer" ? (
                  <>
                    {" "}
                    (
                    <a href={`/projects/${project.id}/evidence`} className="govuk-link">
                      choose which documents are public
                    </a>
                    )
                  </>
                ) : null}
                . It never shows people&apos;s names or anyone&apos;s notes.
              </div>
              <CaseStudyEvidence
                evidence={evidence}
                documentHref={(id) =>
                  caseStudy?.status === "published"
                    ? `/hub/${encodeURIComponent(caseStudy.slug)}/documents/${encodeURIComponent(id)}`
                    : `/projects/${project.id}/documents/${encodeURIComponent(id)}`
                }
              />
            </>
          ) : null}
          {canReview && caseStudy ? (
            <>
              <h2 className="govuk-heading-m">Review</h2>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="updatedAt" value={caseStudy.updatedAt} />
                <button type="submit" name="intent" value="publish" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Publish case study
                </button>
              </Form>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="updatedAt" value={caseStudy.updatedAt} />
                <Textarea
                  name="reviewNote"
                  label="What needs to change?"
                  hint="The project team will see this note"
                  labelClass="govuk-label--s"
                  defaultValue={values.reviewNote}
                  error={errors?.reviewNote}
                />
                <button type="submit" name="intent" value="return" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Return to the project team
                </button>
              </Form>
            </>
          ) : null}
          {caseStudy ? <Timeline items={timeline} /> : null}
        </div>
      </div>
    </>
  );
}
