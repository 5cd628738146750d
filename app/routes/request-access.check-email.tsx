import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { devMailboxOpen } from "~/env.server.ts";
import { CONFIRM_HOURS } from "~/join/requests.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Check your email"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/request-access.check-email");
  const email = new URL(request.url).searchParams.get("email") ?? "";
  return { email: email.slice(0, 254), hours: CONFIRM_HOURS, devMailbox: devMailboxOpen() };
}

// The same words whatever happened: they never say whether the address has an account or
// is on a council's domain.
export default function CheckEmail() {
  const { email, hours, devMailbox } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Check your email</h1>
        <p className="govuk-body">
          If {email ? <strong>{email}</strong> : "your address"} is on a council's domain, we have sent you a link to confirm it. Your request goes to your
          council once you have confirmed. The link works once and expires in {hours} hours.
        </p>
        <p className="govuk-body">If you already have an account, we have sent you a link to sign in instead.</p>
        {devMailbox ? (
          <div className="govuk-inset-text">
            This copy of Springboard has no email server, so emails go to the{" "}
            <a className="govuk-link" href="/dev/mailbox">
              dev mailbox
            </a>
            .
          </div>
        ) : null}
        <h2 className="govuk-heading-m">Not received it?</h2>
        <p className="govuk-body">
          Emails can take a few minutes to arrive. Check your spam folder. If your council's domain is not known to Springboard, ask your council's Springboard
          contact or the fund team to invite you.
        </p>
      </div>
    </div>
  );
}
