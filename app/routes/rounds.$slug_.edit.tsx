import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { ErrorSummary } from "~/components/forms.tsx";
import { readForm } from "~/forms/body.server.ts";
import { RoundContent } from "~/rounds/round-content.tsx";
import { fieldOrder, fieldTargets, RoundSetupForm } from "~/rounds/setup-form.tsx";
import { changeRound } from "~/rounds/setup-actions.server.ts";
import { roundForSetup, roundProgress, settingsOf } from "~/rounds/setup.server.ts";
import { valuesFromSettings, type FormValues, type RoundProgress } from "~/rounds/setup.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { plural } from "~/utils/format.ts";

const ROUTE = "routes/rounds.$slug_.edit" as const;

export const meta = titled<typeof loader>(({ data }) => ["Edit settings", data?.round.name]);

/** What can no longer change, in words, before the fund team tries. */
function lockedSummary(progress: RoundProgress): string[] {
  const lines: string[] = [];
  if (progress.bidsSubmitted > 0) {
    const bids = plural(progress.bidsSubmitted, "bid has", "bids have");
    lines.push(
      `The stage, the most a bid can ask for, the opening date and who can bid, because ${bids} been submitted. The closing date can be moved later but not earlier.`,
    );
  }
  if (progress.assessmentStarted)
    lines.push("The criteria, their weights, the scoring scale, the assessors per bid and the moderation threshold, because assessment has started.");
  if (progress.fundingLineDrawn) lines.push("The budget, because the funding line has been drawn.");
  return lines;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await roundForSetup(params.slug);
  const progress = await roundProgress(round.id);
  return {
    round: { slug: round.slug, name: round.name, fund: round.fund.name },
    values: valuesFromSettings(settingsOf(round)),
    locked: lockedSummary(progress),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const outcome = await changeRound(await roundForSetup(params.slug), form);
  if (outcome.kind === "refused") return data({ errors: outcome.errors, values: outcome.values, preview: null }, { status: 400 });
  if (outcome.kind === "preview") return data({ errors: null, values: outcome.values, preview: outcome.view });
  return redirect(`/rounds/${outcome.slug}?notice=saved`);
}

export default function EditRound() {
  const { round, values: loaded, locked } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values as FormValues | undefined) ?? loaded;
  return (
    <>
      <a href={`/rounds/${round.slug}`} className="govuk-back-link">
        Back to {round.name}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={fieldOrder()} targets={fieldTargets} />
          <span className="govuk-caption-l">{round.fund}</span>
          <h1 className="govuk-heading-l">Edit settings for {round.name}</h1>
          {result?.preview ? (
            <section aria-label="Preview" className="app-preview govuk-!-padding-4 govuk-!-margin-bottom-6">
              <p className="govuk-body">
                <strong className="govuk-tag govuk-tag--yellow">Preview</strong> This is what applicants will see once you save. Nothing is saved yet.
              </p>
              <RoundContent view={result.preview} level={2} />
            </section>
          ) : (
            <p className="govuk-body">
              <a className="govuk-link" href={`/rounds/${round.slug}/preview`}>
                Preview the saved settings as applicants see them
              </a>
            </p>
          )}
          <RoundSetupForm values={values} errors={result?.errors} saveText="Save changes" locked={locked} />
        </div>
      </div>
    </>
  );
}
