import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { LINK_MINUTES } from "~/auth/sign-in.server.ts";
import { devMailboxOpen } from "~/env.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Check your email"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/sign-in.check-email");
  const email = new URL(request.url).searchParams.get("email") ?? "";
  return { email, minutes: LINK_MINUTES, devMailbox: devMailboxOpen() };
}

export default function CheckEmail() {
  const { email, minutes, devMailbox } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Check your email</h1>
        <p className="govuk-body">If {email ? <strong>{email}</strong> : "that address"} has a Springboard account, we have sent it a link to sign in.</p>
        <p className="govuk-body">The link works once and expires in {minutes} minutes.</p>
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
          Emails can take a few minutes to arrive. Check your spam folder. You can also{" "}
          <a className="govuk-link" href="/sign-in">
            ask for a new link
          </a>
          .
        </p>
      </div>
    </div>
  );
}
