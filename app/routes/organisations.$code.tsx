import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { checkDeclarationDate, type DatePart } from "~/organisations/declaration.server.ts";
import { findOrganisation, isRetired, kindLabels, londonToday, recordDeclaration } from "~/organisations/directory.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate } from "~/utils/format.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.organisation.name ?? "Organisation"} – Organisations – Springboard` },
];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });
const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/organisations.$code");
  const organisation = await findOrganisation(params.code ?? "");
  if (!organisation) throw notFound();
  const url = new URL(request.url);
  const updated = url.searchParams.get("declaration");
  return {
    organisation: {
      code: organisation.code,
      name: organisation.name,
      officialName: organisation.officialName,
      kind: kindLabels[organisation.kind],
      councilType: organisation.councilType?.name ?? null,
      website: organisation.website && /^https?:\/\//i.test(organisation.website) ? organisation.website : null,
      startDate: day(organisation.startDate),
      endDate: day(organisation.endDate),
      retired: isRetired(organisation.endDate),
      declarationSignedAt: day(organisation.declarationSignedAt),
    },
    canRecord: user.role === "fundTeam" || user.role === "admin",
    updated: updated === "saved" || updated === "cleared" ? updated : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await authoriseUser(request, "routes/organisations.$code", "action");
  const form = await request.formData();
  requireCsrf(request, form);
  const organisation = await findOrganisation(params.code ?? "");
  if (!organisation) throw notFound();
  const back = `/organisations/${encodeURIComponent(organisation.code)}`;
  if (form.get("intent") === "clear") {
    await recordDeclaration(organisation.id, null);
    return redirect(`${back}?declaration=cleared`);
  }
  const values = {
    day: String(form.get("declaration-day") ?? ""),
    month: String(form.get("declaration-month") ?? ""),
    year: String(form.get("declaration-year") ?? ""),
  };
  const check = checkDeclarationDate(values, londonToday());
  if (!check.ok) {
    return data(
      { errors: { [`declaration-${check.fields[0]}`]: check.message } as Record<string, string>, fields: check.fields, values },
      { status: 400 },
    );
  }
  await recordDeclaration(organisation.id, check.date);
  return redirect(`${back}?declaration=saved`);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

function DeclarationDateInput({
  values,
  error,
  fields,
}: {
  values: Record<DatePart, string>;
  error?: string;
  fields: readonly DatePart[];
}) {
  const parts: { part: DatePart; label: string; width: number }[] = [
    { part: "day", label: "Day", width: 2 },
    { part: "month", label: "Month", width: 2 },
    { part: "year", label: "Year", width: 4 },
  ];
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={`declaration-hint${error ? " declaration-error" : ""}`}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
          <h2 className="govuk-fieldset__heading">Date the declaration was signed</h2>
        </legend>
        <div id="declaration-hint" className="govuk-hint">
          For example, 27 3 2019. The declaration was published on 4 July 2018.
        </div>
        {error ? (
          <p id="declaration-error" className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div className="govuk-date-input" id="declaration">
          {parts.map(({ part, label, width }) => (
            <div className="govuk-date-input__item" key={part}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={`declaration-${part}`}>
                  {label}
                </label>
                <input
                  className={`govuk-input govuk-date-input__input govuk-input--width-${width}${error && fields.includes(part) ? " govuk-input--error" : ""}`}
                  id={`declaration-${part}`}
                  name={`declaration-${part}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={values[part]}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export default function OrganisationPage() {
  const { organisation, canRecord, updated } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const signed = organisation.declarationSignedAt;
  const current: Record<DatePart, string> = signed
    ? { year: signed.slice(0, 4), month: String(Number(signed.slice(5, 7))), day: String(Number(signed.slice(8, 10))) }
    : { day: "", month: "", year: "" };
  const error = result?.errors ? Object.values(result.errors)[0] : undefined;
  return (
    <>
      <a href="/organisations" className="govuk-back-link">
        Back to organisations
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          {updated && !result ? (
            <div
              className="govuk-notification-banner govuk-notification-banner--success"
              role="alert"
              aria-labelledby="declaration-updated-title"
              data-module="govuk-notification-banner"
            >
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id="declaration-updated-title">
                  Success
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <p className="govuk-notification-banner__heading">
                  {updated === "saved"
                    ? `The date ${organisation.name} signed the Local Digital Declaration has been saved.`
                    : `The declaration date for ${organisation.name} has been removed.`}
                </p>
              </div>
            </div>
          ) : null}
          <span className="govuk-caption-l">{organisation.councilType ?? organisation.kind}</span>
          <h1 className="govuk-heading-l">{organisation.name}</h1>
          <dl className="govuk-summary-list">
            <Row label="Official name">{organisation.officialName}</Row>
            <Row label="Code">{organisation.code}</Row>
            <Row label="Kind">{organisation.kind}</Row>
            <Row label="Council type">{organisation.councilType ?? "Not a council in the register"}</Row>
            <Row label="Start date">{organisation.startDate ? formatDate(organisation.startDate) : "Not recorded"}</Row>
            <Row label="End date">
              {organisation.endDate ? (
                <>
                  {formatDate(organisation.endDate)}{" "}
                  {organisation.retired ? <strong className="govuk-tag govuk-tag--grey">No longer exists</strong> : null}
                </>
              ) : (
                "None: still exists"
              )}
            </Row>
            <Row label="Local Digital Declaration">
              {signed ? `Signed on ${formatDate(signed)}` : <strong className="govuk-tag govuk-tag--grey">Not signed</strong>}
            </Row>
            <Row label="Website">
              {organisation.website ? (
                <a className="govuk-link" href={organisation.website} rel="noreferrer noopener">
                  {organisation.website}
                </a>
              ) : (
                "Not recorded"
              )}
            </Row>
          </dl>
          {canRecord ? (
            <>
              <h2 className="govuk-heading-m">Record the Local Digital Declaration</h2>
              <p className="govuk-body">
                Councils must have signed the declaration before they can bid. Record the date {organisation.name} signed it, as
                shown on the declaration's list of signatories.
              </p>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="save" />
                <DeclarationDateInput values={result?.values ?? current} error={error} fields={result?.fields ?? []} />
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Save date
                </button>
              </Form>
              {signed ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="clear" />
                  <p className="govuk-body">If the date was recorded by mistake, you can remove it. The organisation will show as not signed.</p>
                  <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                    Remove the date
                  </button>
                </Form>
              ) : null}
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
