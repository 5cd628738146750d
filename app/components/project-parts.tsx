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

export function SuccessBanner({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="notice-title" data-module="govuk-notification-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="notice-title">
          Success
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}
