import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { updateAdoptionAction } from "~/adoptions/actions.server.ts";
import { loadAdoptionFor } from "~/adoptions/adoptions.server.ts";
import { adoptionStatuses, adoptionStatusOf } from "~/adoptions/statuses.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Timeline } from "~/engine/timeline.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { penceToInput } from "~/forms/fields.ts";
import { datePartsOf } from "~/projects/forms.ts";
import { isoDay } from "~/utils/dates.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { titled } from "~/utils/title.ts";
import { changeTimeline } from "~/engine/record-changes.server.ts";

export const meta = titled<typeof loader>(({ data }) => [data ? `${data.adoption.council}'s adoption` : "Adoption", data?.project.title]);

const ROUTE = "routes/projects.$id_.adoptions_.$adoptionId" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { adoption, canEdit } = await loadAdoptionFor(user, params.id, params.adoptionId);
  const goLive = datePartsOf(isoDay(adoption.goLiveOn));
  return {
    canEdit,
    notice: noticeFrom(request, { registered: `${adoption.organisation.name} is registered to adopt this product`, saved: "Your adoption has been updated" }),
    project: { id: adoption.project.id, title: adoption.project.title, reference: adoption.project.reference },
    adoption: {
      id: adoption.id,
      council: adoption.organisation.name,
      status: adoption.status,
      statusView: adoptionStatusOf(adoption.status),
      goLiveOn: adoption.goLiveOn ? formatDate(adoption.goLiveOn) : null,
      savings: formatMoney(adoption.savingsPence),
      note: adoption.note,
      updatedAt: adoption.updatedAt.toISOString(),
      updatedText: formatDateTime(adoption.updatedAt),
    },
    values: {
      status: adoption.status,
      "goLiveOn-day": goLive.day,
      "goLiveOn-month": goLive.month,
      "goLiveOn-year": goLive.year,
      savings: penceToInput(adoption.savingsPence),
      note: adoption.note,
    } as Record<string, string>,
    timeline: await changeTimeline("adoption", adoption.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  return updateAdoptionAction(user, await loadAdoptionFor(user, params.id, params.adoptionId), params.id!, form);
}

export default function Adoption() {
  const { canEdit, notice, project, adoption, values: stored, timeline } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? stored;
  const errors = result?.errors as Record<string, string> | undefined;
  return (
    <>
      <a href={`/projects/${project.id}/adoptions`} className="govuk-back-link">
        Back to councils adopting this product
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["status", "goLiveOn-day", "savings", "note"]} />
          <SuccessNotice text={notice} />
          <span className="govuk-caption-l">
            {project.reference}: {project.title}
          </span>
          <h1 className="govuk-heading-l">{adoption.council}&apos;s adoption</h1>
          <SummaryList
            rows={[
              { key: "Status", value: <strong className={`govuk-tag govuk-tag--${adoption.statusView.tag}`}>{adoption.statusView.text}</strong> },
              { key: "Go-live date", value: adoption.goLiveOn ?? "Not set" },
              { key: "Savings reported", value: adoption.savings },
              { key: "Note", value: adoption.note || "None" },
              { key: "Last updated", value: adoption.updatedText },
            ]}
          />
          {canEdit ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="updatedAt" value={adoption.updatedAt} />
              <h2 className="govuk-heading-m">Update your adoption</h2>
              <Radios
                name="status"
                legend="Status"
                items={adoptionStatuses.map((s) => ({ value: s.value, text: s.text }))}
                value={values.status}
                error={errors?.status}
              />
              <DateInput
                name="goLiveOn"
                legend="Go-live date"
                hint="The date your council started using the product, or plans to. For example, 27 3 2027"
                error={errors?.["goLiveOn-day"]}
                values={{ day: values["goLiveOn-day"] ?? "", month: values["goLiveOn-month"] ?? "", year: values["goLiveOn-year"] ?? "" }}
              />
              <TextInput
                name="savings"
                label="Savings so far, in pounds"
                hint="What adopting the product has saved your council to date"
                className="govuk-input--width-10"
                inputMode="decimal"
                defaultValue={values.savings}
                error={errors?.savings}
              />
              <Textarea
                name="note"
                label="Note (optional)"
                hint="For example, what has helped or held you back"
                defaultValue={values.note}
                error={errors?.note}
              />
              <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                Save adoption
              </button>
            </Form>
          ) : null}
          <Timeline items={timeline} />
        </div>
      </div>
    </>
  );
}
