import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { confirmRegisterImport, findRegisterImport } from "~/admin/register-import.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatDateTime, plural } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.appliedAt ? "Register import" : "Check the register import", data?.fileName]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/admin.register.$id");
  const found = await findRegisterImport(params.id ?? "");
  if (!found) throw notFound();
  const url = new URL(request.url);
  return {
    id: found.id,
    fileName: found.fileName,
    createdAt: found.createdAt,
    createdBy: found.createdBy,
    appliedAt: found.appliedAt,
    summary: found.summary,
    diff: found.changes.diff,
    problems: found.changes.problems,
    justApplied: url.searchParams.get("applied") === "1" && Boolean(found.appliedAt),
    refreshed: url.searchParams.get("refreshed") === "1" && !found.appliedAt,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, "routes/admin.register.$id", "action");
  // The confirmation carries nothing but the CSRF token: what it applies is the stored preview.
  requireCsrf(request, form);
  const id = params.id ?? "";
  const result = await confirmRegisterImport(id);
  switch (result.status) {
    case "applied":
      return redirect(`/admin/register/${id}?applied=1`);
    case "stale":
      return redirect(`/admin/register/${id}?refreshed=1`);
    case "not-found":
      throw notFound();
    case "already-applied":
      return data({ problem: `This import was applied on ${formatDateTime(result.appliedAt)}. It cannot be applied again.` }, { status: 409 });
    case "has-problems":
      return data({ problem: "This file has rows that need fixing. Fix these rows and upload the file again. Nothing has been changed." }, { status: 400 });
    case "failed":
      return data(
        { problem: "The import could not be finished, so nothing has been changed. Try again, and if it fails again, contact the Springboard team." },
        { status: 500 },
      );
  }
}

export default function RegisterImportPreview() {
  const { fileName, createdAt, createdBy, appliedAt, summary, diff, problems, justApplied, refreshed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nothingToDo = !summary.add && !summary.change && !summary.retire;
  // Councils the file was compared with: those it matched and those it leaves out.
  const listed = summary.unchanged + summary.change + summary.retire;
  const manyRetired = summary.retire > 5 && summary.retire > listed / 10;
  return (
    <>
      <a href="/admin/register" className="govuk-back-link">
        Back to import the register
      </a>
      <ErrorSummary description={result?.problem} />
      {justApplied && appliedAt ? (
        <NotificationBanner type="success" heading="The register has been imported.">
          <p className="govuk-body">
            {plural(summary.add, "council")} added, {plural(summary.change, "council")} changed and {plural(summary.retire, "council")} marked as no longer
            existing.
          </p>
        </NotificationBanner>
      ) : null}
      {refreshed ? (
        <NotificationBanner heading="The councils changed after this file was uploaded, so nothing has been imported yet.">
          <p className="govuk-body">The preview below is now up to date. Check it, then confirm again.</p>
        </NotificationBanner>
      ) : null}
      <span className="govuk-caption-l">{fileName}</span>
      <h1 className="govuk-heading-l">{appliedAt ? "Register import" : "Check the register import"}</h1>
      <p className="govuk-body">
        Uploaded by {createdBy} at {formatDateTime(createdAt)}. The file has {plural(summary.rows + summary.problems, "council row")}.
      </p>
      {appliedAt && !justApplied ? <div className="govuk-inset-text">This import was applied on {formatDateTime(appliedAt)}.</div> : null}

      <SummaryList
        rows={[
          { key: "Councils to add", value: summary.add },
          { key: "Councils to change", value: summary.change },
          { key: "Councils no longer in the register", value: summary.retire },
          { key: "Councils unchanged", value: summary.unchanged },
          { key: "Rows with problems", value: summary.problems },
        ]}
      />

      {!appliedAt && manyRetired ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            This file would mark {summary.retire} of the {listed} councils Springboard lists as no longer existing. Check that you uploaded the whole register.
          </strong>
        </div>
      ) : null}

      {problems.length ? (
        <>
          <h2 className="govuk-heading-m">Rows with problems</h2>
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Fix these rows and upload the file again. Nothing has been changed.
            </strong>
          </div>
          <Table head={["Line", "Code", "Problem"]} numeric={[0]} rows={problems.map((p) => [p.line || "", p.code, p.reason])} />
          <p className="govuk-body">
            <a className="govuk-link" href="/admin/register">
              Upload a corrected file
            </a>
          </p>
        </>
      ) : null}

      {diff.add.length ? (
        <>
          <h2 className="govuk-heading-m">{appliedAt ? "Added" : "To be added"}</h2>
          <Table head={["Code", "Name", "Type", "Official name"]} rows={diff.add.map((row) => [row.code, row.name, row.type, row.officialName])} />
        </>
      ) : null}

      {diff.change.length ? (
        <>
          <h2 className="govuk-heading-m">{appliedAt ? "Changed" : "To be changed"}</h2>
          <Table head={["Code", "Name", "What changes"]} rows={diff.change.map(({ row, fields }) => [row.code, row.name, fields.join(", ")])} />
        </>
      ) : null}

      {diff.retire.length ? (
        <>
          <h2 className="govuk-heading-m">{appliedAt ? "Marked as no longer existing" : "To be marked as no longer existing"}</h2>
          <p className="govuk-body">These councils are not in the file. They will be kept, with an end date, for the record.</p>
          <Table head={["Code", "Name", "End date"]} rows={diff.retire.map((r) => [r.code, r.name, formatDate(r.endDate)])} />
        </>
      ) : null}

      {!appliedAt && !problems.length ? (
        nothingToDo ? (
          <p className="govuk-body">This file matches the councils Springboard already has. There is nothing to import.</p>
        ) : (
          <Form method="post">
            <CsrfInput />
            <p className="govuk-body">All of these changes are made together. If any of them cannot be made, none are.</p>
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Confirm and import
            </button>
          </Form>
        )
      ) : null}
    </>
  );
}
