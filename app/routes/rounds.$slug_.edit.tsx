import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { ErrorSummary } from "~/components/forms.tsx";
import { publicRoundView } from "~/rounds/public.ts";
import { RoundContent } from "~/rounds/round-content.tsx";
import { fieldOrder, RoundSetupForm } from "~/rounds/setup-form.tsx";
import { roundForSetup, roundProgress, settingsOf, updateRoundSettings } from "~/rounds/setup.server.ts";
import { keepUnchangedDates, lockedChanges, parseRoundSetup, valuesFromForm, valuesFromSettings, type FormValues, type RoundProgress } from "~/rounds/setup.ts";
import { requireCsrf } from "~/security/csrf.server.ts";

const ROUTE = "routes/rounds.$slug_.edit" as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit settings – ${data?.round.name ?? "Funding round"} – Springboard` }];

/** What can no longer change, in words, before the fund team tries. */
function lockedSummary(progress: RoundProgress): string[] {
  const lines: string[] = [];
  if (progress.bidsSubmitted > 0) {
    const bids = progress.bidsSubmitted === 1 ? "1 bid has" : `${progress.bidsSubmitted} bids have`;
    lines.push(`The stage, the most a bid can ask for, the opening date and who can bid, because ${bids} been submitted. The closing date can be moved later but not earlier.`);
  }
  if (progress.assessmentStarted) lines.push("The criteria, their weights, the scoring scale, the assessors per bid and the moderation threshold, because assessment has started.");
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
  const form = await request.formData();
  await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await roundForSetup(params.slug);
  const before = settingsOf(round);
  const values = valuesFromForm(form);
  const parsed = parseRoundSetup(values, before.rules);
  if (!parsed.ok) return data({ errors: parsed.errors, values, preview: null }, { status: 400 });
  parsed.settings = keepUnchangedDates(before, parsed.settings);
  // Changes that would judge bids already in by rules they were not made under are refused.
  const locked = lockedChanges(before, parsed.settings, await roundProgress(round.id));
  if (Object.keys(locked).length) return data({ errors: locked, values, preview: null }, { status: 400 });
  if (form.get("intent") === "preview") {
    const view = publicRoundView({ ...parsed.settings, fund: { name: round.fund.name, summary: round.fund.summary } }, parsed.settings.rules);
    return data({ errors: null, values, preview: view });
  }
  const saved = await updateRoundSettings(round.id, parsed.settings);
  if (!saved.ok) return data({ errors: saved.errors, values, preview: null }, { status: 400 });
  return redirect(`/rounds/${saved.slug}?notice=saved`);
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
          <ErrorSummary errors={result?.errors} order={fieldOrder()} />
          <span className="govuk-caption-l">{round.fund}</span>
          <h1 className="govuk-heading-l">Edit settings for {round.name}</h1>
          {result?.preview ? (
            <section aria-label="Preview" className="govuk-!-padding-4 govuk-!-margin-bottom-6" style={{ border: "5px solid #b1b4b6" }}>
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
