import { Table } from "~/components/table.tsx";
import { formatDateTime } from "~/utils/format.ts";
import type { WaitingItem } from "./waiting.server.ts";

/** The home page's first section: what is waiting for this person, oldest first. */
export function WaitingList({ items, empty }: { items: WaitingItem[]; empty: string }) {
  return (
    <section aria-labelledby="waiting-heading">
      <h2 className="govuk-heading-m" id="waiting-heading">
        Waiting for you
      </h2>
      {items.length ? (
        <Table
          caption="Oldest first"
          captionClass="govuk-visually-hidden"
          head={["What to do", "Waiting since"]}
          rows={items.map((item) => ({
            key: item.key,
            cells: [
              <>
                <a className="govuk-link" href={item.href}>
                  {item.action}
                </a>
                <br />
                <span className="govuk-body-s">{item.detail}</span>
              </>,
              formatDateTime(item.since),
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">{empty}</p>
      )}
    </section>
  );
}
