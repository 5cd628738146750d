import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { SimplePagination } from "~/components/simple-pagination.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { receivedFeedback } from "~/feedback/feedback.server.ts";
import { formatDateTime, plural } from "~/utils/format.ts";
import { pageParam } from "~/utils/paging.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Feedback received"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/feedback_.received");
  return receivedFeedback(pageParam(new URL(request.url).searchParams.get("page")));
}

export default function FeedbackReceived() {
  const { total, page, pages, items } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Feedback received</h1>
      <p className="govuk-body">
        What people have said about Springboard through the feedback link on every page, newest first. The fund team is emailed each one as it arrives.
      </p>
      {total === 0 ? (
        <p className="govuk-body">Nobody has given feedback yet.</p>
      ) : (
        <>
          <p className="govuk-body">
            {plural(total, "piece")} of feedback{pages > 1 ? `, page ${page} of ${pages}` : ""}.
          </p>
          {/* Articles, not labelled sections: two can share a heading (feedback given in the same
              minute), and labelled sections would be landmarks with the same name. */}
          {items.map((item) => (
            <article key={item.id} className="govuk-!-margin-bottom-7">
              <h2 className="govuk-heading-s">{formatDateTime(item.at)}</h2>
              <SummaryList
                rows={[
                  { key: "From", value: item.sender ?? "Someone who was not signed in" },
                  {
                    key: "Page",
                    value: item.fromPath ? (
                      <a className="govuk-link" href={item.fromPath}>
                        {item.fromPath}
                      </a>
                    ) : (
                      "Not known"
                    ),
                  },
                  { key: "What they were doing", value: item.doing ? <span className="app-preserve-lines">{item.doing}</span> : "Not said" },
                  { key: "What went wrong or could be better", value: <span className="app-preserve-lines">{item.details}</span> },
                  {
                    key: "Reply to",
                    value: item.replyTo ? (
                      <a className="govuk-link" href={`mailto:${item.replyTo}`}>
                        {item.replyTo}
                      </a>
                    ) : (
                      "No reply asked for"
                    ),
                  },
                ]}
              />
            </article>
          ))}
          <SimplePagination page={page} pages={pages} href={(p) => `/feedback/received?page=${p}`} />
        </>
      )}
    </>
  );
}
