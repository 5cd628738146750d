import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authoriseUser } from "~/auth/access.server.ts";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { Select, TextInput } from "~/components/forms.tsx";
import { Table } from "~/components/table.tsx";
import { filtersFrom, kindLabels, listOrganisations, organisationKinds, PAGE_SIZE } from "~/organisations/directory.server.ts";
import type { OrganisationFilters } from "~/organisations/directory.server.ts";
import { formatDate, plural } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Organisations"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, "routes/organisations._index");
  const filters = filtersFrom(new URL(request.url).searchParams);
  const result = await listOrganisations(filters);
  return {
    filters,
    ...result,
    first: (result.page - 1) * PAGE_SIZE + 1,
    kinds: organisationKinds.map((kind) => ({ value: kind, text: kindLabels[kind] })),
  };
}

type Filters = OrganisationFilters;

/** The address of another page of the same search. */
function pageHref(filters: Filters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.declaration) params.set("declaration", filters.declaration);
  if (filters.retired) params.set("retired", "1");
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/organisations?${query}` : "/organisations";
}

/** 1 … 4 5 6 … 9: the first and last pages, the current page and its neighbours. */
function pageItems(current: number, count: number): (number | "ellipsis")[] {
  const wanted = new Set([1, count, current - 1, current, current + 1].filter((p) => p >= 1 && p <= count));
  const pages = [...wanted].sort((a, b) => a - b);
  const items: (number | "ellipsis")[] = [];
  pages.forEach((page, i) => {
    if (i > 0 && page - pages[i - 1]! > 1) items.push("ellipsis");
    items.push(page);
  });
  return items;
}

function Pagination({ filters, page, pageCount }: { filters: Filters; page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav className="govuk-pagination" aria-label="Pagination">
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <a className="govuk-link govuk-pagination__link" href={pageHref(filters, page - 1)} rel="prev">
            <svg
              className="govuk-pagination__icon govuk-pagination__icon--prev"
              xmlns="http://www.w3.org/2000/svg"
              height="13"
              width="15"
              aria-hidden="true"
              focusable="false"
              viewBox="0 0 15 13"
            >
              <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path>
            </svg>
            <span className="govuk-pagination__link-title">
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
          </a>
        </div>
      ) : null}
      <ul className="govuk-pagination__list">
        {pageItems(page, pageCount).map((item, i) =>
          item === "ellipsis" ? (
            <li key={`ellipsis-${i}`} className="govuk-pagination__item govuk-pagination__item--ellipsis">
              {"\u22EF"}
            </li>
          ) : (
            <li key={item} className={`govuk-pagination__item${item === page ? " govuk-pagination__item--current" : ""}`}>
              <a
                className="govuk-link govuk-pagination__link"
                href={pageHref(filters, item)}
                aria-label={`Page ${item}`}
                aria-current={item === page ? "page" : undefined}
              >
                {item}
              </a>
            </li>
          ),
        )}
      </ul>
      {page < pageCount ? (
        <div className="govuk-pagination__next">
          <a className="govuk-link govuk-pagination__link" href={pageHref(filters, page + 1)} rel="next">
            <span className="govuk-pagination__link-title">
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
            <svg
              className="govuk-pagination__icon govuk-pagination__icon--next"
              xmlns="http://www.w3.org/2000/svg"
              height="13"
              width="15"
              aria-hidden="true"
              focusable="false"
              viewBox="0 0 15 13"
            >
              <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path>
            </svg>
          </a>
        </div>
      ) : null}
    </nav>
  );
}

export default function Organisations() {
  const { filters, organisations, total, page, pageCount, kinds, first } = useLoaderData<typeof loader>();
  const last = first + organisations.length - 1;
  const filtered = Boolean(filters.q || filters.kind || filters.declaration || filters.retired);
  return (
    <>
      <h1 className="govuk-heading-l">Organisations</h1>
      <p className="govuk-body">The councils in the register of English local authorities, and the other organisations that take part in the fund.</p>
      <form method="get" action="/organisations" className="govuk-!-margin-bottom-6">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <TextInput name="q" label="Search by name or code" hint="For example, Leeds or LDS" defaultValue={filters.q} spellCheck={false} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <Select name="kind" label="Kind" defaultValue={filters.kind} options={[{ value: "", text: "All kinds" }, ...kinds]} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <Select
              name="declaration"
              label="Local Digital Declaration"
              defaultValue={filters.declaration}
              options={[
                { value: "", text: "Signed or not" },
                { value: "signed", text: "Signed" },
                { value: "unsigned", text: "Not signed" },
              ]}
            />
          </div>
        </div>
        <Checkboxes
          name="retired"
          legend="Councils that no longer exist"
          legendClass="govuk-visually-hidden"
          small
          values={filters.retired ? ["1"] : []}
          items={[{ value: "1", text: "Include councils that no longer exist" }]}
        />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Search
          </button>
          {filtered ? (
            <a className="govuk-link" href="/organisations">
              Clear search and filters
            </a>
          ) : null}
        </div>
      </form>
      {organisations.length ? (
        <>
          <p className="govuk-body" role="status">
            Showing {first} to {last} of {plural(total, "organisation")}
          </p>
          <Table
            caption="Organisations"
            captionClass="govuk-visually-hidden"
            head={["Name", "Code", "Type", "Local Digital Declaration"]}
            rows={organisations.map((o) => ({
              key: o.code,
              cells: [
                <>
                  <a className="govuk-link" href={`/organisations/${encodeURIComponent(o.code)}`}>
                    {o.name}
                  </a>
                  {o.retired ? (
                    <>
                      {" "}
                      <strong className="govuk-tag govuk-tag--grey">No longer exists</strong>
                    </>
                  ) : null}
                </>,
                o.code,
                o.type,
                o.declarationSignedAt ? `Signed on ${formatDate(o.declarationSignedAt)}` : <strong className="govuk-tag govuk-tag--grey">Not signed</strong>,
              ],
            }))}
          />
          <Pagination filters={filters} page={page} pageCount={pageCount} />
        </>
      ) : (
        <>
          <p className="govuk-body" role="status">
            No organisations match your search.
          </p>
          <p className="govuk-body">Check the spelling, search for part of the name, or remove a filter.</p>
        </>
      )}
    </>
  );
}
