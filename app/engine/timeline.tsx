import type { TimelineEntry } from "./timeline-entry.ts";
import { formatDateTime } from "~/utils/format.ts";

/** A record's history, newest first: what happened, who did it, when, and why. */
export function Timeline({ items, heading = "History" }: { items: TimelineEntry[]; heading?: string }) {
  return (
    <section aria-labelledby="timeline-heading" className="app-timeline">
      <h2 className="govuk-heading-m" id="timeline-heading">
        {heading}
      </h2>
      {items.length === 0 ? (
        <p className="govuk-body">Nothing has happened yet.</p>
      ) : (
        <ol className="app-timeline__list">
          {items.map((item) => (
            <li className="app-timeline__item" key={item.id}>
              <h3 className="govuk-heading-s app-timeline__title">{item.title}</h3>
              <p className="govuk-body-s app-timeline__meta">
                {item.actor}, <time dateTime={item.at}>{formatDateTime(item.at)}</time>
              </p>
              <p className="govuk-body-s">
                {item.from && item.from !== item.to ? (
                  <>
                    {item.from} to <strong>{item.to}</strong>
                  </>
                ) : (
                  <>
                    Status: <strong>{item.to}</strong>
                  </>
                )}
              </p>
              {item.reason ? (
                <div className="govuk-inset-text govuk-!-margin-top-1 govuk-!-margin-bottom-2">
                  <span className="govuk-visually-hidden">Reason: </span>
                  {item.reason}
                </div>
              ) : null}
              {item.details.length ? (
                <ul className="govuk-list govuk-list--bullet govuk-body-s">
                  {item.details.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
