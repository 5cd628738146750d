import { formatNumber } from "~/utils/format.ts";

// The figures the boundary enforces, in one place so pages and docs can quote them.

/** Largest body a form without a file may send: a bid section at its word limits is ~60 KB. */
export const FORM_BODY_LIMIT = 256 * 1024;
/** Largest upload a person may send (the file itself); the body may carry a little more. */
export const UPLOAD_FILE_LIMIT = 10 * 1024 * 1024;
/** Room for the other fields and multipart framing beside an upload. */
export const UPLOAD_BODY_LIMIT = UPLOAD_FILE_LIMIT + 64 * 1024;
/**
 * Most of an upload over the limit that is read, to find the small fields its form sends
 * before the file (the type chosen beside it), so the page can refuse the file and keep them.
 */
export const LEADING_FIELDS_LIMIT = 8 * 1024;
/**
 * Largest declared upload answered with its page (the file refused beside its field) rather
 * than a bare refusal: a browser reads no answer until it has sent the whole body, so the
 * rest of such a body is read and thrown away (server/http.ts). Past this, the connection
 * is refused outright.
 */
export const UPLOAD_ANSWER_LIMIT = 100 * 1024 * 1024;
/** Most fields any form has is the round set-up and the assignment table: a few hundred. */
export const FIELD_COUNT_LIMIT = 1000;
/** Rows a repeating part of a form (cost lines, metrics) may have. */
export const MAX_FORM_ROWS = 200;
/**
 * How far ahead a planned date may be (a milestone, the next gate review, a condition's due
 * date, a go-live date): further than this is a typing slip, not a plan.
 */
export const PLANNING_HORIZON_YEARS = 5;
/** Seconds a client may take to send its headers, and its whole request. */
export const HEADERS_TIMEOUT_SECONDS = 20;
export const REQUEST_TIMEOUT_SECONDS = 120;

export const kilobytes = (bytes: number) => `${formatNumber(Math.round(bytes / 1024))} KB`;
export const megabytes = (bytes: number) => `${formatNumber(Math.round(bytes / 1024 / 1024))} MB`;
/** A file's size limit as the GOV.UK file upload's messages write it: "10MB". */
export const fileSize = (bytes: number) => `${formatNumber(Math.round(bytes / 1024 / 1024))}MB`;
