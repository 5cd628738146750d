import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { CsrfInput, ErrorSummary } from "~/components/forms.tsx";
import { NotificationBanner } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Textarea } from "~/components/textarea.tsx";
import { readForm } from "~/forms/body.server.ts";
import { answerRequest, findRequest } from "~/join/requests.server.ts";
import { requireCsrf } from "~/security/csrf.server.ts";
import { formatDateTime } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";
import { notFound } from "~/http/errors.server.ts";

export const meta = titled<typeof loader>(({ data }) => [data ? `${data.request.name}'s request to join` : "Request to join"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/access-requests.$id");
  const found = await findRequest(user, params.id ?? "");
  if (!found) throw notFound();
  const answered = new URL(request.url).searchParams.get("answered");
  return { request: found.view, answered: answered === "approved" || answered === "declined" ? answered : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await authoriseUser(request, "routes/access-requests.$id", "action");
  requireCsrf(request, form);
  const answer = await answerRequest(user, params.id ?? "", form);
  if (!answer) throw notFound();
  if (!answer.ok) return data({ errors: answer.errors, values: answer.values }, { status: 400 });
  return redirect(`/access-requests/${encodeURIComponent(params.id ?? "")}?answered=${answer.outcome}`);
}

export default function AccessRequest() {
  const { request, answered } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors as Record<string, string> | undefined;
  const values = result?.values as Record<string, string> | undefined;
  const roleWanted = request.roleWanted === "certifier" ? "Council certifier" : "Council officer";
  const chosen = values?.role ?? (request.grantable.some((g) => g.value === request.roleWanted) ? request.roleWanted : request.grantable[0]?.value);
  return (
    <>
      <a href="/access-requests" className="govuk-back-link">
        Back to requests to join
      </a>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {/* Answered meanwhile: the forms are gone, so the refusal is said without a link to them. */}
          {request.status === "pending" ? (
            <ErrorSummary errors={errors} order={["role", "reason"]} />
          ) : (
            <ErrorSummary description={errors ? Object.values(errors)[0] : undefined} />
          )}
          {answered && !result ? (
            <NotificationBanner
              type="success"
              heading={
                answered === "approved"
                  ? `${request.name} now has access. We have emailed them how to sign in.`
                  : `You declined ${request.name}'s request. We have emailed them your reason.`
              }
            />
          ) : null}
          <span className="govuk-caption-l">{request.organisation.name}</span>
          <h1 className="govuk-heading-l">{request.name}'s request to join</h1>
          <SummaryList
            rows={[
              { key: "Name", value: request.name },
              { key: "Email address", value: request.email },
              { key: "Role asked for", value: roleWanted },
              { key: "Note", value: request.note || "None" },
              { key: "Address confirmed", value: request.confirmedAt ? formatDateTime(request.confirmedAt) : "Not yet" },
              ...(request.status === "approved"
                ? [
                    {
                      key: "Answer",
                      value: `Approved as ${request.grantedRole?.toLowerCase()} by ${request.answeredBy ?? "a former user"} on ${formatDateTime(request.answeredAt)}`,
                    },
                  ]
                : []),
              ...(request.status === "declined"
                ? [
                    { key: "Answer", value: `Declined by ${request.answeredBy ?? "a former user"} on ${formatDateTime(request.answeredAt)}` },
                    { key: "Reason", value: request.declineReason },
                  ]
                : []),
            ]}
          />
          {request.status === "pending" && request.cannotAnswer ? <div className="govuk-inset-text">{request.cannotAnswer}</div> : null}
          {request.status === "pending" && request.grantable.length ? (
            <>
              <h2 className="govuk-heading-m">Approve</h2>
              <p className="govuk-body">Only approve people you know work for {request.organisation.name}. They get the role you choose.</p>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="approve" />
                <Radios
                  name="role"
                  legend="Role to give"
                  legendClass="govuk-fieldset__legend--s"
                  error={errors?.role}
                  value={chosen}
                  items={request.grantable.map((g) => ({ value: g.value, text: g.text }))}
                />
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Approve and give access
                </button>
              </Form>
              <h2 className="govuk-heading-m">Decline</h2>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="decline" />
                <Textarea
                  name="reason"
                  label="Why are you declining the request?"
                  hint={`We email ${request.name} this reason.`}
                  defaultValue={values?.reason}
                  error={errors?.reason}
                  rows={3}
                />
                <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                  Decline the request
                </button>
              </Form>
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
