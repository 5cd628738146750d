/** GOV.UK pagination with previous and next links and "Page x of y", for long lists. */
export function SimplePagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label="Pagination">
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <a className="govuk-link govuk-pagination__link" href={href(page - 1)} rel="prev">
            <span className="govuk-pagination__link-title">
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">
              Page {page - 1} of {pages}
            </span>
          </a>
        </div>
      ) : null}
      {page < pages ? (
        <div className="govuk-pagination__next">
          <a className="govuk-link govuk-pagination__link" href={href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">
              Page {page + 1} of {pages}
            </span>
          </a>
        </div>
      ) : null}
    </nav>
  );
}

/** A URL with the current query, one parameter changed (empty values dropped). */
export function withParam(path: string, query: Record<string, string | undefined>, key: string, value: string | number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, [key]: String(value) })) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
