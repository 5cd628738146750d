import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { beginModeration, moderationFacts, roundBySlug } from "~/assessment/assessments.server.ts";
import { bidModeratedScores } from "~/assessment/moderation.server.ts";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { Table } from "~/components/table.tsx";
import { z } from "zod";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { version } from "~/forms/fields.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { actorOf } from "~/engine/apply-event.server.ts";
import { titled } from "~/utils/title.ts";

const ROUTE = "routes/rounds.$slug_.moderation" as const;

export const meta = titled<typeof loader>(({ data }) => ["Moderation", data?.round.name]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const round = await roundBySlug(params.slug);
  const [scored, assessing] = await Promise.all([
    bidModeratedScores(round.id),
    db().bid.findMany({
      where: { roundId: round.id, state: "inAssessment" },
      select: { id: true, reference: true, title: true, version: true },
      orderBy: { reference: "asc" },
    }),
  ]);
  const inAssessment = [];
  for (const bid of assessing) {
    const facts = await moderationFacts(db(), bid.id);
    inAssessment.push({
      ...bid,
      submitted: facts.assessmentsSubmitted,
      outstanding: facts.assessmentsOutstanding,
      ready: facts.assessmentsOutstanding === 0 && facts.assessmentsSubmitted >= facts.rules.assessment.assessorsPerBid,
    });
  }
  return {
    notice: noticeFrom(request, notices),
    round: { slug: round.slug, name: round.name },
    inModeration: scored.filter((b) => b.state === "moderation"),
    inAssessment,
  };
}

const begin = z.object({ bidId: z.string({ error: "Choose a bid in this round" }), version });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const round = await roundBySlug(params.slug);
  const parsed = parseForm(form, begin);
  if (!parsed.ok) return refused(parsed);
  const { bidId } = parsed.value;
  const bid = await db().bid.findUnique({ where: { id: bidId }, select: { roundId: true } });
  if (!bid || bid.roundId !== round.id) return refusedField("bidId", "Choose a bid in this round", parsed.values);
  const outcome = await beginModeration({ ...actorOf(user), name: user.name }, bidId, parsed.value.version);
  if (!outcome.ok) return refusedField("bidId", outcome.reason, parsed.values);
  throw redirect(`/rounds/${round.slug}/moderation?notice=begun`);
}

const notices: Record<string, string> = { begun: "Moderation has begun." };

export default function RoundModeration() {
  const { round, inModeration, inAssessment, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refusedBidId = result?.errors?.bidId ? result.values?.bidId : undefined;
  return (
    <>
      <a href={`/rounds/${round.slug}`} className="govuk-back-link">
        Back to the round
      </a>
      <ErrorSummary errors={result?.errors} />
      <SuccessNotice text={notice} title="Done" />
      <span className="govuk-caption-l">{round.name}</span>
      <h1 className="govuk-heading-l">Moderation</h1>
      <Table
        caption="Bids in moderation"
        captionClass="govuk-table__caption--m"
        head={["Bid", "Moderated score", "Flagged criteria", "Outstanding"]}
        numeric={[1, 2]}
        rows={
          inModeration.length === 0
            ? [{ full: "No bids are in moderation." }]
            : inModeration.map((b) => ({
                key: b.bidId,
                cells: [
                  <a className="govuk-link" href={`/bids/${b.bidId}/moderation`}>
                    {b.reference}: {b.title}
                  </a>,
                  b.moderatedScore,
                  b.flagged,
                  b.unresolved === 0 ? (
                    <strong className="govuk-tag govuk-tag--green">Resolved</strong>
                  ) : (
                    <strong className="govuk-tag govuk-tag--red">{b.unresolved} to resolve</strong>
                  ),
                ],
              }))
        }
      />

      <Table
        caption="Bids still in assessment"
        captionClass="govuk-table__caption--m"
        head={["Bid", "Submitted", "Outstanding", <span className="govuk-visually-hidden">Action</span>]}
        numeric={[1, 2]}
        rows={
          inAssessment.length === 0
            ? [{ full: "No bids are in assessment." }]
            : inAssessment.map((b) => ({
                key: b.id,
                cells: [
                  <a className="govuk-link" href={`/bids/${b.id}/assignments`}>
                    {b.reference}: {b.title}
                  </a>,
                  b.submitted,
                  b.outstanding,
                  b.ready ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="bidId" value={b.id} />
                      <input type="hidden" name="version" value={b.version} />
                      {/* A refusal is about the bid's button: the error summary's link lands on it, with the reason beside it. */}
                      {refusedBidId === b.id ? (
                        <p className="govuk-error-message" id="bidId-error">
                          <span className="govuk-visually-hidden">Error:</span> {result?.errors?.bidId}
                        </p>
                      ) : null}
                      <button
                        type="submit"
                        id={refusedBidId === b.id ? "bidId" : undefined}
                        aria-describedby={refusedBidId === b.id ? "bidId-error" : undefined}
                        className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                        data-module="govuk-button"
                      >
                        Begin moderation<span className="govuk-visually-hidden"> for {b.title}</span>
                      </button>
                    </Form>
                  ) : refusedBidId === b.id ? (
                    // No button to land on once the bid is not ready: the reason is the link's target.
                    <p className="govuk-error-message govuk-!-margin-bottom-0" id="bidId" tabIndex={-1}>
                      <span className="govuk-visually-hidden">Error:</span> {result?.errors?.bidId}
                    </p>
                  ) : (
                    "Waiting for scores"
                  ),
                ],
              }))
        }
      />
    </>
  );
}
