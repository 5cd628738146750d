/** Where clamd listens: TCP (`tcp://host:port`) or a unix socket (`unix:///run/clamav/clamd.ctl`). */
export type ClamdAddress = { host: string; port: number } | { path: string };

const EXPECTED = "a clamd address such as tcp://127.0.0.1:3310 or unix:///run/clamav/clamd.ctl";

/** A CLAMD_URL read into an address, or null when it is not one. */
export function parseClamdUrl(value: string): ClamdAddress | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol === "unix:") {
    const socketPath = decodeURIComponent(url.pathname);
    return url.host === "" && socketPath.startsWith("/") && socketPath.length > 1 ? { path: socketPath } : null;
  }
  if (url.protocol === "tcp:") {
    const port = Number(url.port);
    if (!url.hostname || !Number.isInteger(port) || port < 1 || port > 65535) return null;
    // [::1] comes back from URL with its brackets, which net.connect does not take.
    return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port };
  }
  return null;
}

/** What is wrong with a CLAMD_URL, for the start-up message, or null when nothing is. */
export function clamdUrlProblem(value: string): string | null {
  return parseClamdUrl(value) ? null : `must be ${EXPECTED}`;
}
