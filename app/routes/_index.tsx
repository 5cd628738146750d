import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { db } from "~/db/database.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Bid to the Local Digital Innovation Fund"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authorise(request, "routes/_index");
  const now = new Date();
  const openRounds = await db().round.findMany({
    where: { opensAt: { lte: now }, closesAt: { gt: now } },
    select: { slug: true, name: true, closesAt: true, capPence: true },
    orderBy: { closesAt: "asc" },
  });
  return { signedIn: Boolean(user), openRounds };
}

export default function StartPage() {
  const { signedIn, openRounds } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Bid to the Local Digital Innovation Fund</h1>
        <p className="govuk-body-l">
          Councils use Springboard to bid, in partnership, for money to develop common solutions to shared challenges, and to report on the work once it is
          funded.
        </p>
        <p className="govuk-body">You can use this service to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>bid for a Scan, Pilot or Scale round with partner councils</li>
          <li>get your bid signed off by your council's finance officer</li>
          <li>follow your bid through assessment to a decision</li>
          <li>report evidence and ask for a gate review to move a funded project to its next stage</li>
        </ul>
        <p className="govuk-body">
          Every council in a partnership must have signed the Local Digital Declaration. Funded work is shared openly so other councils can reuse it.
        </p>
        {openRounds.length ? (
          <div className="govuk-inset-text">
            {openRounds.map((round) => (
              <p className="govuk-body" key={round.slug}>
                <a className="govuk-link" href={`/rounds/${round.slug}`}>
                  {round.name}
                </a>{" "}
                is open for bids up to {formatMoney(round.capPence)} until {formatDateTime(round.closesAt)}.
              </p>
            ))}
          </div>
        ) : null}
        <a href={signedIn ? "/home" : "/sign-in"} role="button" draggable="false" className="govuk-button govuk-button--start" data-module="govuk-button">
          {signedIn ? "Go to your home page" : "Start now"}
          <svg
            className="govuk-button__start-icon"
            xmlns="http://www.w3.org/2000/svg"
            width="17.5"
            height="19"
            viewBox="0 0 33 40"
            aria-hidden="true"
            focusable="false"
          >
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </a>
        <h2 className="govuk-heading-m">Before you start</h2>
        <p className="govuk-body">
          You need an account for your council. Ask your council's Springboard contact or the fund team to invite you. You sign in with a link we email you;
          there is no password.
        </p>
      </div>
    </div>
  );
}
