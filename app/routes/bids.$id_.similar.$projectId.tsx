import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { registerAdoption } from "~/adoptions/adoptions.server.ts";
import { loadBidFor } from "~/bids/bids.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { parseForm, refusedField, type FormErrors } from "~/forms/parse.server.ts";
import { MESSAGE_MAX, similarWorkActionForm } from "~/reuse/contact.ts";
import { contactLead } from "~/reuse/contact.server.ts";
import { adoptersText } from "~/reuse/similar-work.ts";
import { similarWorkOf } from "~/reuse/similar.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { titled } from "~/utils/title.ts";
import { formatNumber, plural } from "~/utils/format.ts";

export const meta = titled<typeof loader>(({ data }) => [data?.sent ? "Message sent" : "Contact the lead council", data?.project.title]);

const ROUTE = "routes/bids.$id_.similar.$projectId" as const;
// The bid's councils' officers: those drafting it, who see the similar-work panel.
const DRAFTING = ["leadOfficer", "partnerOfficer"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, ROUTE);
  const { bid } = await loadBidFor(user, params.id, DRAFTING);
  const project = await similarWorkOf(user, params.projectId);
  return {
    bid: { id: bid.id, title: bid.title },
    project,
    messageMax: MESSAGE_MAX,
    sent: new URL(request.url).searchParams.get("sent") === "1",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, ROUTE, "action");
  requireCsrf(request, form);
  const { bid } = await loadBidFor(user, params.id, DRAFTING);
  // The form is checked before the project is looked up, so malformed input is refused as such.
  const parsed = parseForm(form, similarWorkActionForm);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const project = await similarWorkOf(user, params.projectId);
  if (parsed.value.intent === "adopt") {
    const registered = await registerAdoption(user, project.id);
    // The adoption page says the council is registered, and is where it records its progress.
    if (registered.ok) return redirect(`/projects/${project.id}/adoptions/${registered.adoptionId}?notice=registered`);
    return refusedField("adopt", registered.reason, parsed.values);
  }
  const sent = await contactLead(user, project.id, parsed.value.message);
  if (sent.status === "own") return refusedField("message", "Your council leads this project, so there is no one else to write to.", parsed.values);
  if (sent.status === "rate-limited") {
    const minutes = Math.max(1, Math.ceil(sent.retryAfterSeconds / 60));
    const errors: FormErrors = { message: `You have sent a lot of messages in the last hour. Wait ${plural(minutes, "minute")} and try again` };
    return data({ errors, values: parsed.values }, { status: 429, headers: { "Retry-After": String(sent.retryAfterSeconds) } });
  }
  return redirect(`/bids/${bid.id}/similar/${project.id}?sent=1`);
}

export default function ContactLead() {
  const { bid, project, messageMax, sent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Message sent</h1>
            <div className="govuk-panel__body">We have emailed your message to {project.lead}</div>
          </div>
          <p className="govuk-body">They will reply to you by email. Springboard does not show their answer.</p>
          <p className="govuk-body">
            <a className="govuk-link" href={`/bids/${bid.id}`}>
              Go back to your bid
            </a>
          </p>
        </div>
      </div>
    );
  }
  const errors = result?.errors;
  return (
    <>
      <a href={`/bids/${bid.id}`} className="govuk-back-link">
        Back to your bid
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["adopt", "message"]} />
          <span className="govuk-caption-l">{project.reference}</span>
          <h1 className="govuk-heading-l">Contact the lead council of {project.title}</h1>
          <p className="govuk-body">
            <strong className={`govuk-tag govuk-tag--${project.stage.tag}`}>{project.stage.text}</strong> Led by {project.lead}.
            {project.scale ? ` ${adoptersText(project.scale.adopters)}.` : ""}
          </p>
          {project.summary ? <p className="govuk-body">{project.summary}</p> : null}
          <p className="govuk-body">
            <a className="govuk-link" href={project.href}>
              See the funded project
            </a>
            {project.caseStudy ? (
              <>
                {" or "}
                <a className="govuk-link" href={project.caseStudy.href}>
                  read its case study
                </a>
              </>
            ) : null}
          </p>

          {project.canAdopt || errors?.adopt ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <h2 className="govuk-heading-m">Adopt what they made</h2>
              <p className="govuk-body">Register your council to adopt it. {project.lead} will be told, and you can record your progress as you adopt it.</p>
              {project.canAdopt ? (
                <button type="submit" name="intent" value="adopt" id="adopt" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Ask to adopt
                </button>
              ) : (
                <p className="govuk-body" id="adopt" tabIndex={-1}>
                  {errors?.adopt}
                </p>
              )}
            </Form>
          ) : null}

          {project.canContact ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="contact" />
              <h2 className="govuk-heading-m">Send them a message</h2>
              <p className="govuk-body">
                We will email your message to the officers of {project.lead}, with your name, your council and your email address, so that they can reply to
                you. Nothing from your bid is sent.
              </p>
              <Textarea
                name="message"
                label="Your message"
                hint={`For example, what you would like to learn from their work. You can enter up to ${formatNumber(messageMax)} characters.`}
                rows={6}
                defaultValue={result?.values.message}
                error={errors?.message}
              />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Send message
              </button>
            </Form>
          ) : (
            <p className="govuk-body">Your council leads this project.</p>
          )}
        </div>
      </div>
    </>
  );
}
