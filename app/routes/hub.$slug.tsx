import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { notFound, publishedCaseStudy } from "~/hub/hub.server.ts";
import { isStoppedState } from "~/hub/case-study.ts";
import { formatDate } from "~/utils/format.ts";
import { stageLabels } from "../../workflows/rules.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.caseStudy.title ?? "Case study"} – Knowledge hub – Springboard` }];

const ROUTE = "routes/hub.$slug" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const found = params.slug ? await publishedCaseStudy(params.slug) : null;
  if (!found) throw notFound();
  return {
    caseStudy: {
      title: found.title,
      problem: found.problem,
      approach: found.approach,
      evidence: found.evidence,
      outcome: found.outcome,
      lessons: found.lessons,
      reusableOutputs: found.reusableOutputs,
      serviceArea: found.serviceArea,
      stageLabel: stageLabels[found.stage],
      publishedAt: found.publishedAt,
    },
    project: {
      reference: found.project.reference,
      stopped: isStoppedState(found.project.state),
      lead: found.project.leadOrganisation.name,
      partners: found.project.bid.partners.map((p) => p.organisation.name),
    },
  };
}

function Section({ heading, text }: { heading: string; text: string }) {
  if (!text.trim()) return null;
  return (
    <>
      <h2 className="govuk-heading-m">{heading}</h2>
      <p className="govuk-body app-preserve-lines">{text}</p>
    </>
  );
}

export default function CaseStudy() {
  const { caseStudy, project } = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/hub" className="govuk-back-link">
        Back to the knowledge hub
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Case study</span>
          <h1 className="govuk-heading-l">{caseStudy.title}</h1>
          <p className="govuk-body">
            {project.stopped ? (
              <strong className="govuk-tag govuk-tag--red">Stopped at {caseStudy.stageLabel.toLowerCase()}</strong>
            ) : (
              <strong className="govuk-tag govuk-tag--green">Completed</strong>
            )}
          </p>
          {project.stopped ? (
            <div className="govuk-notification-banner" role="region" aria-labelledby="lessons-title">
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id="lessons-title">
                  Lessons from a stopped project
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <p className="govuk-notification-banner__heading">What this project taught</p>
                <p className="govuk-body app-preserve-lines">{caseStudy.lessons}</p>
              </div>
            </div>
          ) : null}
          <Section heading="The problem" text={caseStudy.problem} />
          <Section heading="The approach" text={caseStudy.approach} />
          <Section heading="The evidence" text={caseStudy.evidence} />
          <Section heading="The outcome" text={caseStudy.outcome} />
          {project.stopped ? null : <Section heading="Lessons" text={caseStudy.lessons} />}
          <Section heading="Reusable outputs" text={caseStudy.reusableOutputs} />
        </div>
        <div className="govuk-grid-column-one-third">
          <dl className="govuk-summary-list govuk-summary-list--no-border">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Lead council</dt>
              <dd className="govuk-summary-list__value">{project.lead}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Partners</dt>
              <dd className="govuk-summary-list__value">{project.partners.join(", ") || "None"}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Service area</dt>
              <dd className="govuk-summary-list__value">{caseStudy.serviceArea}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Stage reached</dt>
              <dd className="govuk-summary-list__value">{caseStudy.stageLabel}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Published</dt>
              <dd className="govuk-summary-list__value">{formatDate(caseStudy.publishedAt)}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Funding</dt>
              <dd className="govuk-summary-list__value">
                <a href={`/funded/${encodeURIComponent(project.reference)}`} className="govuk-link">
                  {project.reference}
                </a>
              </dd>
            </div>
          </dl>
        </div>
      </div>
    </>
  );
}
