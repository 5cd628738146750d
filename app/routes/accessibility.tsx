import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SESSION_HOURS } from "~/auth/session.server.ts";
import { LINK_MINUTES } from "~/auth/sign-in.server.ts";
import { FUNDER } from "~/opendata/awards.server.ts";
import { KEPT_FORM_HOURS } from "~/auth/kept-forms.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Accessibility statement"]);

// Set out as the GOV.UK sample accessibility statement is, which the Public Sector Bodies
// (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 ask for.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/accessibility");
  // The time limits come from the code that applies them, so the statement stays true.
  return { ministry: FUNDER.name, sessionHours: SESSION_HOURS, linkMinutes: LINK_MINUTES, keptFormHours: KEPT_FORM_HOURS };
}

export default function Accessibility() {
  const { ministry, sessionHours, linkMinutes, keptFormHours } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Accessibility statement for Springboard</h1>
        <p className="govuk-body">
          This statement applies to Springboard, the service councils use to bid to the Local Digital Innovation Fund and to report on funded projects.
        </p>
        <p className="govuk-body">
          This service is run by the {ministry}. We want as many people as possible to be able to use it. For example, that means you should be able to:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>use every part of it with JavaScript turned off</li>
          <li>use most of it with just a keyboard: its pages are made of ordinary links, buttons and form fields</li>
        </ul>
        <p className="govuk-body">We have also made the text as simple as we can.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="https://mcmw.abilitynet.org.uk/">
            AbilityNet
          </a>{" "}
          has advice on making your device easier to use if you have a disability.
        </p>

        <h2 className="govuk-heading-m">How accessible this service is</h2>
        <p className="govuk-body">We know some parts of this service are not fully accessible:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            your session ends {sessionHours} hours after you sign in, without a warning and without a way to extend it; if you were sending a form, what you
            typed is kept for {keptFormHours} hours and given back once you sign in again
          </li>
          <li>a sign-in link works for {linkMinutes} minutes; after that you need to ask for a new one</li>
          <li>
            the diagrams of how bids, assessments and projects move through the fund (on the fund team&apos;s workflows page) are wide pictures that scroll
            sideways
          </li>
          <li>charts on the portfolio and project pages are pictures; each has a text description, and a table beside it gives the same figures</li>
          <li>
            when you choose a council from a list of suggestions, in some browsers the suggestions do not get bigger when you zoom in, and some screen readers
            do not read them out; you can type the council&apos;s name in full instead
          </li>
          <li>documents that councils upload as evidence (such as PDF and Word files) may not be accessible</li>
        </ul>

        <h2 className="govuk-heading-m">Feedback and contact information</h2>
        <p className="govuk-body">
          If you need information from this service in a different format, like accessible PDF, large print, easy read, audio recording or braille,{" "}
          <a className="govuk-link" href="/feedback">
            tell the fund team through the feedback page
          </a>
          . Leave your email address so that they can reply.
        </p>

        <h2 className="govuk-heading-m">Reporting accessibility problems with this service</h2>
        <p className="govuk-body">
          We are always looking to improve the accessibility of this service. If you find any problems not listed on this page or think we are not meeting
          accessibility requirements,{" "}
          <a className="govuk-link" href="/feedback">
            tell us through the feedback page
          </a>
          . Say which page you were on and what happened, and leave your email address if you would like a reply. The fund team reads every piece of feedback.
        </p>

        <h2 className="govuk-heading-m">Enforcement procedure</h2>
        <p className="govuk-body">
          The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
          Accessibility Regulations 2018 (the &lsquo;accessibility regulations&rsquo;). If you are not happy with how we respond to your complaint,{" "}
          <a className="govuk-link" href="https://www.equalityadvisoryservice.com/">
            contact the Equality Advisory and Support Service (EASS)
          </a>
          .
        </p>
        <p className="govuk-body">
          If you are in Northern Ireland and are not happy with how we respond to your complaint, you can contact the{" "}
          <a className="govuk-link" href="https://www.equalityni.org/Home">
            Equality Commission for Northern Ireland
          </a>
          , who are responsible for enforcing the accessibility regulations in Northern Ireland.
        </p>

        <h2 className="govuk-heading-m">Technical information about this service&apos;s accessibility</h2>
        <p className="govuk-body">
          The {ministry} is committed to making this service accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
          Accessibility Regulations 2018.
        </p>
        <h3 className="govuk-heading-s">Compliance status</h3>
        <p className="govuk-body">
          This service is partially compliant with the{" "}
          <a className="govuk-link" href="https://www.w3.org/TR/WCAG22/">
            Web Content Accessibility Guidelines version 2.2
          </a>{" "}
          AA standard, due to the non-compliances listed below.
        </p>

        <h2 className="govuk-heading-m">Non-accessible content</h2>
        <p className="govuk-body">The content listed below is non-accessible for the following reasons.</p>
        <h3 className="govuk-heading-s">Non-compliance with the accessibility regulations</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            A session ends {sessionHours} hours after signing in, and you cannot be warned or given more time. This fails WCAG 2.2 success criterion 2.2.1
            (Timing Adjustable). We plan to warn people before their session ends and let them extend it. Until then, what you were sending when your session
            ended is kept for {keptFormHours} hours and given back after you sign in again.
          </li>
          <li>
            The workflow diagrams on the fund team&apos;s workflows page are wider than the screen, so at high zoom you have to scroll in two directions to read
            them. This fails WCAG 2.2 success criterion 1.4.10 (Reflow). The table of every step below each diagram gives the same information in text.
          </li>
          <li>
            The suggestions offered when you type a council&apos;s name (inviting a partner council, inviting a user) use the browser&apos;s own list, which
            some browsers do not enlarge when you zoom and some screen readers do not announce. This may fail WCAG 2.2 success criteria 1.4.4 (Resize Text) and
            4.1.2 (Name, Role, Value). You can type the name in full instead.
          </li>
        </ul>
        <h3 className="govuk-heading-s">Content that&apos;s not within the scope of the accessibility regulations</h3>
        <p className="govuk-body">
          Documents that councils upload as evidence for their bids and projects are provided by the councils, not by the ministry. We do not check them for
          accessibility. If you need one in another format, ask the council that uploaded it, or the fund team.
        </p>

        <h2 className="govuk-heading-m">How we tested this service</h2>
        <p className="govuk-body">The team that builds Springboard tests it with automated checks, which run with the service&apos;s other tests:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            every page the browser tests visit, as each kind of user, is checked with the axe-core accessibility engine against the WCAG 2.0, 2.1 and 2.2 A and
            AA rules and axe&apos;s own best practice rules; a page with any problem fails the tests
          </li>
          <li>the journeys for signing in, bidding, assessing and running a funded project are also run in a browser with JavaScript turned off</li>
          <li>giving feedback is also tested using only a keyboard</li>
        </ul>
        <p className="govuk-body">
          Automated checks find only some accessibility problems. The service has not yet been audited by accessibility specialists, or tested with screen
          readers, speech recognition software or screen magnifiers, or by disabled people.
        </p>

        <h2 className="govuk-heading-m">What we&apos;re doing to improve accessibility</h2>
        <p className="govuk-body">
          Before the service leaves beta we plan to fix the problems listed above, have it audited by accessibility specialists, and test it with people who use
          assistive technology. We will update this statement as we do.
        </p>

        <h2 className="govuk-heading-m">Preparation of this accessibility statement</h2>
        <p className="govuk-body">This statement was prepared on 6 December 2026. It was last reviewed on 6 December 2026.</p>
        <p className="govuk-body">
          This service was last tested on 6 December 2026. The test was carried out by the team that builds it, using the automated checks described above.
        </p>
      </div>
    </div>
  );
}
