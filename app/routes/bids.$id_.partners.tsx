import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { partnersAction } from "~/bids/actions.server.ts";
import { canManagePartners, loadBidFor, partnerCandidates } from "~/bids/bids.server.ts";
import { partnersOf } from "~/bids/view.server.ts";
import { PartnerList } from "~/components/bid-parts.tsx";
import { CsrfInput, ErrorSummary, TextInput } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { readForm } from "~/forms/body.server.ts";
import { db } from "~/db/database.server.ts";
import { bidSubmissionFacts } from "~/bids/facts.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled<typeof loader>(({ data }) => ["Partner councils", data?.bid.title]);

const ROUTE = "routes/bids.$id_.partners" as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManagePartners(relation, bid)) throw redirect(`/bids/${bid.id}`);
  const url = new URL(request.url);
  const partners = partnersOf(bid);
  const declarationRequired = (await bidSubmissionFacts(db(), bid.id)).rules.eligibility.declarationRequired;
  // The banner names a council from the partnership, never the address's text.
  const invited = partners.find((p) => p.name === url.searchParams.get("invited") && p.status === "invited") ?? null;
  return {
    bid: { id: bid.id, title: bid.title, reference: bid.reference, lead: bid.leadOrganisation.name },
    partners,
    declarationRequired,
    invited: invited ? { name: invited.name, unsigned: declarationRequired && !invited.signed } : null,
    candidates: await partnerCandidates([bid.leadOrganisationId, ...bid.partners.filter((p) => p.status !== "declined").map((p) => p.organisationId)]),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { bid, relation } = await loadBidFor(user, params.id, ["leadOfficer"]);
  if (!canManagePartners(relation, bid)) throw redirect(`/bids/${bid.id}`);
  return partnersAction(user, bid, form);
}

export default function PartnersPage() {
  const { bid, partners, candidates, invited, declarationRequired } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <a href={`/bids/${bid.id}/sections/partners`} className="govuk-back-link">
        Back to the partners section
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={result?.errors} />
          {invited && !result?.errors && invited.unsigned ? (
            <NotificationBanner title="Important" heading={`${invited.name} has been invited, but it has not signed the Local Digital Declaration`}>
              <p className="govuk-body">
                This fund only takes bids from partnerships in which every council has signed the declaration. The invitation stands, but if {invited.name}{" "}
                accepts, the bid cannot be sent for sign-off until {invited.name} signs the declaration or you remove it from the partnership.
              </p>
              <p className="govuk-body">
                {invited.name} can sign at{" "}
                <a className="govuk-notification-banner__link" href="https://www.localdigital.gov.uk/declaration/" rel="noreferrer">
                  localdigital.gov.uk/declaration
                </a>
                . It usually takes a council a few weeks, as a senior leader signs it.
              </p>
            </NotificationBanner>
          ) : invited && !result?.errors ? (
            <NotificationBanner type="success" heading={`${invited.name} has been invited. An officer there needs to accept before it counts as a partner.`} />
          ) : null}
          <span className="govuk-caption-l">
            {bid.reference}: {bid.title}
          </span>
          <h1 className="govuk-heading-l">Partner councils</h1>
          <PartnerList
            lead={bid.lead}
            partners={partners}
            declarationRequired={declarationRequired}
            actions={(p) => (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="organisationId" value={p.organisationId} />
                <button
                  type="submit"
                  name="intent"
                  value="remove"
                  className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                  data-module="govuk-button"
                >
                  Remove<span className="govuk-visually-hidden"> {p.name}</span>
                </button>
              </Form>
            )}
          />
          <h2 className="govuk-heading-m">Invite a partner</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextInput
              name="partner"
              label="Name of the council"
              hint="Start typing its name, or enter its code, like MAN. An officer there will be asked to accept."
              list="partner-names"
              autoComplete="off"
              defaultValue={result?.values.partner}
              error={result?.errors.partner}
            />
            <datalist id="partner-names">
              {candidates.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <div className="govuk-button-group">
              <button type="submit" name="intent" value="invite" className="govuk-button" data-module="govuk-button">
                Invite
              </button>
              <a className="govuk-link" href={`/bids/${bid.id}/sections/partners`}>
                Back to the partners section
              </a>
            </div>
          </Form>
        </div>
      </div>
    </>
  );
}
