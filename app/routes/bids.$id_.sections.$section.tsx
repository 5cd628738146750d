import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { sectionForm } from "~/bids/actions.server.ts";
import { canEditSection, loadBidFor, saveSection } from "~/bids/bids.server.ts";
import {
  costCategories,
  costTotals,
  isSectionKey,
  MAX_SECTION_ROWS,
  parseSection,
  readAnswers,
  rowField,
  rowsToShow,
  sectionFieldNames,
  sectionTitle,
  summaryOf,
  valuesOf,
  type BidSectionKey,
} from "~/bid-form/sections.ts";
import { fieldsFor, limitText, questionsFor } from "~/bid-form/questions.ts";
import { questionsForBid } from "~/bids/questions.server.ts";
import { partnersOf } from "~/bids/view.server.ts";
import { PartnerList } from "~/components/bid-parts.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SimilarWork } from "~/reuse/similar-work-panel.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { version as versionField } from "~/forms/fields.ts";
import { parseForm } from "~/forms/parse.server.ts";
import { showsSimilarWork, similarWorkFor } from "~/reuse/similar.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { authoriseKeepingForm, keptForm } from "~/auth/kept-forms.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.title ?? "Section", data?.bid.title]);

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
  const rescued = await keptForm(request, user, url.searchParams.get("restore"), url.pathname);
  const fields = fieldsFor(questionsFor(bid.round), key);
  const values = rescued ?? valuesOf(key, answers.sections[key], fields);
  const stored = answers.sections[key];
  const storedVersion = answers.versions[key] ?? 0;
  return {
    bid: { id: bid.id, title: bid.title, reference: bid.reference, lead: bid.leadOrganisation.name },
    key,
    title: sectionTitle(key),
    fields,
    values,
    rescued: Boolean(rescued),
    // A kept form goes back with the version it was typed against, so saving it over a newer one is caught.
    version: rescued ? (versionField.parse(rescued.version) ?? storedVersion) : storedVersion,
    complete: rescued ? rescued.complete === "yes" : answers.completed.includes(key),
    lineRows: rowsToShow("line", stored?.lines?.length ?? 0, 3, values),
    metricRows: rowsToShow("metric", stored?.metrics?.length ?? 0, 2, values),
    totals: costTotals(stored?.lines ?? []),
    capPence: bid.round.capPence,
    partners: key === "partners" ? partnersOf(bid) : [],
    // Beside the questions about the problem and the approach: what is already funded that does this.
    similar: (key === "problem" || key === "approach") && showsSimilarWork(relation, bid.state) ? await similarWorkFor(user, bid) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  // If the session ran out while they typed, the section's fields are kept for after sign-in.
  // Who is asking is settled before whether the section exists, as on every route.
  // The section's fields are its round's questions: only their names are read here, to know what to keep.
  const fields = isSectionKey(params.section) ? sectionFieldNames(params.section, fieldsFor(await questionsForBid(params.id), params.section)) : [];
  const user = await authoriseKeepingForm(request, ROUTE, form, fields, context.clientIp);
  requireCsrf(request, form);
  const key = sectionOf(params);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer", "partnerOfficer", "invitedOfficer"]);
  if (!canEditSection(relation, bid, key)) throw redirect(`/bids/${bid.id}`);
  const controls = parseForm(form, sectionForm);
  if (!controls.ok)
    return data({ errors: controls.errors, order: Object.keys(controls.errors), values: controls.values, conflict: null, version: 0 }, { status: 400 });
  const complete = controls.value.complete === "yes";
  const version = controls.value.version ?? 0;
  // The answers themselves are the section's own rules, checked field by field on what was typed.
  const questions = fieldsFor(questionsFor(bid.round), key);
  const parsed = parseSection(key, controls.values, { complete, capPence: bid.round.capPence, formatMoney, fields: questions });
  const values = { ...parsed.values, complete: complete ? "yes" : "no" };
  if (Object.keys(parsed.errors).length) {
    return data({ errors: parsed.errors, order: parsed.order, values, conflict: null, version }, { status: 400 });
  }
  const saved = await saveSection(user, bid.id, key, parsed.stored, complete, version);
  if (!saved.ok && saved.code === "locked") throw redirect(`/bids/${bid.id}`);
  if (!saved.ok) {
    return data(
      {
        errors: {
          conflict: "Someone else saved this section while you were editing it. Your answers are still below: check theirs, then save again to replace them.",
        },
        order: ["conflict"],
        values,
        version: saved.version,
        conflict: {
          by: saved.savedBy?.name ?? "Another officer",
          at: saved.savedBy?.at ?? null,
          rows: summaryOf(key, saved.latest, formatMoney, questions),
        },
      },
      { status: 409 },
    );
  }
  if (controls.value.intent === "more") return redirect(`/bids/${bid.id}/sections/${key}?saved=1`);
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
  // Rows follow what was typed, bounded by rowsToShow: never by the names a form sent.
  const lineRows = Math.max(loaded.lineRows, rowsToShow("line", 0, 0, values));
  const metricRows = Math.max(loaded.metricRows, rowsToShow("metric", 0, 0, values));
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
            <NotificationBanner heading="You were signed out before your answers were saved. We kept what you typed: check it and save it." />
          ) : null}
          {result?.conflict ? (
            // What the other person saved is what the refusal is about: its link lands here.
            <div className="govuk-inset-text" id="conflict" tabIndex={-1}>
              <h2 className="govuk-heading-s">
                What {result.conflict.by} saved{result.conflict.at ? ` at ${formatDateTime(result.conflict.at)}` : ""}
              </h2>
              <SummaryList
                rows={result.conflict.rows.map((row) => ({ key: row.label, value: <span className="app-preserve-lines">{row.value || "Not answered"}</span> }))}
              />
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
            {loaded.fields.map((field) => (
              <Textarea
                key={field.name}
                name={field.name}
                label={field.optional ? `${field.label} (optional)` : field.label}
                hint={field.showLimit ? [field.hint, limitText(field)].filter(Boolean).join(" ") : field.hint}
                rows={field.long ? 8 : 2}
                defaultValue={values[field.name] ?? ""}
                error={fieldError(field.name)}
              />
            ))}

            {key === "costs" ? <CostLines rows={lineRows} values={values} errors={errors} totals={loaded.totals} capPence={loaded.capPence} /> : null}
            {key === "evaluation" ? <Metrics rows={metricRows} values={values} errors={errors} /> : null}

            <Radios
              name="complete"
              legend="Have you completed this section?"
              legendClass="govuk-fieldset__legend--m"
              value={complete ? "yes" : "no"}
              items={[
                { value: "yes", text: "Yes, I've completed this section" },
                { value: "no", text: "No, I'll come back to it later" },
              ]}
            />
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
          {loaded.similar ? <SimilarWork items={loaded.similar} bidId={bid.id} audience="council" /> : null}
        </div>
      </div>
    </>
  );
}

