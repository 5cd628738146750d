import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { parseNumber } from "~/bids/sections.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, Select, TextInput } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { db } from "~/db/database.server.ts";
import { londonToday } from "~/organisations/directory.server.ts";
import { datePartsFrom, parseDateParts } from "~/projects/forms.ts";
import { addActual, addMetric, canEditProject, loadProjectFor, projectHeader } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate } from "~/utils/format.ts";

export const meta: MetaFunction = () => [{ title: "Metrics – Springboard" }];

const ROUTE = "routes/projects.$id_.metrics" as const;

/** The project, for its team, while it is in a stage; anyone else is refused or sent to the project page. */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  if (!canEditProject(loaded.relation, loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return loaded;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project } = await editable(await authoriseUser(request, ROUTE), params.id);
  const metrics = await db().metric.findMany({
    where: { projectId: project.id },
    include: { actuals: { orderBy: { recordedOn: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  return {
    project: projectHeader(project),
    metrics: metrics.map((m) => ({
      id: m.id,
      name: m.name,
      unit: m.unit,
      baseline: m.baseline,
      target: m.target,
      latest: m.actuals.at(-1) ? { value: m.actuals.at(-1)!.value, recordedOn: m.actuals.at(-1)!.recordedOn.toISOString().slice(0, 10) } : null,
    })),
  };
}

type Values = Record<string, string>;

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { project } = await editable(user, params.id);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const errors: Record<string, string> = {};
  if (form.get("intent") === "actual") {
    const metricId = field("metricId");
    const value = parseNumber(field("value"));
    const parts = datePartsFrom(form, "recordedOn");
    const note = field("note");
    if (!metricId) errors.metricId = "Select the metric";
    if (value === null) errors.value = field("value") ? "The actual must be a number, like 42 or 12.5" : "Enter the actual";
    const recorded = parseDateParts(parts, "The date");
    if (!recorded.ok) errors["recordedOn-day"] = recorded.message;
    else if (recorded.date > londonToday()) errors["recordedOn-day"] = "The date must be today or in the past";
    if (note.length > 1000) errors.note = "The note must be 1,000 characters or fewer";
    const values: Values = { metricId, value: field("value"), note, "recordedOn-day": parts.day, "recordedOn-month": parts.month, "recordedOn-year": parts.year };
    if (Object.keys(errors).length || value === null || !recorded.ok) return data({ form: "actual", errors, values }, { status: 400 });
    if (!(await addActual(project, metricId, value, recorded.date, note))) {
      return data({ form: "actual", errors: { metricId: "Select the metric" } as Record<string, string>, values }, { status: 400 });
    }
    return redirect(`/projects/${project.id}?notice=actual`);
  }
  const name = field("name");
  const unit = field("unit");
  const baseline = parseNumber(field("baseline"));
  const target = parseNumber(field("target"));
  if (!name) errors.name = "Enter the name of the metric";
  else if (name.length > 200) errors.name = "The name must be 200 characters or fewer";
  if (unit.length > 50) errors.unit = "The unit must be 50 characters or fewer";
  if (baseline === null) errors.baseline = field("baseline") ? "The baseline must be a number, like 42 or 12.5" : "Enter the baseline";
  if (target === null) errors.target = field("target") ? "The target must be a number, like 42 or 12.5" : "Enter the target";
  const values: Values = { name, unit, baseline: field("baseline"), target: field("target") };
  if (Object.keys(errors).length || baseline === null || target === null) return data({ form: "metric", errors, values }, { status: 400 });
  await addMetric(project, { name, unit, baseline, target });
  return redirect(`/projects/${project.id}?notice=metric`);
}

export default function Metrics() {
  const { project, metrics } = useLoaderData<typeof loader>();
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
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">Metrics so far</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Metric</th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">Baseline</th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">Target</th>
                  <th scope="col" className="govuk-table__header">Latest actual</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {metrics.map((m) => (
                  <tr className="govuk-table__row" key={m.id}>
                    <td className="govuk-table__cell">
                      {m.name}
                      {m.unit ? ` (${m.unit})` : ""}
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{m.baseline}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{m.target}</td>
                    <td className="govuk-table__cell">{m.latest ? `${m.latest.value} on ${formatDate(m.latest.recordedOn)}` : "None yet"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="govuk-body">No metrics yet. Add the measures the project will be judged on, with their baseline and target.</p>
          )}

          {metrics.length ? (
            <>
              <h2 className="govuk-heading-m">Record an actual</h2>
              <Form method="post" noValidate>
                <CsrfInput />
                <Select
                  name="metricId"
                  label="Metric"
                  options={[{ value: "", text: "Choose a metric" }, ...metrics.map((m) => ({ value: m.id, text: m.name }))]}
                  defaultValue={av.metricId}
                  error={actualErrors?.metricId}
                />
                <TextInput name="value" label="Actual" className="govuk-input--width-10" inputMode="decimal" defaultValue={av.value} error={actualErrors?.value} />
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
            <TextInput name="unit" label="Unit (optional)" hint="For example, days, %, or £" className="govuk-input--width-10" defaultValue={mv.unit} error={metricErrors?.unit} />
            <TextInput name="baseline" label="Baseline" className="govuk-input--width-10" inputMode="decimal" defaultValue={mv.baseline} error={metricErrors?.baseline} />
            <TextInput name="target" label="Target" className="govuk-input--width-10" inputMode="decimal" defaultValue={mv.target} error={metricErrors?.target} />
            <button type="submit" name="intent" value="metric" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Add metric
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
