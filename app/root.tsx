import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Outlet, Scripts, ScrollRestoration, useLocation, useMatches, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { navigationFor, roleLabels, type Role } from "~/auth/roles.ts";
import { getUser } from "~/auth/session.server.ts";
import { CsrfInput } from "~/components/forms.tsx";
import { useNonce } from "~/components/nonce.tsx";
import { pageHydrates } from "~/components/hydration.ts";
import { PageMeta } from "~/components/page-meta.tsx";
import { REFERENCE_META, useReference } from "~/components/reference.tsx";
import { pageTitle } from "~/utils/title.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/govuk/govuk-frontend.min.css" },
  { rel: "stylesheet", href: "/app.css" },
  { rel: "icon", href: "/assets/images/favicon.ico", sizes: "48x48" },
  { rel: "icon", href: "/assets/images/favicon.svg", type: "image/svg+xml" },
];

/** The heading (and so the title) of the page shown for an error, from what was thrown. */
function errorHeading(error: unknown): string {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return "Page not found";
    if (error.status === 403) return "You cannot do that";
    if (error.status < 500) return error.statusText || "There is a problem";
  }
  return "Sorry, there is a problem with the service";
}

// A route that throws is shown by the ErrorBoundary below, and Remix then asks this `meta`
// alone, with the error: the title says what the page says.
export const meta: MetaFunction = ({ error }) => [{ title: error ? pageTitle([errorHeading(error)]) : pageTitle([]) }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    csrfToken: context.csrfToken,
    user: user ? { name: user.name, role: user.role as Role, organisation: user.organisation.name } : null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const reference = useReference();
  const location = useLocation();
  // A read-only dashboard is sent as HTML alone: no client app, no second copy of its data (decision 0021).
  const hydrate = pageHydrates(useMatches());
  const user = data?.user ?? null;
  const nav = navigationFor(user?.role ?? null);
  // The path only: a query can carry a secret (a sign-in link's token).
  const feedbackHref = location.pathname.startsWith("/feedback") ? "/feedback" : `/feedback?from=${encodeURIComponent(location.pathname)}`;
  return (
    <html lang="en" className="govuk-template" data-html-only={hydrate ? undefined : "true"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#1d70b8" />
        <PageMeta />
        {/* The browser reads it before hydrating (entry.client.tsx), so an error page shows the same reference there. */}
        {reference ? <meta name={REFERENCE_META} content={reference} /> : null}
        <Links />
      </head>
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <header>
          <div className="govuk-generic-header">
            <div className="govuk-generic-header__container govuk-width-container">
              <div className="govuk-generic-header__logo">
                <a href="/" className="govuk-generic-header__homepage-link app-header__logotype">
                  Springboard
                </a>
              </div>
            </div>
          </div>
          <section aria-label="Service information" className="govuk-service-navigation" data-module="govuk-service-navigation">
            <div className="govuk-width-container">
              <div className="govuk-service-navigation__container">
                <span className="govuk-service-navigation__service-name">
                  <a href={user ? "/home" : "/"} className="govuk-service-navigation__link">
                    Local Digital Innovation Fund
                  </a>
                </span>
                <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                  <ul className="govuk-service-navigation__list" id="navigation">
                    {nav.map((item) => {
                      const current = location.pathname === item.href || location.pathname.startsWith(`${item.href}/`);
                      return (
                        <li key={item.href} className={`govuk-service-navigation__item${current ? " govuk-service-navigation__item--active" : ""}`}>
                          <a className="govuk-service-navigation__link" href={item.href} aria-current={current ? "page" : undefined}>
                            {current ? <strong className="govuk-service-navigation__active-fallback">{item.text}</strong> : item.text}
                          </a>
                        </li>
                      );
                    })}
                    {user ? (
                      <li className="govuk-service-navigation__item">
                        <a className="govuk-service-navigation__link" href="/account/notifications">
                          Email settings
                        </a>
                      </li>
                    ) : null}
                    {user ? (
                      <li className="govuk-service-navigation__item">
                        <form method="post" action="/sign-out" className="app-sign-out">
                          <CsrfInput />
                          <button type="submit" className="app-link-button govuk-service-navigation__link">
                            Sign out
                          </button>
                        </form>
                      </li>
                    ) : (
                      <li className="govuk-service-navigation__item">
                        <a className="govuk-service-navigation__link" href="/sign-in">
                          Sign in
                        </a>
                      </li>
                    )}
                  </ul>
                </nav>
              </div>
            </div>
          </section>
          <div className="govuk-width-container">
            <div className="govuk-phase-banner">
              <p className="govuk-phase-banner__content">
                <strong className="govuk-tag govuk-phase-banner__content__tag">Beta</strong>
                <span className="govuk-phase-banner__text">
                  This is a new service. {user ? `You are signed in as ${user.name}, ${roleLabels[user.role].toLowerCase()} at ${user.organisation}. ` : null}
                  <a className="govuk-link" href={feedbackHref}>
                    {user ? "Give feedback" : "Tell the fund team what you think of it"}
                  </a>
                  {user ? null : "."}
                </span>
              </p>
            </div>
          </div>
        </header>
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            {children}
          </main>
        </div>
        <footer className="govuk-footer">
          <div className="govuk-width-container">
            <div className="govuk-footer__meta">
              <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <h2 className="govuk-visually-hidden">Support links</h2>
                <ul className="govuk-footer__inline-list">
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/">
                      About Springboard
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/rounds">
                      Funding rounds
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/funded">
                      Funded projects
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/hub">
                      Knowledge hub
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/open-data">
                      Open data
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/service-status">
                      Service status
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/accessibility">
                      Accessibility statement
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/privacy">
                      Privacy
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/cookies">
                      Cookies
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/feedback">
                      Feedback
                    </a>
                  </li>
                </ul>
                <span className="govuk-footer__licence-description">
                  Content is available under the Open Government Licence v3.0, except where otherwise stated.
                </span>
              </div>
            </div>
          </div>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
        <script type="module" src="/govuk-init.js" nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <>
          <h1 className="govuk-heading-l">{errorHeading(error)}</h1>
          <p className="govuk-body">If you typed the web address, check it is correct.</p>
          <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
          <p className="govuk-body">
            <a href="/" className="govuk-link">
              Go to the start page
            </a>
          </p>
        </>
      );
    }
    if (error.status === 403) {
      return (
        <>
          <h1 className="govuk-heading-l">{errorHeading(error)}</h1>
          <p className="govuk-body">{typeof error.data === "string" ? error.data : "You do not have permission to see this page."}</p>
          <p className="govuk-body">
            If you think you should have access, contact the fund team.{" "}
            <a href="/home" className="govuk-link">
              Go to your home page
            </a>
          </p>
        </>
      );
    }
    if (error.status < 500) {
      return (
        <>
          <h1 className="govuk-heading-l">{errorHeading(error)}</h1>
          <p className="govuk-body">{typeof error.data === "string" ? error.data : "The request could not be completed."}</p>
        </>
      );
    }
  }
  return <ServerErrorPage heading={errorHeading(error)} />;
}

function ServerErrorPage({ heading }: { heading: string }) {
  // The request id: the same one is on the log lines of the request that failed.
  const reference = useReference();
  return (
    <>
      <h1 className="govuk-heading-l">{heading}</h1>
      <p className="govuk-body">Try again later. Nothing you saved has been lost.</p>
      {reference ? (
        <p className="govuk-body">
          If the problem continues, contact the fund team and quote reference <strong className="app-reference">{reference}</strong>.
        </p>
      ) : (
        <p className="govuk-body">If the problem continues, contact the fund team.</p>
      )}
    </>
  );
}
