import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden, loadAdoptionFor, updateAdoption } from "~/adoptions/adoptions.server.ts";
import { adoptionStatuses, adoptionStatusOf } from "~/adoptions/statuses.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { parseMoney } from "~/bids/sections.ts";
import { DateInput } from "~/components/date-input.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { datePartsFrom, datePartsOf, isoDay, parseDateParts } from "~/projects/forms.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format.ts";

export const meta: MetaFunction = () => [{ title: "Adoption – Springboard" }];

const ROUTE = "routes/projects.$id_.adoptions_.$adoptionId" as const;

const penceToPounds = (pence: number) => (pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { adoption, canEdit } = await loadAdoptionFor(user, params.id, params.adoptionId);
  const goLive = datePartsOf(isoDay(adoption.goLiveOn));
  return {
    canEdit,
    notice: new URL(request.url).searchParams.get("notice"),
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
      savings: penceToPounds(adoption.savingsPence),
      note: adoption.note,
    } as Record<string, string>,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { adoption, canEdit } = await loadAdoptionFor(user, params.id, params.adoptionId);
  if (!canEdit) throw forbidden();
  const status = String(form.get("status") ?? "");
  const savings = String(form.get("savings") ?? "").trim();
  const note = String(form.get("note") ?? "").trim();
  const parts = datePartsFrom(form, "goLiveOn");
  const values = { status, savings, note, "goLiveOn-day": parts.day, "goLiveOn-month": parts.month, "goLiveOn-year": parts.year };
  const errors: Record<string, string> = {};
  if (!adoptionStatuses.some((s) => s.value === status)) errors.status = "Select the status of your adoption";
  let goLiveOn: string | null = null;
  const anyDate = parts.day || parts.month || parts.year;
  if (anyDate || status === "live") {
    const parsed = parseDateParts(parts, "The go-live date");
    if (parsed.ok) goLiveOn = parsed.date;
    else errors["goLiveOn-day"] = status === "live" && !anyDate ? "Enter the date your council went live" : parsed.message;
  }
  const savingsPence = savings ? parseMoney(savings) : 0;
  if (savingsPence === null) errors.savings = "Enter the savings as an amount in pounds, like 12500 or 12,500.50";
  if (note.length > 2000) errors.note = "The note must be 2,000 characters or fewer";
  if (Object.keys(errors).length) return data({ errors, values }, { status: 400 });
  const saved = await updateAdoption(
    adoption.id,
    { status, goLiveOn, savingsPence: savingsPence ?? 0, note },
    String(form.get("updatedAt") ?? "") || null,
  );
  if (!saved.ok) return data({ errors: { status: saved.reason }, values }, { status: 409 });
  return redirect(`/projects/${params.id}/adoptions/${adoption.id}?notice=saved`);
}

export default function Adoption() {
  const { canEdit, notice, project, adoption, values: stored } = useLoaderData<typeof loader>();
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
          {notice === "registered" || notice === "saved" ? (
            <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="notice-title" data-module="govuk-notification-banner">
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id="notice-title">
                  Success
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <p className="govuk-notification-banner__heading">
                  {notice === "registered" ? `${adoption.council} is registered to adopt this product` : "Your adoption has been updated"}
                </p>
              </div>
            </div>
          ) : null}
          <span className="govuk-caption-l">
            {project.reference}: {project.title}
          </span>
          <h1 className="govuk-heading-l">{adoption.council}&apos;s adoption</h1>
          <dl className="govuk-summary-list">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Status</dt>
              <dd className="govuk-summary-list__value">
                <strong className={`govuk-tag govuk-tag--${adoption.statusView.tag}`}>{adoption.statusView.text}</strong>
              </dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Go-live date</dt>
              <dd className="govuk-summary-list__value">{adoption.goLiveOn ?? "Not set"}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Savings reported</dt>
              <dd className="govuk-summary-list__value">{adoption.savings}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Note</dt>
              <dd className="govuk-summary-list__value">{adoption.note || "None"}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Last updated</dt>
              <dd className="govuk-summary-list__value">{adoption.updatedText}</dd>
            </div>
          </dl>
          {canEdit ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="updatedAt" value={adoption.updatedAt} />
              <h2 className="govuk-heading-m">Update your adoption</h2>
              <div className={`govuk-form-group${errors?.status ? " govuk-form-group--error" : ""}`}>
                <fieldset className="govuk-fieldset" aria-describedby={errors?.status ? "status-error" : undefined}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Status</legend>
                  {errors?.status ? (
                    <p id="status-error" className="govuk-error-message">
                      <span className="govuk-visually-hidden">Error:</span> {errors.status}
                    </p>
                  ) : null}
                  <div className="govuk-radios" data-module="govuk-radios">
                    {adoptionStatuses.map((s, i) => (
                      <div className="govuk-radios__item" key={s.value}>
                        <input
                          className="govuk-radios__input"
                          id={i === 0 ? "status" : `status-${s.value}`}
                          name="status"
                          type="radio"
                          value={s.value}
                          defaultChecked={values.status === s.value}
                        />
                        <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "status" : `status-${s.value}`}>
                          {s.text}
                        </label>
                      </div>
                    ))}
                  </div>
                </fieldset>
              </div>
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
              <Textarea name="note" label="Note (optional)" hint="For example, what has helped or held you back" defaultValue={values.note} error={errors?.note} />
              <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                Save adoption
              </button>
            </Form>
          ) : null}
        </div>
      </div>
    </>
  );
}
