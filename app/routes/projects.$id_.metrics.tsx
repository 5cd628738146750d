import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, Select, TextInput } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { metricAction } from "~/projects/actions.server.ts";
import { canEditProject, loadProjectFor, projectHeader } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { isoDay } from "~/utils/dates.ts";
import { formatDate } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { stageLabels } from "../../workflows/rules.ts";

export const meta = titled<typeof loader>(({ data }) => ["Metrics", data?.project.title]);

const ROUTE = "routes/projects.$id_.metrics" as const;

/** The project, for its team, while it is in a stage; anyone else is refused or sent to the project page. */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  if (!canEditProject(loaded.relation, loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return loaded;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project, stage } = await editable(await authoriseUser(request, ROUTE), params.id);
  // This stage's actuals: what its gate will weigh.
  const metrics = await db().metric.findMany({
    where: { projectId: project.id },
    include: { actuals: { where: { stage }, orderBy: [{ recordedOn: "asc" }, { createdAt: "asc" }] } },
    orderBy: { createdAt: "asc" },
  });
  return {
    project: projectHeader(project),
    stageLabel: stageLabels[stage],
    metrics: metrics.map((m) => ({
      id: m.id,
      name: m.name,
      unit: m.unit,
      baseline: m.baseline,
      target: m.target,
      latest: m.actuals.at(-1) ? { value: m.actuals.at(-1)!.value, recordedOn: isoDay(m.actuals.at(-1)!.recordedOn) } : null,
    })),
  };
}

type Values = Record<string, string>;

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  return metricAction(await editable(user, params.id), form);
}

export default function Metrics() {
  const { project, stageLabel, metrics } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const metricErrors = result?.form === "metric" ? result.errors : undefined;
  const actualErrors = result?.form === "actual" ? result.errors : undefined;
  const mv = (result?.form === "metric" ? result.values : {}) as Values;
  const av = (result?.form === "actual" ? result.values : {}) as Values;
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["name", "unit", "baseline", "target", "metricId", "value", "recordedOn-day", "note"]} />
          <ProjectHeading project={project} heading="Metrics" />
          {metrics.length ? (
            <Table
              caption="Metrics so far"
              captionClass="govuk-table__caption--m"
              head={["Metric", "Baseline", "Target", `Latest actual in the ${stageLabel.toLowerCase()} stage`]}
              numeric={[1, 2]}
              rows={metrics.map((m) => [
                `${m.name}${m.unit ? ` (${m.unit})` : ""}`,
                m.baseline,
                m.target,
                m.latest ? `${m.latest.value} on ${formatDate(m.latest.recordedOn)}` : "None yet",
              ])}
            />
          ) : (
            <p className="govuk-body">No metrics yet. Add the measures the project will be judged on, with their baseline and target.</p>
          )}

          {metrics.length ? (
            <>
              <h2 className="govuk-heading-m">Record an actual</h2>
              <p className="govuk-body">
                It is recorded against the {stageLabel.toLowerCase()} stage, and counts as evidence at the {stageLabel.toLowerCase()} gate.
              </p>
              <Form method="post" noValidate>
                <CsrfInput />
                <Select
                  name="metricId"
                  label="Metric"
                  options={[{ value: "", text: "Choose a metric" }, ...metrics.map((m) => ({ value: m.id, text: m.name }))]}
                  defaultValue={av.metricId}
                  error={actualErrors?.metricId}
                />
                <TextInput
                  name="value"
                  label="Actual"
                  className="govuk-input--width-10"
                  inputMode="decimal"
                  defaultValue={av.value}
                  error={actualErrors?.value}
                />
                <DateInput
                  name="recordedOn"
                  legend="Date measured"
                  error={actualErrors?.["recordedOn-day"]}
                  values={{ day: av["recordedOn-day"] ?? "", month: av["recordedOn-month"] ?? "", year: av["recordedOn-year"] ?? "" }}
                />
                <TextInput name="note" label="Note (optional)" defaultValue={av.note} error={actualErrors?.note} />
                <button type="submit" name="intent" value="actual" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Record actual
                </button>
              </Form>
            </>
          ) : null}

          <h2 className="govuk-heading-m">Add a metric</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextInput name="name" label="Name" hint="For example, Average days to assess a care need" defaultValue={mv.name} error={metricErrors?.name} />
            <TextInput
              name="unit"
              label="Unit (optional)"
              hint="For example, days, %, or £"
              className="govuk-input--width-10"
              defaultValue={mv.unit}
              error={metricErrors?.unit}
            />
            <TextInput
              name="baseline"
              label="Baseline"
              className="govuk-input--width-10"
              inputMode="decimal"
              defaultValue={mv.baseline}
              error={metricErrors?.baseline}
            />
            <TextInput
              name="target"
              label="Target"
              className="govuk-input--width-10"
              inputMode="decimal"
              defaultValue={mv.target}
              error={metricErrors?.target}
            />
            <button type="submit" name="intent" value="metric" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Add metric
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
