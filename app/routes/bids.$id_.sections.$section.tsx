import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { authoriseKeepingForm, canEditSection, loadBidFor, notFound, rescuedForm, saveSection } from "~/bids/bids.server.ts";
import {
  costCategories,
  costTotals,
  isSectionKey,
  parseSection,
  readAnswers,
  rowField,
  sectionFields,
  sectionTitle,
  summaryOf,
  valuesOf,
  type BidSectionKey,
} from "~/bids/sections.ts";
import { partnersOf } from "~/bids/view.server.ts";
import { PartnerList } from "~/components/bid-parts.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Section"} – ${data?.bid.title ?? "Bid"} – Springboard` }];

const ROUTE = "routes/bids.$id_.sections.$section" as const;

function sectionOf(params: { section?: string }): BidSectionKey {
  if (!isSectionKey(params.section)) throw notFound();
  return params.section;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const key = sectionOf(params);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer", "partnerOfficer", "invitedOfficer"]);
  if (!canEditSection(relation, bid, key)) throw redirect(`/bids/${bid.id}`);
  const answers = readAnswers(bid.answers);
  const url = new URL(request.url);
  const rescued = await rescuedForm(url.searchParams.get("restore"), url.pathname);
  const values = rescued ?? valuesOf(key, answers.sections[key]);
  const stored = answers.sections[key];
  return {
    bid: { id: bid.id, title: bid.title, reference: bid.reference, lead: bid.leadOrganisation.name },
    key,
    title: sectionTitle(key),
    values,
    rescued: Boolean(rescued),
    version: rescued ? Number(rescued.version ?? answers.versions[key] ?? 0) : (answers.versions[key] ?? 0),
    complete: rescued ? rescued.complete === "yes" : answers.completed.includes(key),
    lineRows: (stored?.lines?.length ?? 0) + 3,
    metricRows: (stored?.metrics?.length ?? 0) + 2,
    totals: costTotals(stored?.lines ?? []),
    capPence: bid.round.capPence,
    partners: key === "partners" ? partnersOf(bid) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  // If the session ran out while they typed, every word is kept for after sign-in.
  const user = await authoriseKeepingForm(request, ROUTE, form);
  requireCsrf(request, form);
  const key = sectionOf(params);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer", "partnerOfficer", "invitedOfficer"]);
  if (!canEditSection(relation, bid, key)) throw redirect(`/bids/${bid.id}`);
  const complete = form.get("complete") === "yes";
  const intent = String(form.get("intent") ?? "continue");
  const version = Number(form.get("version") ?? 0);
  const parsed = parseSection(key, form, { complete, capPence: bid.round.capPence, formatMoney });
  const values = { ...parsed.values, complete: complete ? "yes" : "no" };
  if (Object.keys(parsed.errors).length) {
    return data({ errors: parsed.errors, order: parsed.order, values, conflict: null, version }, { status: 400 });
  }
  const saved = await saveSection(user, bid.id, key, parsed.stored, complete, Number.isFinite(version) ? version : -1);
  if (!saved.ok && saved.code === "locked") throw redirect(`/bids/${bid.id}`);
  if (!saved.ok) {
    return data(
      {
        errors: { conflict: "Someone else saved this section while you were editing it. Your answers are still below: check theirs, then save again to replace them." },
        order: ["conflict"],
        values,
        version: saved.version,
        conflict: {
          by: saved.savedBy?.name ?? "Another officer",
          at: saved.savedBy?.at ?? null,
          rows: summaryOf(key, saved.latest, formatMoney),
        },
      },
      { status: 409 },
    );
  }
  if (intent === "more") return redirect(`/bids/${bid.id}/sections/${key}?saved=1`);
  return redirect(`/bids/${bid.id}`);
}

export default function SectionPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { bid, key, title } = loaded;
  const values: Record<string, string> = result?.values ?? loaded.values;
  const errors: Record<string, string> | undefined = result?.errors;
  const version = result?.version ?? loaded.version;
  const complete = result ? result.values.complete === "yes" : loaded.complete;
  const lineRows = Math.max(loaded.lineRows, ...Object.keys(values).filter((k) => k.startsWith("line-")).map((k) => Number(k.split("-")[1]) + 1));
  const metricRows = Math.max(loaded.metricRows, ...Object.keys(values).filter((k) => k.startsWith("metric-")).map((k) => Number(k.split("-")[1]) + 1));
  const fieldError = (name: string) => errors?.[name];
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to the bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={result?.order} />
          {loaded.rescued ? (
            <div className="govuk-notification-banner" role="region" aria-labelledby="rescued-title" data-module="govuk-notification-banner">
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id="rescued-title">
                  Important
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <p className="govuk-notification-banner__heading">
                  You were signed out before your answers were saved. We kept what you typed: check it and save it.
                </p>
              </div>
            </div>
          ) : null}
          {result?.conflict ? (
            <div className="govuk-inset-text" id="conflict">
              <h2 className="govuk-heading-s">
                What {result.conflict.by} saved{result.conflict.at ? ` at ${formatDateTime(result.conflict.at)}` : ""}
              </h2>
              <dl className="govuk-summary-list">
                {result.conflict.rows.map((row, i) => (
                  <div className="govuk-summary-list__row" key={i}>
                    <dt className="govuk-summary-list__key">{row.label}</dt>
                    <dd className="govuk-summary-list__value app-preserve-lines">{row.value || "Not answered"}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ) : null}
          <span className="govuk-caption-l">
            {bid.reference}: {bid.title}
          </span>
          <h1 className="govuk-heading-l">{title}</h1>

          {key === "partners" ? (
            <>
              <PartnerList lead={bid.lead} partners={loaded.partners} />
              <p className="govuk-body">
                <a className="govuk-link" href={`/bids/${bid.id}/partners`}>
                  Invite or remove partner councils
                </a>
              </p>
            </>
          ) : null}

          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            {sectionFields[key].map((field) => (
              <Textarea
                key={field.name}
                name={field.name}
                label={field.label}
                hint={field.hint}
                rows={field.long ? 8 : 2}
                defaultValue={values[field.name] ?? ""}
                error={fieldError(field.name)}
              />
            ))}

            {key === "costs" ? (
              <CostLines rows={lineRows} values={values} errors={errors} totals={loaded.totals} capPence={loaded.capPence} />
            ) : null}
            {key === "evaluation" ? <Metrics rows={metricRows} values={values} errors={errors} /> : null}

            <div className="govuk-form-group">
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Have you completed this section?</legend>
                <div className="govuk-radios" data-module="govuk-radios">
                  <div className="govuk-radios__item">
                    <input className="govuk-radios__input" id="complete" name="complete" type="radio" value="yes" defaultChecked={complete} />
                    <label className="govuk-label govuk-radios__label" htmlFor="complete">
                      Yes, I've completed this section
                    </label>
                  </div>
                  <div className="govuk-radios__item">
                    <input className="govuk-radios__input" id="complete-no" name="complete" type="radio" value="no" defaultChecked={!complete} />
                    <label className="govuk-label govuk-radios__label" htmlFor="complete-no">
                      No, I'll come back to it later
                    </label>
                  </div>
                </div>
              </fieldset>
            </div>
            <div className="govuk-button-group">
              <button type="submit" name="intent" value="continue" className="govuk-button" data-module="govuk-button">
                Save and continue
              </button>
              {key === "costs" || key === "evaluation" ? (
                <button type="submit" name="intent" value="more" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  {key === "costs" ? "Save and add more lines" : "Save and add more metrics"}
                </button>
              ) : null}
            </div>
          </Form>
        </div>
      </div>
    </>
  );
}

function Cell({ name, label, values, errors, width, inputMode }: { name: string; label: string; values: Record<string, string>; errors?: Record<string, string>; width?: string; inputMode?: "decimal" }) {
  const error = errors?.[name];
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={name}>
        {label}
      </label>
      {error ? (
        <p id={`${name}-error`} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      <input
        className={`govuk-input${width ? ` ${width}` : ""}${error ? " govuk-input--error" : ""}`}
        id={name}
        name={name}
        type="text"
        inputMode={inputMode}
        spellCheck={false}
        defaultValue={values[name] ?? ""}
        aria-describedby={error ? `${name}-error` : undefined}
      />
    </div>
  );
}

function CostLines({ rows, values, errors, totals, capPence }: { rows: number; values: Record<string, string>; errors?: Record<string, string>; totals: { lead: number; partner: number; supplier: number; total: number }; capPence: number }) {
  return (
    <>
      <p className="govuk-body">
        List what the money is for, line by line, and who will spend it. Leave lines you do not need blank. The most a bid can ask for in this round is{" "}
        {formatMoney(capPence)}.
      </p>
      {Array.from({ length: rows }, (_, i) => {
        const who = rowField("line", i, "who");
        const whoError = errors?.[who];
        return (
          <fieldset className="govuk-fieldset app-row" key={i}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Line {i + 1}</legend>
            <div className={`govuk-form-group${whoError ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label" htmlFor={who}>
                Who spends it
              </label>
              {whoError ? (
                <p id={`${who}-error`} className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {whoError}
                </p>
              ) : null}
              <select className={`govuk-select${whoError ? " govuk-select--error" : ""}`} id={who} name={who} defaultValue={values[who] || "lead"} aria-describedby={whoError ? `${who}-error` : undefined}>
                {costCategories.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.text}
                  </option>
                ))}
              </select>
            </div>
            <Cell name={rowField("line", i, "description")} label="What it is for" values={values} errors={errors} />
            <Cell name={rowField("line", i, "amount")} label="Amount in pounds" values={values} errors={errors} width="govuk-input--width-10" inputMode="decimal" />
          </fieldset>
        );
      })}
      <h2 className="govuk-heading-m">Totals (as last saved)</h2>
      <dl className="govuk-summary-list" data-testid="cost-totals">
        {[
          ["Lead council", totals.lead],
          ["Partner councils", totals.partner],
          ["Suppliers", totals.supplier],
          ["Total asked for", totals.total],
        ].map(([label, pence]) => (
          <div className="govuk-summary-list__row" key={label}>
            <dt className="govuk-summary-list__key">{label}</dt>
            <dd className="govuk-summary-list__value">{formatMoney(pence as number)}</dd>
          </div>
        ))}
      </dl>
      <p className="govuk-body">
        {totals.total > capPence
          ? `The total is ${formatMoney(totals.total - capPence)} more than the cap of ${formatMoney(capPence)}.`
          : `The total is within the cap of ${formatMoney(capPence)}.`}
      </p>
    </>
  );
}

function Metrics({ rows, values, errors }: { rows: number; values: Record<string, string>; errors?: Record<string, string> }) {
  return (
    <>
      <h2 className="govuk-heading-m">Metrics</h2>
      <p className="govuk-body">How you will measure success: each metric's unit, where it is now (baseline) and where you aim to get it (target). Leave metrics you do not need blank.</p>
      {Array.from({ length: rows }, (_, i) => (
        <fieldset className="govuk-fieldset app-row" key={i}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Metric {i + 1}</legend>
          <Cell name={rowField("metric", i, "name")} label="Name" values={values} errors={errors} />
          <Cell name={rowField("metric", i, "unit")} label="Unit" values={values} errors={errors} width="govuk-input--width-20" />
          <Cell name={rowField("metric", i, "baseline")} label="Baseline" values={values} errors={errors} width="govuk-input--width-10" inputMode="decimal" />
          <Cell name={rowField("metric", i, "target")} label="Target" values={values} errors={errors} width="govuk-input--width-10" inputMode="decimal" />
        </fieldset>
      ))}
    </>
  );
}
