// CSV for downloads opened in spreadsheets (RFC 4180 quoting, CRLF line ends).
// A cell that starts with = + - @, a tab or a carriage return could run as a formula when
// the file is opened, so it is prefixed with a single quote (OWASP's advice on CSV
// injection). Rows are built one at a time so that an export can be streamed.

const formulaStart = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | Date | null | undefined;

/** One cell, neutralised and quoted when it needs to be. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  // Numbers are data, not formulas: a negative amount stays a number.
  if (typeof value !== "number" && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of the file, ending in CRLF. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** A whole file from a header and rows, for small exports; large ones stream csvRow. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = csvRow(header);
  for (const row of rows) out += csvRow(row);
  return out;
}

/** A streamed CSV response: the header first, then each batch of rows as it is produced. */
export function csvResponse(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly CsvValue[])[]>,
  init: { fileName: string; headers?: Record<string, string> },
): Response {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A byte order mark so that spreadsheet programs read the file as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvRow(header)}`));
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${init.fileName}"`,
      ...init.headers,
    },
  });
}
