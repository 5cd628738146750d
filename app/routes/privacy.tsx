import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorise } from "~/auth/access.server.ts";
import { SESSION_HOURS } from "~/auth/session.server.ts";
import { LINK_MINUTES } from "~/auth/sign-in.server.ts";
import { FUNDER } from "~/opendata/awards.server.ts";
import { KEPT_FORM_HOURS } from "~/auth/kept-forms.server.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Privacy notice"]);

/** What the fund keeps records of public money for; everything not given a shorter time here is kept as long. */
const RETENTION_YEARS = 7;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/privacy");
  // The figures come from the code that applies them, so the notice says what really happens.
  return { ministry: FUNDER.name, sessionHours: SESSION_HOURS, linkMinutes: LINK_MINUTES, keptFormHours: KEPT_FORM_HOURS, retentionYears: RETENTION_YEARS };
}

export default function Privacy() {
  const { ministry, sessionHours, linkMinutes, keptFormHours, retentionYears } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Privacy notice</h1>
        <p className="govuk-body">
          Springboard is run by the {ministry} (the ministry) for the Local Digital Innovation Fund. The ministry is the data controller for the personal data
          Springboard holds. This notice says what that data is, why we hold it, how long we keep it, who can see it and what your rights are.
        </p>

        <h2 className="govuk-heading-m">What personal data we hold</h2>
        <h3 className="govuk-heading-s">If you have an account</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>your name and work email address</li>
          <li>your role in the service (for example council officer or assessor) and the organisation you work for</li>
          <li>who invited you, and when</li>
          <li>for gate approvers, whether you are a senior approver</li>
          <li>when you last signed in</li>
          <li>how you chose to get emails that are not urgent (at once, in a daily summary, or not at all)</li>
        </ul>
        <h3 className="govuk-heading-s">When you sign in</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>the email address a sign-in link was asked for, when, and whether the link was used</li>
          <li>a record of each session: whose it is, when it started and when it ends</li>
          <li>
            your IP address and the email address you asked for a link with, as counters that limit how many sign-in links, uploads, kept forms and pieces of
            feedback can be sent in a short time
          </li>
        </ul>
        <h3 className="govuk-heading-s">When you use the service</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            what you write and decide in the service (bids and their answers, partner councils&apos; replies, sign-offs, assessments with their scores, comments
            and declared interests, moderation, funding decisions, project reports, evaluations and case studies), each with who did it and when
          </li>
          <li>documents you upload, with their names, who uploaded them and when, and any personal data inside them</li>
          <li>the history of each bid, assessment and project: every change of its status, who made it and the reason they gave</li>
          <li>
            an audit log of every change to the service&apos;s records, accounts included, showing each record as it was before and after the change; it cannot
            be changed afterwards without that being detected
          </li>
          <li>a copy of every email the service sends: who it went to, what it said, and whether it was delivered</li>
          <li>if your session runs out while you are sending a form, what you typed in it, so it can be given back once you sign in again</li>
        </ul>
        <h3 className="govuk-heading-s">When you ask to join your council</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>your name, work email address, the role you asked for and anything you wrote for the approver</li>
          <li>when you confirmed your address, and who approved or declined your request, when, and their reason for declining</li>
        </ul>
        <h3 className="govuk-heading-s">When you give feedback</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>what you tell us and the page you came from</li>
          <li>your email address, if you give it for a reply</li>
          <li>your account, if you were signed in</li>
        </ul>
        <p className="govuk-body">
          Springboard also sets cookies that it needs to work: the{" "}
          <a className="govuk-link" href="/cookies">
            cookies page
          </a>{" "}
          lists them.
        </p>

        <h2 className="govuk-heading-m">Why we hold it</h2>
        <p className="govuk-body">
          We use this data to run the fund: to let the right people bid, sign off, assess and decide, to award public money fairly, to check it is spent as
          agreed, and to be able to show afterwards who did what. We also use it to keep the service secure and to improve it.
        </p>
        <p className="govuk-body">
          Our lawful basis is that this is necessary to perform a task in the public interest, running a government fund (Article 6(1)(e) of the UK General Data
          Protection Regulation).
        </p>
        <p className="govuk-body">
          The service assigns assessors to bids, avoiding conflicts of interest, and ranks bids by their scores, but people make every funding and gate
          decision. We do not use your data for marketing and we do not sell it.
        </p>

        <h2 className="govuk-heading-m">Who can see it</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>people in your council, and in partner councils on the same bid or project, see your name with what you did on it</li>
          <li>
            if you ask to join your council, its officers and certifiers (or the fund team, where your council has none) see your request so they can answer it
          </li>
          <li>assessors see the bids assigned to them</li>
          <li>
            the fund team and gate approvers at the ministry see bids, assessments and projects, and who did what on them; the fund team also sees the emails
            sent and the feedback given
          </li>
          <li>administrators at the ministry manage accounts, so they see everyone&apos;s name, email address, role and organisation</li>
          <li>the companies that host the service and deliver its emails, who may only use the data to do that for the ministry</li>
        </ul>
        <p className="govuk-body">
          Some information is published for everyone: the funded projects with their councils and awards, the awards as open data, and case studies once the
          fund team has published them. These name councils, not the people who work on them, unless a council writes a name into its case study.
        </p>

        <h2 className="govuk-heading-m">How long we keep it</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>a sign-in link works for {linkMinutes} minutes and once only</li>
          <li>
            a session ends {sessionHours} hours after you sign in, or when you sign out; signing out, or signing in again on the same browser, deletes the
            record of that session
          </li>
          <li>
            what you typed into a form when your session ran out can be given back for {keptFormHours} hours; after that it is never shown again, and it is
            deleted the next time the service keeps a form
          </li>
          <li>
            everything else, including feedback, is kept for {retentionYears} years after the fund closes, as the ministry keeps all records of how public money
            was awarded and spent, and then deleted
          </li>
        </ul>

        <h2 className="govuk-heading-m">Your rights</h2>
        <p className="govuk-body">You have the right to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>ask for a copy of the personal data we hold about you</li>
          <li>ask us to correct anything that is wrong</li>
          <li>object to how we use your data, or ask us to restrict it</li>
          <li>ask us to delete your data, where we no longer need it to run the fund</li>
        </ul>
        <p className="govuk-body">
          If you are not happy with how we have used your data or answered you, you can complain to the{" "}
          <a className="govuk-link" href="https://ico.org.uk/make-a-complaint/">
            Information Commissioner&apos;s Office (ICO)
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">Who to ask</h2>
        <p className="govuk-body">
          To ask about your data or to use any of these rights, contact the fund team by{" "}
          <a className="govuk-link" href="/feedback">
            giving feedback
          </a>{" "}
          (leave your email address so they can reply), or write to the ministry&apos;s data protection officer, whose details are in the{" "}
          <a
            className="govuk-link"
            href="https://www.gov.uk/government/organisations/ministry-of-housing-communities-local-government/about/personal-information-charter"
          >
            ministry&apos;s personal information charter
          </a>
          .
        </p>
        <p className="govuk-body">This notice was last updated on 6 December 2026.</p>
      </div>
    </div>
  );
}
