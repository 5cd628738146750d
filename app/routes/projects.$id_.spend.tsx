import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { db } from "~/db/database.server.ts";
import { isoDay, londonToday } from "~/utils/dates.ts";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { spendForm, startedOn } from "~/projects/actions.server.ts";
import { atDayBoxes } from "~/projects/forms.ts";
import { addSpendReport, canEditProject, cumulativeFunding, loadProjectFor, projectHeader } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatMoney } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Report spend", data?.project.title]);

const ROUTE = "routes/projects.$id_.spend" as const;

/** The project, for its team, while it is in a stage; anyone else is refused or sent to the project page. */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  if (!canEditProject(loaded.relation, loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return { user, ...loaded };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project } = await editable(await authoriseUser(request, ROUTE), params.id);
  const latest = await db().spendReport.findFirst({ where: { projectId: project.id }, orderBy: [{ periodEnd: "desc" }, { createdAt: "desc" }] });
  return {
    project: projectHeader(project),
    fundingPence: cumulativeFunding(project),
    latest: latest ? { amountPence: latest.amountPence, periodEnd: isoDay(latest.periodEnd) } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { project, stage } = await editable(user, params.id);
  const parsed = parseForm(form, spendForm(londonToday(), startedOn(project)));
  if (!parsed.ok) return refused(atDayBoxes(parsed, ["periodEnd"]));
  const { amount, periodEnd, note } = parsed.value;
  await addSpendReport(user, project, stage, amount, periodEnd!, note);
  return redirect(`/projects/${project.id}?notice=spend`);
}

export default function Spend() {
  const { project, fundingPence, latest } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values: Record<string, string> = result?.values ?? {};
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["amount", "periodEnd-day", "note"]} />
          <ProjectHeading project={project} heading="Report spend" />
          <p className="govuk-body">
            {formatMoney(fundingPence)} has been released to the project so far.
            {latest ? ` The last report said ${formatMoney(latest.amountPence)} was spent by ${formatDate(latest.periodEnd)}.` : ""}
          </p>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextInput
              name="amount"
              label="Spent to date, in pounds"
              hint="The total spent of the money released so far, not just since the last report"
              className="govuk-input--width-10"
              inputMode="decimal"
              defaultValue={values.amount}
              error={result?.errors.amount}
            />
            <DateInput
              name="periodEnd"
              legend="Spent up to which date?"
              error={result?.errors["periodEnd-day"]}
              values={{ day: values["periodEnd-day"] ?? "", month: values["periodEnd-month"] ?? "", year: values["periodEnd-year"] ?? "" }}
            />
            <TextInput name="note" label="Note (optional)" defaultValue={values.note} error={result?.errors.note} />
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Save spend report
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
