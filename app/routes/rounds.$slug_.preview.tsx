import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { publicRoundView } from "~/rounds/public.ts";
import { questionsView, roundForQuestions } from "~/rounds/questions.server.ts";
import { QuestionsPreview } from "~/rounds/questions-preview.tsx";
import { RoundContent } from "~/rounds/round-content.tsx";
import { roundRulesOrNull } from "~/rounds/rules.ts";
import { roundForSetup } from "~/rounds/setup.server.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/rounds.$slug_.preview" as const;

export const meta = titled<typeof loader>(({ data }) => ["Preview", data?.round.name]);

/** The saved settings as applicants see them (unsaved ones are previewed on the edit form). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await roundForSetup(params.slug);
  const { sections } = questionsView(await roundForQuestions(round.slug));
  return { ...publicRoundView(round, roundRulesOrNull(round)), questions: sections };
}

export default function PreviewRound() {
  const view = useLoaderData<typeof loader>();
  return (
    <>
      <a href={`/rounds/${view.round.slug}/edit`} className="govuk-back-link">
        Back to the settings
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <p className="govuk-body">
            <strong className="govuk-tag govuk-tag--yellow">Preview</strong> This is the round's page as applicants see it.
          </p>
          <RoundContent view={view} />
          <QuestionsPreview sections={view.questions} />
          <p className="govuk-body">
            <a className="govuk-link" href={`/rounds/${view.round.slug}/questions`}>
              Change the bid questions
            </a>
          </p>
          {view.criteria.length === 0 ? (
            <div className="govuk-inset-text">
              This round's stored rules are not valid, so applicants see no criteria or eligibility rules. Edit the settings to fix them.
            </div>
          ) : null}
        </div>
      </div>
    </>
  );
}
