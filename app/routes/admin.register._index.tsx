import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readRegisterUpload, recentRegisterImports, registerTooBig, uploadRegister } from "~/admin/register-import.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { FileUpload } from "~/components/file-upload.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

// The file field's name (the component cannot import values from a .server module).
const FIELD = "register";

export const meta = titled(() => ["Import the register of councils"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/admin.register._index");
  const [imports, councilTypes, councils] = await Promise.all([
    recentRegisterImports(),
    db().councilType.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } }),
    db().organisation.count({ where: { councilTypeCode: { not: null }, endDate: null } }),
  ]);
  return { imports, councilTypes, councils };
}

export async function action({ request }: ActionFunctionArgs) {
  // Authorised before the body is read: only an administrator may make the server read an upload.
  const user = await authoriseUser(request, "routes/admin.register._index", "action");
  // A body too large to read changes nothing, so it is refused beside the file box without its token.
  const form = await readRegisterUpload(request);
  if (form) requireCsrf(request, form);
  const uploaded = form ? await uploadRegister(form, user.id) : registerTooBig();
  if (!uploaded.ok) return data({ errors: uploaded.errors, values: uploaded.values }, { status: uploaded.status });
  return redirect(`/admin/register/${uploaded.id}`);
}

const columns = [
  ["local-authority-eng", "The council's register code, like BIR. 2 to 6 letters or digits."],
  ["local-authority-type", "The council's type code, from the list below."],
  ["name", "The council's everyday name, like Birmingham."],
  ["official-name", "The council's full name, like Birmingham City Council."],
  ["start-date", "Optional. When the council was created, like 1996-04-01. Without this column, the start dates already held are kept."],
  ["end-date", "Optional. When the council stopped existing. Leave it empty for a council that still exists."],
  ["declaration-signed", "Optional. When the council signed the Local Digital Declaration. Leave it empty to keep what Springboard has."],
] as const;

const example = [
  "local-authority-eng,local-authority-type,name,official-name,start-date,end-date,declaration-signed",
  "BIR,MD,Birmingham,Birmingham City Council,1986-07-01,,2018-07-04",
  'BAS,UA,Bath and North East Somerset,"Bath and North East Somerset Council, The",1996-04-01,,',
].join("\n");

export default function ImportRegister() {
  const { imports, councilTypes, councils } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = result?.errors?.[FIELD];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} />
        <h1 className="govuk-heading-l">Import the register of councils</h1>
        <p className="govuk-body">
          Springboard lists {councils} councils from the register of English local authorities. When a newer register is published, upload it here. You will see
          what would change before anything is changed.
        </p>
        <p className="govuk-body">
          Councils missing from the file will be marked as no longer existing. They are kept, with their users and bids, for the record.
        </p>
        <Form method="post" encType="multipart/form-data" noValidate>
          <CsrfInput />
          <FileUpload
            name={FIELD}
            label={<span className="govuk-label--m">Upload the register</span>}
            hint="A CSV or TSV file, smaller than 5MB, with the columns described below"
            error={error}
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
          />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Upload and preview
          </button>
        </Form>

        <h2 className="govuk-heading-m">What the file must contain</h2>
        <p className="govuk-body">
          The first row names the columns. The order does not matter, and other columns are ignored. The file replaces what Springboard holds for each council
          in it, so include every column you have. Use commas (CSV) or tabs (TSV) between columns, and put a value in double quotes if it contains a comma.
          Dates are written year-month-day.
        </p>
        <Table
          caption="Columns"
          captionClass="govuk-table__caption--s"
          head={["Column", "What it holds"]}
          firstCellIsHeader
          rows={columns.map(([name, text]) => [<code>{name}</code>, text])}
        />
        <p className="govuk-body">For example:</p>
        <pre className="govuk-body govuk-!-font-size-16">
          <code>{example}</code>
        </pre>
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Council type codes</span>
          </summary>
          <div className="govuk-details__text">
            <SummaryList noBorder rows={councilTypes.map((type) => ({ key: type.code, value: type.name }))} />
          </div>
        </details>
      </div>
      <div className="govuk-grid-column-full">
        <h2 className="govuk-heading-m">Recent imports</h2>
        {imports.length ? (
          <Table
            head={["Uploaded", "File", "Changes", "Status"]}
            rows={imports.map((i) => [
              formatDateTime(i.createdAt),
              <a className="govuk-link" href={`/admin/register/${i.id}`}>
                {i.fileName}
              </a>,
              i.summary.problems
                ? `${i.summary.problems} bad row${i.summary.problems === 1 ? "" : "s"}`
                : `${i.summary.add} added, ${i.summary.change} changed, ${i.summary.retire} retired`,
              i.appliedAt ? (
                <>
                  <strong className="govuk-tag govuk-tag--green">Applied</strong> {formatDateTime(i.appliedAt)}
                </>
              ) : i.summary.problems ? (
                <strong className="govuk-tag govuk-tag--red">Not applied: bad rows</strong>
              ) : (
                <strong className="govuk-tag govuk-tag--grey">Not applied</strong>
              ),
            ])}
          />
        ) : (
          <p className="govuk-body">No register has been uploaded yet.</p>
        )}
      </div>
    </div>
  );
}
