import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { ErrorSummary } from "~/components/forms.tsx";
import { Radios } from "~/components/radios.tsx";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { RoundContent } from "~/rounds/round-content.tsx";
import { fieldOrder, fieldTargets, RoundSetupForm } from "~/rounds/setup-form.tsx";
import { createRound } from "~/rounds/setup-actions.server.ts";
import { fundRulesOf, fundsForSetup, roundForSetup, settingsOf } from "~/rounds/setup.server.ts";
import { copyValues, valuesFromSettings, type FormValues } from "~/rounds/setup.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { defaultFundRules } from "../../workflows/rules.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/rounds.new" as const;

export const meta = titled(() => ["Set up a round"]);

/** A blank form from a fund's rules: the product's defaults unless the fund sets its own. */
function startingValues(fund: { id: string; rules: unknown } | undefined): FormValues {
  const rules = (fund && fundRulesOf(fund)) ?? defaultFundRules;
  return {
    ...valuesFromSettings({
      name: "",
      slug: "",
      stage: "pilot",
      opensAt: null,
      closesAt: null,
      assessmentDueAt: null,
      capPence: rules.caps.pilot,
      budgetPence: rules.roundBudget,
      guidance: "",
      rules,
    }),
    fund: fund?.id ?? "",
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const url = new URL(request.url);
  const copy = url.searchParams.get("copy");
  const funds = await fundsForSetup();
  // The round copies its fund's rules, so the fund comes first: the one asked for, or the
  // only one there is; with several and none chosen, the page asks which.
  const chosen = funds.find((f) => f.slug === url.searchParams.get("fund")) ?? (funds.length === 1 ? funds[0] : undefined);
  const rounds = await db().round.findMany({
    select: { slug: true, name: true, closesAt: true, fund: { select: { name: true } } },
    orderBy: { closesAt: "desc" },
    take: 50,
  });
  let values: FormValues;
  let copiedFrom: { slug: string; name: string } | null = null;
  if (copy) {
    const round = await roundForSetup(copy);
    values = { ...copyValues(settingsOf(round)), fund: round.fundId };
    copiedFrom = { slug: round.slug, name: round.name };
  } else {
    values = startingValues(chosen);
  }
  return {
    funds: funds.map((f) => ({ id: f.id, slug: f.slug, name: f.name })),
    chooseFund: !copy && !chosen && funds.length > 1,
    // The choice was sent without a fund picked.
    chooseError: url.searchParams.has("choosing") && !chosen ? "Select the fund the round is for" : null,
    rounds: rounds.map((r) => ({ slug: r.slug, name: r.name, fund: r.fund.name, closesAt: r.closesAt.toISOString(), closed: r.closesAt <= new Date() })),
    values,
    copiedFrom,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const outcome = await createRound(form);
  if (outcome.kind === "refused") return data({ errors: outcome.errors, values: outcome.values, preview: null }, { status: 400 });
  if (outcome.kind === "preview") return data({ errors: null, values: outcome.values, preview: outcome.view });
  return redirect(`/rounds/${outcome.slug}?notice=created`);
}

export default function NewRound() {
  const { funds, chooseFund, chooseError, rounds, values: loaded, copiedFrom } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values as FormValues | undefined) ?? loaded;
  const copyFrom = typeof values.copyFrom === "string" ? values.copyFrom : (copiedFrom?.slug ?? "");
  // A round started from a fund keeps that fund: its settings below are the fund's.
  const fixedFund = copyFrom ? undefined : funds.find((f) => f.id === values.fund);
  if (chooseFund && !result) return <ChooseFund funds={funds} error={chooseError} />;
  return (
    <>
      <a href="/rounds" className="govuk-back-link">
        Back to funding rounds
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={fieldOrder()} targets={fieldTargets} />
          <h1 className="govuk-heading-l">Set up a round</h1>
          {result?.preview ? (
            <section aria-label="Preview" className="app-preview govuk-!-padding-4 govuk-!-margin-bottom-6">
              <p className="govuk-body">
                <strong className="govuk-tag govuk-tag--yellow">Preview</strong> This is what applicants will see once you create the round. Nothing is saved
                yet.
              </p>
              <RoundContent view={result.preview} level={2} />
            </section>
          ) : null}
          {copiedFrom || copyFrom ? (
            <p className="govuk-body">Copied from {copiedFrom?.name ?? copyFrom}. Check every setting and enter new dates.</p>
          ) : (
            <>
              <p className="govuk-body">Start from the fund's settings below, or copy a previous round's settings.</p>
              {rounds.length ? (
                <details className="govuk-details">
                  <summary className="govuk-details__summary">
                    <span className="govuk-details__summary-text">Copy a previous round</span>
                  </summary>
                  <div className="govuk-details__text">
                    <ul className="govuk-list">
                      {rounds.map((r) => (
                        <li key={r.slug}>
                          <a className="govuk-link" href={`/rounds/new?copy=${encodeURIComponent(r.slug)}`}>
                            Copy {r.name}
                          </a>{" "}
                          ({r.fund}, {r.closed ? "closed" : "closes"} at {formatDateTime(r.closesAt)})
                        </li>
                      ))}
                    </ul>
                  </div>
                </details>
              ) : null}
            </>
          )}
          {funds.length ? (
            <>
              {fixedFund ? (
                <p className="govuk-body">
                  Fund: <strong>{fixedFund.name}</strong>. The settings below start from this fund's rules, and the round keeps its own copy of them.{" "}
                  {funds.length > 1 ? (
                    <a className="govuk-link" href="/rounds/new">
                      Choose another fund
                    </a>
                  ) : null}
                </p>
              ) : null}
              <RoundSetupForm
                values={values}
                errors={result?.errors}
                funds={fixedFund ? undefined : funds}
                saveText="Create the round"
                hidden={copyFrom ? { copyFrom } : fixedFund ? { fund: fixedFund.id } : undefined}
              />
            </>
          ) : (
            <p className="govuk-body">There are no funds yet. A fund must exist before it can have rounds.</p>
          )}
        </div>
      </div>
    </>
  );
}

/** With several funds, the fund comes first: the form that follows starts from its rules. */
function ChooseFund({ funds, error }: { funds: { slug: string; name: string }[]; error: string | null }) {
  return (
    <>
      <a href="/rounds" className="govuk-back-link">
        Back to funding rounds
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? { fund: error } : null} />
          <form method="get" action="/rounds/new" noValidate>
            <input type="hidden" name="choosing" value="yes" />
            <Radios
              name="fund"
              legend="Which fund is the round for?"
              legendIsHeading
              hint="The round starts from the fund's rules and keeps its own copy of them."
              items={funds.map((f) => ({ value: f.slug, text: f.name }))}
              error={error ?? undefined}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Continue
            </button>
          </form>
          <p className="govuk-body">
            <a className="govuk-link" href="/funds">
              See or set up funds
            </a>
          </p>
        </div>
      </div>
    </>
  );
}
