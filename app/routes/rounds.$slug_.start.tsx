import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { cannotStartBid, newBidId, startBid } from "~/bids/bids.server.ts";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { z } from "zod";
import { db } from "~/db/database.server.ts";
import { readForm } from "~/forms/body.server.ts";
import { requiredText } from "~/forms/fields.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { roundRules, roundRulesSelect } from "~/rounds/rules.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => ["Start a bid", data?.round.name]);

async function findRound(slug: string | undefined) {
  const round = slug
    ? await db().round.findUnique({
        where: { slug },
        select: { id: true, slug: true, name: true, opensAt: true, closesAt: true, ...roundRulesSelect, fund: { select: { name: true, rules: true } } },
      })
    : null;
  if (!round) throw notFound();
  // The round's own settings decide who may lead, not the fund's.
  return { ...round, fund: { name: round.fund.name, rules: roundRules(round) } };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/rounds.$slug_.start");
  const round = await findRound(params.slug);
  const refusal = cannotStartBid(user, round);
  return {
    round: { slug: round.slug, name: round.name, fund: round.fund.name, closesAt: round.closesAt.toISOString(), capPence: round.capPence },
    council: user.organisation.name,
    refusal,
    // The new bid's id: sending this form twice starts one bid.
    bidId: newBidId(),
  };
}

// The new bid's id comes from the page (see the loader); anything else is a broken form.
const start = z.object({
  title: requiredText({ missing: "Enter the name of the bid", max: 120, label: "name of the bid" }),
  bidId: z
    .string()
    .regex(/^[0-9a-f-]{36}$/)
    .optional()
    .catch(undefined),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, "routes/rounds.$slug_.start", "action");
  requireCsrf(request, form);
  const round = await findRound(params.slug);
  const parsed = parseForm(form, start);
  const refusal = cannotStartBid(user, round);
  if (refusal) return refusedField("title", refusal, parsed.values);
  if (!parsed.ok) return refused(parsed);
  if (!parsed.value.bidId) return refusedField("title", "Something went wrong with this form. Refresh the page and try again", parsed.values);
  const id = await startBid(user, round.id, parsed.value.bidId, parsed.value.title);
  return redirect(`/bids/${id}`);
}

export default function StartBid() {
  const { round, council, refusal, bidId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/rounds/${round.slug}`} className="govuk-back-link">
        Back to {round.name}
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} order={["title"]} />
          <span className="govuk-caption-l">{round.name}</span>
          <h1 className="govuk-heading-l">Start a bid</h1>
          {refusal ? (
            <div className="govuk-inset-text">{refusal}</div>
          ) : (
            <>
              <p className="govuk-body">
                {council} will lead this bid. You can invite partner councils next. Bids can ask for up to {formatMoney(round.capPence)} and must be signed off
                by your council's certifier before {formatDateTime(round.closesAt)}.
              </p>
              <p className="govuk-body">Everything you type is saved when you press a save button, and you can come back to it at any time.</p>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="bidId" value={bidId} />
                <TextInput
                  name="title"
                  label="Name of the bid"
                  hint="A short name that says what the project will do. You can change it later."
                  defaultValue={result?.values.title}
                  error={result?.errors.title}
                />
                <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                  Start the bid
                </button>
              </Form>
            </>
          )}
        </div>
      </div>
    </>
  );
}
