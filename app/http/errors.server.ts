// The responses a loader or action throws when a page cannot be shown. The root error
// boundary turns them into the GOV.UK "Page not found" and "You do not have permission"
// pages, so every part of the service answers the same way.

// Also used where a record exists but the person may not know that (another council's
// bid, an assessment that is not theirs): saying "not found" rather than "forbidden" keeps
// its existence private.
export const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export const forbidden = () =>
  new Response("You do not have permission to see this page.", { status: 403, statusText: "Forbidden" });
