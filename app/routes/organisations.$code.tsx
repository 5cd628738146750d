import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { readForm } from "~/forms/body.server.ts";
import { canHaveDomains, changeDomains, domainsFor } from "~/join/domains.server.ts";
import { changeDeclaration, type DatePart } from "~/organisations/declaration.server.ts";
import { findOrganisation, isRetired, kindLabels } from "~/organisations/directory.server.ts";
import { isoDay, londonToday } from "~/utils/dates.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDate } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.organisation.name ?? "Organisation"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/organisations.$code");
  const organisation = await findOrganisation(params.code ?? "");
  if (!organisation) throw notFound();
  const url = new URL(request.url);
  const updated = url.searchParams.get("declaration");
  const domainChange = url.searchParams.get("domain");
  const domains = canHaveDomains(organisation.kind) ? await domainsFor(organisation.id) : null;
  return {
    organisation: {
      code: organisation.code,
      name: organisation.name,
      officialName: organisation.officialName,
      kind: kindLabels[organisation.kind],
      councilType: organisation.councilType?.name ?? null,
      website: organisation.website && /^https?:\/\//i.test(organisation.website) ? organisation.website : null,
      startDate: isoDay(organisation.startDate),
      endDate: isoDay(organisation.endDate),
      retired: isRetired(organisation.endDate),
      declarationSignedAt: isoDay(organisation.declarationSignedAt),
    },
    canRecord: user.role === "fundTeam" || user.role === "admin",
    updated: updated === "saved" || updated === "cleared" ? updated : null,
    domains,
    domainChange:
      (domainChange === "added" || domainChange === "removed") && url.searchParams.get("value")
        ? { outcome: domainChange, domain: url.searchParams.get("value")!.slice(0, 253) }
        : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, "routes/organisations.$code", "action");
  requireCsrf(request, form);
  const organisation = await findOrganisation(params.code ?? "");
  if (!organisation) throw notFound();
  const domainChange = await changeDomains(organisation, form, user);
  if (domainChange) {
    if (!domainChange.ok)
      return data({ form: "domain" as const, errors: domainChange.errors, fields: [] as DatePart[], values: domainChange.values }, { status: 400 });
    const query = new URLSearchParams({ domain: domainChange.outcome, value: domainChange.domain });
    return redirect(`/organisations/${encodeURIComponent(organisation.code)}?${query}#domains`);
  }
  const changed = await changeDeclaration(organisation.id, form, londonToday());
  if (!changed.ok) return data({ errors: changed.errors, fields: changed.fields, values: changed.values }, { status: 400 });
  return redirect(`/organisations/${encodeURIComponent(organisation.code)}?declaration=${changed.outcome}`);
}

function DeclarationDateInput({ values, error, fields }: { values: Record<DatePart, string>; error?: string; fields: readonly DatePart[] }) {
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
  const { organisation, canRecord, updated, domains, domainChange } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const domainResult = answer && "form" in answer ? answer : null;
  const result = answer && !("form" in answer) ? answer : null;
  const signed = organisation.declarationSignedAt;
  const current: Record<DatePart, string> = signed
    ? { year: signed.slice(0, 4), month: String(Number(signed.slice(5, 7))), day: String(Number(signed.slice(8, 10))) }
    : { day: "", month: "", year: "" };
  const error = result?.errors ? Object.values(result.errors)[0] : undefined;
  const typed = result
    ? { day: result.values["declaration-day"] ?? "", month: result.values["declaration-month"] ?? "", year: result.values["declaration-year"] ?? "" }
    : null;
  return (
    <>
      <a href="/organisations" className="govuk-back-link">
        Back to organisations
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors ?? domainResult?.errors} />
          {domainChange && !answer ? (
            <NotificationBanner
              type="success"
              heading={
                domainChange.outcome === "added"
                  ? `${domainChange.domain} is now one of ${organisation.name}'s email domains.`
                  : `${domainChange.domain} is no longer one of ${organisation.name}'s email domains.`
              }
            />
          ) : null}
          {updated && !result ? (
            <NotificationBanner
              type="success"
              heading={
                updated === "saved"
                  ? `The date ${organisation.name} signed the Local Digital Declaration has been saved.`
                  : `The declaration date for ${organisation.name} has been removed.`
              }
            />
          ) : null}
          <span className="govuk-caption-l">{organisation.councilType ?? organisation.kind}</span>
          <h1 className="govuk-heading-l">{organisation.name}</h1>
          <SummaryList
            rows={[
              { key: "Official name", value: organisation.officialName },
              { key: "Code", value: organisation.code },
              { key: "Kind", value: organisation.kind },
              { key: "Council type", value: organisation.councilType ?? "Not a council in the register" },
              { key: "Start date", value: organisation.startDate ? formatDate(organisation.startDate) : "Not recorded" },
              {
                key: "End date",
                value: organisation.endDate ? (
                  <>
                    {formatDate(organisation.endDate)} {organisation.retired ? <strong className="govuk-tag govuk-tag--grey">No longer exists</strong> : null}
                  </>
                ) : (
                  "None: still exists"
                ),
              },
              {
                key: "Local Digital Declaration",
                value: signed ? `Signed on ${formatDate(signed)}` : <strong className="govuk-tag govuk-tag--grey">Not signed</strong>,
              },
              {
                key: "Website",
                value: organisation.website ? (
                  <a className="govuk-link" href={organisation.website} rel="noreferrer noopener">
                    {organisation.website}
                  </a>
                ) : (
                  "Not recorded"
                ),
              },
            ]}
          />
          {domains ? (
            <>
              <h2 className="govuk-heading-m" id="domains">
                Email domains
              </h2>
              <p className="govuk-body">
                Staff with an address on one of these domains can ask to join {organisation.name}. Its officers, or the fund team where it has none, approve
                each request.
              </p>
              {domains.length ? (
                <ul className="govuk-list govuk-list--bullet">
                  {domains.map((d) => (
                    <li key={d.id}>{d.domain}</li>
                  ))}
                </ul>
              ) : (
                <p className="govuk-body">None yet: nobody can ask to join {organisation.name}.</p>
              )}
              {canRecord ? (
                <>
                  {domains.map((d) => (
                    <Form method="post" key={d.id}>
                      <CsrfInput />
                      <input type="hidden" name="intent" value="remove-domain" />
                      <input type="hidden" name="domainId" value={d.id} />
                      <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                        Remove {d.domain}
                      </button>
                    </Form>
                  ))}
                  <Form method="post" noValidate>
                    <CsrfInput />
                    <input type="hidden" name="intent" value="add-domain" />
                    <TextInput
                      name="domain"
                      label="Add an email domain"
                      hint="The part of its staff's addresses after the @, like leeds.gov.uk. Not a public email service like gmail.com."
                      spellCheck={false}
                      autoComplete="off"
                      defaultValue={domainResult?.values.domain}
                      error={domainResult?.errors.domain}
                    />
                    <button type="submit" className="govuk-button" data-module="govuk-button">
                      Add domain
                    </button>
                  </Form>
                </>
              ) : null}
            </>
          ) : null}
          {canRecord ? (
            <>
              <h2 className="govuk-heading-m">Record the Local Digital Declaration</h2>
              <p className="govuk-body">
                Councils must have signed the declaration before they can bid. Record the date {organisation.name} signed it, as shown on the declaration's list
                of signatories.
              </p>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="save" />
                <DeclarationDateInput values={typed ?? current} error={error} fields={result?.fields ?? []} />
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
