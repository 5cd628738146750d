import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { ErrorSummary } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { createFundFromForm } from "~/funds/actions.server.ts";
import { FundForm } from "~/funds/fund-form.tsx";
import { fundFieldOrder, fundFieldTargets, fundValues } from "~/funds/setup.ts";
import { evidenceTypes } from "~/projects/evidence.server.ts";
import type { FormValues } from "~/rounds/setup.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { defaultFundRules } from "../../workflows/rules.ts";

const ROUTE = "routes/funds.new" as const;

export const meta = titled(() => ["Set up a fund"]);

/** A new fund starts from the product's defaults. */
export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  return { values: fundValues({ name: "", slug: "", summary: "", rules: defaultFundRules }), evidence: evidenceTypes(defaultFundRules) };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const outcome = await createFundFromForm(form);
  if (outcome.kind === "refused") return data({ errors: outcome.errors, values: outcome.values }, { status: 400 });
  return redirect(`/funds/${outcome.slug}?notice=created`);
}

export default function NewFund() {
  const { values: loaded, evidence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values as FormValues | undefined) ?? loaded;
  return (
    <>
      <a href="/funds" className="govuk-back-link">
        Back to funds
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={fundFieldOrder()} targets={fundFieldTargets} />
          <h1 className="govuk-heading-l">Set up a fund</h1>
          <p className="govuk-body">The settings below start from the service's usual rules. Rounds made from the fund copy them.</p>
          <FundForm values={values} errors={result?.errors} evidence={evidence} saveText="Create the fund" />
        </div>
      </div>
    </>
  );
}
