import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { ErrorSummary } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { changeFundFromForm } from "~/funds/actions.server.ts";
import { FundForm } from "~/funds/fund-form.tsx";
import { fundBySlug, storedRules } from "~/funds/funds.server.ts";
import { fundFieldOrder, fundFieldTargets, fundValues } from "~/funds/setup.ts";
import { evidenceTypes } from "~/projects/evidence.server.ts";
import type { FormValues } from "~/rounds/setup.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/funds.$slug_.edit" as const;

export const meta = titled<typeof loader>(({ data }) => ["Change settings", data?.fund.name]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const fund = await fundBySlug(params.slug);
  const { rules } = storedRules(fund);
  return { fund: { slug: fund.slug, name: fund.name }, values: fundValues({ ...fund, rules }), evidence: evidenceTypes(rules) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const outcome = await changeFundFromForm(await fundBySlug(params.slug), form);
  if (outcome.kind === "refused") return data({ errors: outcome.errors, values: outcome.values }, { status: 400 });
  return redirect(`/funds/${outcome.slug}?notice=saved`);
}

export default function EditFund() {
  const { fund, values: loaded, evidence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values as FormValues | undefined) ?? loaded;
  return (
    <>
      <a href={`/funds/${fund.slug}`} className="govuk-back-link">
        Back to {fund.name}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={fundFieldOrder()} targets={fundFieldTargets} />
          <span className="govuk-caption-l">{fund.name}</span>
          <h1 className="govuk-heading-l">Change the fund's settings</h1>
          <div className="govuk-inset-text">
            Changes apply to rounds made from now on. Rounds already made keep the rules they copied when they were set up, so no bid is judged by rules it was
            not made under. To change a round, edit the round's own settings.
          </div>
          <FundForm values={values} errors={result?.errors} evidence={evidence} saveText="Save changes" />
        </div>
      </div>
    </>
  );
}
