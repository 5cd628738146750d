import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { formatSize } from "~/utils/format.ts";
import { CsrfInput, ErrorSummary, Select } from "~/components/forms.tsx";
import { ProjectHeading } from "~/components/project-parts.tsx";
import { db } from "~/db/database.server.ts";
import { evidenceTypes } from "~/projects/evidence.server.ts";
import { addProjectDocument, canEditProject, loadProjectFor, projectHeader, removeProjectDocument } from "~/projects/projects.server.ts";
import { uploadRefusal } from "~/security/upload-limit.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { ACCEPTED_TYPES_SENTENCE, MAX_UPLOAD_BYTES } from "~/storage/file-type.server.ts";
import { stageLabels } from "../../workflows/rules.ts";

export const meta: MetaFunction = () => [{ title: "Evidence – Springboard" }];

const ROUTE = "routes/projects.$id_.evidence" as const;
const TOO_BIG = "The selected file must be smaller than 10MB";

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
    accepted: ACCEPTED_TYPES_SENTENCE,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await authoriseUser(request, ROUTE, "action");
  let form: FormData;
  let tooBig = false;
  const contentType = request.headers.get("Content-Type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      // Refused without reading the rest of the form: nothing changes, so the CSRF check is not needed to say no.
      tooBig = true;
      form = new FormData();
    }
  } else {
    form = await request.formData();
  }
  if (!tooBig) requireCsrf(request, form);
  const { project, stage, rules } = await editable(user, params.id);
  if (tooBig) return data({ errors: { file: TOO_BIG } as Record<string, string>, values: { type: "" } }, { status: 413 });
  if (form.get("intent") === "remove") {
    await removeProjectDocument(project, stage, String(form.get("documentId") ?? ""));
    return redirect(`/projects/${project.id}/evidence`);
  }
  const type = String(form.get("type") ?? "");
  const file = form.get("file");
  const upload =
    file && typeof file === "object" && "arrayBuffer" in file
      ? { name: (file as File).name ?? "", bytes: new Uint8Array(await (file as File).arrayBuffer()) }
      : null;
  if (upload) {
    const refusal = await uploadRefusal(user.id);
    if (refusal) return data({ errors: { file: refusal } as Record<string, string>, values: { type } }, { status: 429 });
  }
  const result = await addProjectDocument(user, project, stage, rules, type, upload);
  if ("errors" in result) return data({ errors: result.errors, values: { type } }, { status: 400 });
  return redirect(`/projects/${project.id}?notice=evidence`);
}

export default function ProjectEvidence() {
  const { project, stageLabel, documents, types, accepted } = useLoaderData<typeof loader>();
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
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">Documents for the {stageLabel.toLowerCase()} stage</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Type</th>
                  <th scope="col" className="govuk-table__header">File</th>
                  <th scope="col" className="govuk-table__header">
                    <span className="govuk-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {documents.map((d) => (
                  <tr className="govuk-table__row" key={d.id}>
                    <td className="govuk-table__cell">{d.type}</td>
                    <td className="govuk-table__cell">
                      <a className="govuk-link" href={`/projects/${project.id}/documents/${d.id}`}>
                        {d.fileName}
                      </a>{" "}
                      ({d.size})
                    </td>
                    <td className="govuk-table__cell">
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="documentId" value={d.id} />
                        <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                          Remove<span className="govuk-visually-hidden"> {d.fileName}</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <h2 className="govuk-heading-m">Upload a document</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <CsrfInput />
            <Select name="type" label="Type of evidence" options={types} defaultValue={result?.values.type} error={result?.errors.type} />
            <div className={`govuk-form-group${result?.errors.file ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label" htmlFor="file">
                Upload a file
              </label>
              <div id="file-hint" className="govuk-hint">
                {`It must be ${accepted}, smaller than 10MB.`}
              </div>
              {result?.errors.file ? (
                <p id="file-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {result.errors.file}
                </p>
              ) : null}
              <input
                className={`govuk-file-upload${result?.errors.file ? " govuk-file-upload--error" : ""}`}
                id="file"
                name="file"
                type="file"
                aria-describedby={`file-hint${result?.errors.file ? " file-error" : ""}`}
              />
            </div>
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Upload
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
