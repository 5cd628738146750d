import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { Table } from "~/components/table.tsx";
import { env } from "~/env.server.ts";
import { cookieExpiry, serviceCookies } from "~/legal/cookies.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Cookies"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/cookies");
  return {
    cookies: serviceCookies.map((c) => ({ name: c.name, purpose: c.purpose, setWhen: c.setWhen, expires: cookieExpiry(c) })),
    // Cookies are marked Secure when the service runs at an https address (server/http.ts).
    secure: env().APP_URL.startsWith("https://"),
  };
}

export default function Cookies() {
  const { cookies, secure } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Cookies</h1>
        <p className="govuk-body">Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>
        <p className="govuk-body">
          Springboard sets only the cookies listed on this page. Each of them is essential: the service cannot work without them, so we do not ask for your
          consent to set them.
        </p>
        <p className="govuk-body">
          We do not use cookies to measure how you use Springboard (analytics), for advertising, or to remember your choices, and no other company sets cookies
          through Springboard.
        </p>
        <h2 className="govuk-heading-m">Essential cookies</h2>
        <p className="govuk-body">
          These cookies can only be read by Springboard, not by scripts in its pages or by other websites
          {secure ? ", and are only sent over a secure connection" : ""}.
        </p>
      </div>
      <div className="govuk-grid-column-full">
        <Table
          caption="Cookies Springboard sets"
          captionClass="govuk-table__caption--s govuk-visually-hidden"
          head={["Name", "Purpose", "Who gets it", "Expires"]}
          firstCellIsHeader
          rows={cookies.map((c) => ({ key: c.name, cells: [<code>{c.name}</code>, c.purpose, c.setWhen, c.expires] }))}
        />
      </div>
      <div className="govuk-grid-column-two-thirds">
        <h2 className="govuk-heading-m">Changing your cookie settings</h2>
        <p className="govuk-body">
          You can delete or block cookies in your browser&apos;s settings. If you block them, you will not be able to sign in or send forms in Springboard.
        </p>
        <p className="govuk-body">
          The{" "}
          <a className="govuk-link" href="/privacy">
            privacy notice
          </a>{" "}
          says what personal data Springboard holds. To ask about cookies,{" "}
          <a className="govuk-link" href="/feedback">
            give feedback
          </a>
          .
        </p>
      </div>
    </div>
  );
}
