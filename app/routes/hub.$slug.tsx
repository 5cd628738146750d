import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { CaseStudyEvidence } from "~/hub/case-study-evidence.tsx";
import { gateEvidence } from "~/hub/gate-evidence.server.ts";
import { publishedCaseStudy } from "~/hub/hub.server.ts";
import { isStoppedState } from "~/hub/case-study.ts";
import { formatDate } from "~/utils/format.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => ["Case study", data?.caseStudy.title]);

const ROUTE = "routes/hub.$slug" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  const found = params.slug ? await publishedCaseStudy(params.slug) : null;
  if (!found) throw notFound();
  return {
    slug: found.slug,
    evidence: await gateEvidence(found.projectId),
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
  const { slug, evidence, caseStudy, project } = useLoaderData<typeof loader>();
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
            <NotificationBanner title="Lessons from a stopped project" heading="What this project taught">
              <p className="govuk-body app-preserve-lines">{caseStudy.lessons}</p>
            </NotificationBanner>
          ) : null}
          <Section heading="The problem" text={caseStudy.problem} />
          <Section heading="The approach" text={caseStudy.approach} />
          <Section heading="The evidence" text={caseStudy.evidence} />
          <Section heading="The outcome" text={caseStudy.outcome} />
          {project.stopped ? null : <Section heading="Lessons" text={caseStudy.lessons} />}
          <Section heading="Reusable outputs" text={caseStudy.reusableOutputs} />
          <CaseStudyEvidence evidence={evidence} documentHref={(id) => `/hub/${encodeURIComponent(slug)}/documents/${encodeURIComponent(id)}`} />
        </div>
        <div className="govuk-grid-column-one-third">
          <SummaryList
            noBorder
            rows={[
              { key: "Lead council", value: project.lead },
              { key: "Partners", value: project.partners.join(", ") || "None" },
              { key: "Service area", value: caseStudy.serviceArea },
              { key: "Stage reached", value: caseStudy.stageLabel },
              { key: "Published", value: formatDate(caseStudy.publishedAt) },
              {
                key: "Funding",
                value: (
                  <a href={`/funded/${encodeURIComponent(project.reference)}`} className="govuk-link">
                    {project.reference}
                  </a>
                ),
              },
            ]}
          />
        </div>
      </div>
    </>
  );
}
