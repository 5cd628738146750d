export interface ProjectHeadingData {
  id: string;
  reference: string;
  title: string;
  stateLabel: string;
  tag: string;
}

/** The project's reference, name and status, at the top of every project page. */
export function ProjectHeading({ project, heading }: { project: ProjectHeadingData; heading?: string }) {
  return (
    <>
      <span className="govuk-caption-l">
        {project.reference}
        {heading ? `: ${project.title}` : ""}
      </span>
      <h1 className="govuk-heading-l">{heading ?? project.title}</h1>
      <p className="govuk-body">
        Status: <strong className={`govuk-tag govuk-tag--${project.tag}`}>{project.stateLabel}</strong>
      </p>
    </>
  );
}
