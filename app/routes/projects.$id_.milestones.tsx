import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { milestoneAction } from "~/projects/actions.server.ts";
import { canEditProject, loadProjectFor, milestoneStatusLabel, projectHeader } from "~/projects/projects.server.ts";
import { isoDay, londonToday } from "~/utils/dates.ts";
import { milestoneStatuses } from "~/projects/forms.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Milestones", data?.project.title]);

const ROUTE = "routes/projects.$id_.milestones" as const;

/** The project, for its team, while it is in a stage; anyone else is refused or sent to the project page. */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  if (!canEditProject(loaded.relation, loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return { user, ...loaded };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project } = await editable(await authoriseUser(request, ROUTE), params.id);
  const milestones = await db().milestone.findMany({ where: { projectId: project.id }, orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }] });
  const today = londonToday();
  return {
    project: projectHeader(project),
    milestones: milestones.map((m) => {
      const dueOn = isoDay(m.dueOn);
      return { id: m.id, title: m.title, dueOn, status: m.status, statusLabel: milestoneStatusLabel(m.status), overdue: m.status !== "done" && dueOn < today };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  return milestoneAction(await editable(user, params.id), form);
}

export default function Milestones() {
  const { project, milestones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values: Record<string, string> = result?.values ?? {};
  const statusError = result?.errors.status;
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {/* A refused status belongs to the select in that milestone's row. */}
          <ErrorSummary errors={result?.errors} order={["title", "dueOn-day", "status"]} targets={{ status: `status-${values.milestoneId ?? ""}` }} />
          <ProjectHeading project={project} heading="Milestones" />
          {milestones.length ? (
            <Table
              caption="Milestones so far"
              captionClass="govuk-table__caption--m"
              head={["Milestone", "Due", "Status"]}
              rows={milestones.map((m) => [
                m.title,
                <>
                  {formatDate(m.dueOn)}
                  {m.overdue ? (
                    <>
                      {" "}
                      <strong className="govuk-tag govuk-tag--red">Overdue</strong>
                    </>
                  ) : null}
                </>,
                <Form method="post" className="app-inline-form">
                  <CsrfInput />
                  <input type="hidden" name="milestoneId" value={m.id} />
                  <div className="govuk-form-group govuk-!-margin-bottom-2">
                    <label className="govuk-label govuk-visually-hidden" htmlFor={`status-${m.id}`}>
                      Status of {m.title}
                    </label>
                    {statusError && values.milestoneId === m.id ? (
                      <p id={`status-${m.id}-error`} className="govuk-error-message">
                        <span className="govuk-visually-hidden">Error:</span> {statusError}
                      </p>
                    ) : null}
                    <select
                      className={`govuk-select${statusError && values.milestoneId === m.id ? " govuk-select--error" : ""}`}
                      id={`status-${m.id}`}
                      name="status"
                      defaultValue={m.status}
                      aria-describedby={statusError && values.milestoneId === m.id ? `status-${m.id}-error` : undefined}
                    >
                      {milestoneStatuses.map((s) => (
                        <option key={s.value} value={s.value}>
                          {s.text}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button
                    type="submit"
                    name="intent"
                    value="status"
                    className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                    data-module="govuk-button"
                  >
                    Update status<span className="govuk-visually-hidden"> of {m.title}</span>
                  </button>
                </Form>,
              ])}
            />
          ) : (
            <p className="govuk-body">No milestones yet.</p>
          )}
          <h2 className="govuk-heading-m">Add a milestone</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextInput name="title" label="Milestone" defaultValue={values.title} error={result?.errors.title} />
            <DateInput
              name="dueOn"
              legend="When is it due?"
              error={result?.errors["dueOn-day"]}
              values={{ day: values["dueOn-day"] ?? "", month: values["dueOn-month"] ?? "", year: values["dueOn-year"] ?? "" }}
            />
            <button type="submit" name="intent" value="add" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Add milestone
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
