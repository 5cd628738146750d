import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { formatSize } from "~/utils/format.ts";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { FileUpload, FitsHint } from "~/components/file-upload.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { evidenceTypes } from "~/projects/evidence.server.ts";
import { evidenceAction, tooBigRefusal } from "~/projects/actions.server.ts";
import { canEditProject, loadProjectFor, projectHeader } from "~/projects/projects.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { readUpload } from "~/forms/body.server.ts";
import { fileSize, UPLOAD_FILE_LIMIT } from "~/forms/limits.ts";
import { fitsHint } from "~/storage/document-kinds.ts";
import { ACCEPTED_TYPES_SENTENCE, TOO_BIG } from "~/storage/file-type.server.ts";
import { stageLabels } from "../../workflows/rules.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Evidence", data?.project.title]);

const ROUTE = "routes/projects.$id_.evidence" as const;

/** The project, for its team, while it is in a stage; anyone else is refused or sent to the project page. */
async function editable(user: SignedInUser, id: string | undefined) {
  const loaded = await loadProjectFor(user, id, ["leadOfficer"]);
  if (!canEditProject(loaded.relation, loaded.project.state)) throw redirect(`/projects/${loaded.project.id}`);
  return { user, ...loaded };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { project, stage, rules } = await editable(await authoriseUser(request, ROUTE), params.id);
  const documents = await db().projectDocument.findMany({ where: { projectId: project.id, stage }, orderBy: { createdAt: "asc" } });
  const types = evidenceTypes(rules);
  return {
    project: projectHeader(project),
    stageLabel: stageLabels[stage],
    documents: documents.map((d) => ({ id: d.id, type: types.find((t) => t.value === d.type)?.text ?? d.type, fileName: d.fileName, size: formatSize(d.size) })),
    types: [{ value: "", text: "Choose a type" }, ...types],
    fits: fitsHint(types),
    accepted: ACCEPTED_TYPES_SENTENCE,
    limit: fileSize(UPLOAD_FILE_LIMIT),
    maxBytes: UPLOAD_FILE_LIMIT,
    tooBig: TOO_BIG,
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
  if (!body.ok) return tooBigRefusal(body.leading);
  return evidenceAction(user, loaded, body.form);
}

export default function ProjectEvidence() {
  const { project, stageLabel, documents, types, fits, accepted, limit, maxBytes, tooBig } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/projects/${project.id}`} className="govuk-back-link">
        Back to the project
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["type", "file"]} />
          <ProjectHeading project={project} heading="Evidence" />
          <p className="govuk-body">Documents uploaded here are evidence for the {stageLabel.toLowerCase()} stage's gate review.</p>
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
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="documentId" value={d.id} />
                  <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                    Remove<span className="govuk-visually-hidden"> {d.fileName}</span>
                  </button>
                </Form>,
              ])}
            />
          ) : null}
          <h2 className="govuk-heading-m">Upload a document</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <CsrfInput />
            {/* The type comes before the file, so it arrives first and is kept even when the file is too large to read. */}
            <Select name="type" label="Type of evidence" hint={<FitsHint fits={fits} />} options={types} defaultValue={result?.values.type} error={result?.errors.type} />
            <FileUpload name="file" label="Upload a file" hint={`It must be ${accepted}, smaller than ${limit}.`} error={result?.errors.file} maxBytes={maxBytes} tooBig={tooBig} />
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Upload
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
