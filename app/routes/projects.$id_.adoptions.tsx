import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { adoptionsAction } from "~/adoptions/actions.server.ts";
import { adoptionStatusOf, loadAdoptionsPage } from "~/adoptions/adoptions.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { readForm } from "~/forms/body.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatMoney, formatSize } from "~/utils/format.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Councils adopting this product", data?.project.title]);

const ROUTE = "routes/projects.$id_.adoptions" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const page = await loadAdoptionsPage(user, params.id);
  return {
    project: {
      id: page.project.id,
      reference: page.project.reference,
      title: page.project.title,
      summary: page.project.summary,
      lead: page.project.leadOrganisation.name,
    },
    relation: page.relation,
    canRegister: page.canRegister,
    ownAdoptionId: page.own?.id ?? null,
    council: user.organisation.name,
    adoptions: page.adoptions.map((a) => ({
      id: a.id,
      council: a.organisation.name,
      status: adoptionStatusOf(a.status),
      goLiveOn: a.goLiveOn ? formatDate(a.goLiveOn) : null,
      savings: formatMoney(a.savingsPence),
      savingsPence: a.savingsPence,
      note: a.note,
      own: a.organisationId === user.organisation.id,
    })),
    documents: page.documents.map((d) => ({ id: d.id, fileName: d.fileName, size: d.size })),
    isLeadOfficer: page.isLeadOfficer,
    allDocuments: page.allDocuments.map((d) => ({ id: d.id, fileName: d.fileName, stage: d.stage, reusable: d.reusable })),
    notice: noticeFrom(request, notices),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  return adoptionsAction(user, await loadAdoptionsPage(user, params.id), form);
}

const notices: Record<string, string> = { reusable: "The reusable documents have been saved." };

export default function Adoptions() {
  const { project, relation, canRegister, ownAdoptionId, council, adoptions, documents, isLeadOfficer, allDocuments, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const seesAll = relation === "fundTeam" || relation === "team";
  const totalSavings = adoptions.reduce((sum, a) => sum + a.savingsPence, 0);
  const live = adoptions.filter((a) => a.status.value === "live").length;
  return (
    <>
      <a href={seesAll ? `/projects/${project.id}` : "/home"} className="govuk-back-link">
        {seesAll ? "Back to the project" : "Back to your home page"}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          <SuccessNotice text={notice} />
          <span className="govuk-caption-l">
            {project.reference}: {project.title}
          </span>
          <h1 className="govuk-heading-l">Councils adopting this product</h1>
          {project.summary ? <p className="govuk-body">{project.summary}</p> : null}
          <p className="govuk-body">Led by {project.lead}.</p>
          {canRegister ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <p className="govuk-body">
                Register {council} to adopt this product. {project.lead} will be told, and you can then record your progress, go-live date and savings.
              </p>
              <button
                type="submit"
                id="register"
                name="intent"
                value="register"
                className="govuk-button"
                data-module="govuk-button"
                data-prevent-double-click="true"
              >
                Register to adopt
              </button>
            </Form>
          ) : null}
          {ownAdoptionId && !seesAll ? (
            <p className="govuk-body">
              <a href={`/projects/${project.id}/adoptions/${ownAdoptionId}`} className="govuk-link">
                Update your council&apos;s adoption
              </a>
            </p>
          ) : null}
          {seesAll ? (
            <SummaryList
              rows={[
                { key: "Councils adopting", value: adoptions.length },
                { key: "Live", value: live },
                { key: "Savings reported", value: formatMoney(totalSavings) },
              ]}
            />
          ) : null}
        </div>
      </div>
      {adoptions.length ? (
        <Table
          caption={seesAll ? "Adoptions" : "Your council's adoption"}
          captionClass="govuk-table__caption--m"
          head={["Council", "Status", "Go-live date", "Savings reported", "Note"]}
          numeric={[3]}
          rows={adoptions.map((a) => [
            <a key="council" href={`/projects/${project.id}/adoptions/${a.id}`} className="govuk-link">
              {a.council}
            </a>,
            <strong key="status" className={`govuk-tag govuk-tag--${a.status.tag}`}>
              {a.status.text}
            </strong>,
            a.goLiveOn ?? "Not set",
            a.savings,
            a.note,
          ])}
        />
      ) : (
        <p className="govuk-body">{seesAll ? "No council has registered to adopt this product yet." : null}</p>
      )}
      <h2 className="govuk-heading-m">Reusable outputs</h2>
      {documents.length ? (
        <ul className="govuk-list">
          {documents.map((d) => (
            <li key={d.id}>
              <a href={`/projects/${project.id}/adoptions/documents/${d.id}`} className="govuk-link" download>
                {d.fileName}
              </a>{" "}
              <span className="govuk-body-s">({formatSize(d.size)})</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">The project team has not marked any documents as reusable yet.</p>
      )}
      {isLeadOfficer && allDocuments.length ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <Checkboxes
            name="reusable"
            legend="Which documents can adopting councils reuse?"
            hint="Councils looking at this product can download the documents you select."
            small
            items={allDocuments.map((d) => ({ value: d.id, text: `${d.fileName} (${d.stage} stage)` }))}
            values={allDocuments.filter((d) => d.reusable).map((d) => d.id)}
          />
          <button type="submit" name="intent" value="reusable" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Save reusable documents
          </button>
        </Form>
      ) : null}
    </>
  );
}