function Cell({
  name,
  label,
  values,
  errors,
  width,
  inputMode,
}: {
  name: string;
  label: string;
  values: Record<string, string>;
  errors?: Record<string, string>;
  width?: string;
  inputMode?: "decimal";
}) {
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

function CostLines({
  rows,
  values,
  errors,
  totals,
  capPence,
}: {
  rows: number;
  values: Record<string, string>;
  errors?: Record<string, string>;
  totals: { lead: number; partner: number; supplier: number; total: number };
  capPence: number;
}) {
  return (
    <>
      <p className="govuk-body">
        List what the money is for, line by line, and who will spend it. Leave lines you do not need blank. A bid can have up to {MAX_SECTION_ROWS} lines. The
        most a bid can ask for in this round is {formatMoney(capPence)}.
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
              <select
                className={`govuk-select${whoError ? " govuk-select--error" : ""}`}
                id={who}
                name={who}
                defaultValue={values[who] || "lead"}
                aria-describedby={whoError ? `${who}-error` : undefined}
              >
                {costCategories.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.text}
                  </option>
                ))}
              </select>
            </div>
            <Cell name={rowField("line", i, "description")} label="What it is for" values={values} errors={errors} />
            <Cell
              name={rowField("line", i, "amount")}
              label="Amount in pounds"
              values={values}
              errors={errors}
              width="govuk-input--width-10"
              inputMode="decimal"
            />
          </fieldset>
        );
      })}
      <h2 className="govuk-heading-m">Totals (as last saved)</h2>
      <div data-testid="cost-totals">
        <SummaryList
          rows={[
            { key: "Lead council", value: formatMoney(totals.lead) },
            { key: "Partner councils", value: formatMoney(totals.partner) },
            { key: "Suppliers", value: formatMoney(totals.supplier) },
            { key: "Total asked for", value: formatMoney(totals.total) },
          ]}
        />
      </div>
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
      <p className="govuk-body">
        How you will measure success: each metric's unit, where it is now (baseline) and where you aim to get it (target). Leave metrics you do not need blank.
      </p>
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
