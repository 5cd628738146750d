import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { formatSize } from "~/utils/format.ts";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { EvidenceUpload, RemoveDocument } from "~/components/evidence-upload.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { evidenceTypes } from "~/projects/evidence.server.ts";
import { evidenceAction } from "~/projects/actions.server.ts";
import { canEditProject, loadProjectFor, projectHeader } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { readUpload } from "~/forms/body.server.ts";
import { evidenceUploadView, tooBigToRead } from "~/storage/evidence-upload.server.ts";
import { isFinished } from "~/hub/case-study.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Evidence", data?.project.title]);

const ROUTE = "routes/projects.$id_.evidence" as const;

/**
 * The project, for its team: uploads while it is in a stage, and the choice of public
 * documents then and once it has finished (its case study shows them). Anyone else is
 * refused; a stopped project still to record its lessons is sent to the project page.
 */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  const uploads = canEditProject(loaded.relation, loaded.project.state);
  if (!uploads && !isFinished(loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return { user, ...loaded, uploads };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project, stage, rules, uploads } = await editable(await authoriseUser(request, ROUTE), params.id);
  const all = await db().projectDocument.findMany({ where: { projectId: project.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const types = evidenceTypes(rules);
  const typeText = (type: string) => types.find((t) => t.value === type)?.text ?? type;
  return {
    project: projectHeader(project),
    stageLabel: stageLabels[stage],
    uploads,
    documents: uploads
      ? all.filter((d) => d.stage === stage).map((d) => ({ id: d.id, type: typeText(d.type), fileName: d.fileName, size: formatSize(d.size) }))
      : [],
    allDocuments: all.map((d) => ({
      id: d.id,
      text: `${d.fileName} (${typeText(d.type)}, ${stageLabels[d.stage].toLowerCase()} stage)`,
      isPublic: d.isPublic,
    })),
    notice: noticeFrom(request, notices),
    ...evidenceUploadView(types),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Signed in first: an upload is large, and only the lead's officers may send one.
  const user = await authoriseUser(request, ROUTE, "action");
  // A body over the limit is not read past the fields before the file, so nothing changes
  // and its CSRF token is not needed; the page refuses the file with the type still chosen.
  const body = await readUpload(request);
  if (body.ok) requireCsrf(request, body.form);
  const loaded = await editable(user, params.id);
  if (!body.ok) return tooBigToRead(body.leading);
  return evidenceAction(user, loaded, body.form);
}

export default function ProjectEvidence() {
  const page = useLoaderData<typeof loader>();
  const { project, stageLabel, uploads, documents, allDocuments, notice } = page;
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["type", "file"]} />
          <SuccessNotice text={notice} />
          <ProjectHeading project={project} heading="Evidence" />
          {uploads ? <p className="govuk-body">Documents uploaded here are evidence for the {stageLabel.toLowerCase()} stage's gate review.</p> : null}
          {documents.length ? (
            <Table
              caption={`Documents for the ${stageLabel.toLowerCase()} stage`}
              captionClass="govuk-table__caption--m"
              head={["Type", "File", <span className="govuk-visually-hidden">Actions</span>]}
              rows={documents.map((d) => [
                d.type,
                <>
                  <a className="govuk-link" href={`/projects/${project.id}/documents/${d.id}`}>
                    {d.fileName}
                  </a>{" "}
                  ({d.size})
                </>,
                <RemoveDocument id={d.id} fileName={d.fileName} />,
              ])}
            />
          ) : null}
          {uploads ? <EvidenceUpload form={page} typeLabel="Type of evidence" result={result} /> : null}
          <h2 className="govuk-heading-m">Public documents</h2>
          {allDocuments.length ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <Checkboxes
                name="isPublic"
                legend="Which documents can anyone download with the case study?"
                legendClass="govuk-fieldset__legend--s"
                hint="Once the case study is published, anyone reading it can download the documents you select. Choose only documents with no personal data in them. This is separate from the documents you offer to adopting councils."
                small
                items={allDocuments.map((d) => ({ value: d.id, text: d.text }))}
                values={allDocuments.filter((d) => d.isPublic).map((d) => d.id)}
              />
              <button type="submit" name="intent" value="public" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Save public documents
              </button>
            </Form>
          ) : (
            <p className="govuk-body">The project has no documents yet.</p>
          )}
        </div>
      </div>
    </>
  );
}

const notices: Record<string, string> = { public: "The public documents have been saved" };
