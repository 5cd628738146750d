import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refused } from "~/forms/parse.server.ts";
import { evaluationForm } from "~/projects/actions.server.ts";
import { evaluationOf } from "~/projects/evidence.server.ts";
import { canEditProject, loadProjectFor, projectHeader, saveEvaluation } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { stageLabels } from "../../workflows/rules.ts";

export const meta = titled<typeof loader>(({ data }) => ["Evaluation", data?.project.title]);

const ROUTE = "routes/projects.$id_.evaluation" as const;

/** The project, for its team, while it is in a stage; anyone else is refused or sent to the project page. */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  if (!canEditProject(loaded.relation, loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return loaded;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project, stage } = await editable(await authoriseUser(request, ROUTE), params.id);
  return { project: projectHeader(project), stageLabel: stageLabels[stage], evaluation: await evaluationOf(project.id, stage) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { project, stage } = await editable(user, params.id);
  const parsed = parseForm(form, evaluationForm);
  if (!parsed.ok) return refused(parsed);
  await saveEvaluation(project, stage, parsed.value.evaluation);
  return redirect(`/projects/${project.id}?notice=evaluation`);
}

export default function Evaluation() {
  const { project, stageLabel, evaluation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          <ProjectHeading project={project} heading="Evaluation" />
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="save-evaluation" />
            <Textarea
              name="evaluation"
              label={`Evaluation summary for the ${stageLabel.toLowerCase()} stage`}
              labelClass="govuk-label--m"
              hint={`What worked, what did not, and why: the factors behind the results in this stage. It counts as the evaluation summary at the ${stageLabel.toLowerCase()} gate; earlier stages' evaluations stay as their gates saw them.`}
              rows={12}
              defaultValue={result?.values.evaluation ?? evaluation}
              error={result?.errors.evaluation}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Save evaluation
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
