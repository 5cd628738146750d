/**
 * The sentence a `?notice=` key stands for, or null. Own keys only: a key such as
 * `__proto__` or `constructor` must not reach an object's prototype (and a page with it).
 */
export function noticeText(notices: Readonly<Record<string, string>>, key: string | null | undefined): string | null {
  return key && Object.hasOwn(notices, key) ? (notices[key] ?? null) : null;
}

/**
 * The sentence for the `?notice=` key in a request's address, from the page's own list: a
 * page prints one of its sentences, never the address's text.
 */
export function noticeFrom(request: Request, notices: Readonly<Record<string, string>>): string | null {
  return noticeText(notices, new URL(request.url).searchParams.get("notice"));
}
