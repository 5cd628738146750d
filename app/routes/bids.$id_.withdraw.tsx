import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { z } from "zod";
import { act, loadBidFor } from "~/bids/bids.server.ts";
import { bidHeader } from "~/bids/view.server.ts";
import { BidHeading } from "~/components/bid-parts.tsx";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { reason, version } from "~/forms/fields.ts";
import { parseForm, refused, refusedField } from "~/forms/parse.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { authoriseKeepingForm, keptForm } from "~/auth/kept-forms.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Withdraw the bid", data?.bid.title]);

const ROUTE = "routes/bids.$id_.withdraw" as const;

const withdrawal = z.object({ reason: reason("why you are withdrawing the bid"), version });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (bid.state === "withdrawn") throw redirect(`/bids/${bid.id}`);
  const url = new URL(request.url);
  const rescued = await keptForm(request, user, url.searchParams.get("restore"), url.pathname);
  return { bid: bidHeader(bid, relation), rescued: rescued ? { reason: rescued.reason ?? "" } : null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseKeepingForm(request, ROUTE, form, withdrawal, context.clientIp);
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id, ["leadOfficer"]);
  const parsed = parseForm(form, withdrawal);
  if (!parsed.ok) return refused(parsed);
  const result = await act(user, bid.id, "WITHDRAW", { reason: parsed.value.reason }, parsed.value.version);
  if (!result.ok) return refusedField("reason", result.reason, parsed.values);
  return redirect(`/bids/${bid.id}?notice=withdrawn`);
}

export default function Withdraw() {
  const { bid, rescued } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to the bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          <BidHeading bid={bid} heading="Withdraw the bid" />
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Withdrawing cannot be undone. The partners, the certifier and the fund team will be told.
            </strong>
          </div>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="version" value={bid.version} />
            <Textarea
              name="reason"
              label="Why are you withdrawing the bid?"
              defaultValue={result?.values.reason ?? rescued?.reason}
              error={result?.errors.reason}
            />
            <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button" data-prevent-double-click="true">
              Withdraw the bid
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
