// The responses a loader or action throws when a page cannot be shown. The root error
// boundary turns them into the GOV.UK "Page not found" and "You do not have permission"
// pages, so every part of the service answers the same way.

// Also used where a record exists but the person may not know that (another council's
// bid, an assessment that is not theirs): saying "not found" rather than "forbidden" keeps
// its existence private.
export const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

// The sentence, when given, is shown on the page: say what to do next.
export const forbidden = (sentence = "You do not have permission to see this page.") => new Response(sentence, { status: 403, statusText: "Forbidden" });

// A request no page of the service sends (a hand-made one, or a stale page's): the sentence
// is shown. A form a person filled in is answered with its errors instead (app/forms).
export const badRequest = (sentence: string) => new Response(sentence, { status: 400, statusText: "Bad Request" });

// The record has moved on since the page was drawn, so what was asked no longer applies.
export const conflict = (sentence: string) => new Response(sentence, { status: 409, statusText: "Conflict" });
