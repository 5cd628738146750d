import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readForm, readUpload } from "~/forms/body.server.ts";
import { checkbox, email, govukDate, money, parseMoney, reason, ticked, version } from "~/forms/fields.ts";
import { FORM_BODY_LIMIT, MAX_FORM_ROWS, UPLOAD_BODY_LIMIT } from "~/forms/limits.ts";
import { parseForm } from "~/forms/parse.server.ts";

const formOf = (fields: Record<string, string | string[]>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
  return form;
};

const post = (body: BodyInit, type = "application/x-www-form-urlencoded", headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body, headers: { "content-type": type, ...headers }, duplex: "half" } as RequestInit);

async function refusal(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected a refusal");
}

describe("readForm: bounded before parsed", () => {
  it("reads an ordinary form", async () => {
    const form = await readForm(post("reason=Because&version=3"));
    expect(form.get("reason")).toBe("Because");
  });

  it("refuses a declared length over the limit without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await refusal(readForm(post(body, undefined, { "content-length": String(FORM_BODY_LIMIT + 1) })));
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/at most 256 KB/);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("stops reading a body with no declared length as soon as it passes the limit", async () => {
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new TextEncoder().encode("a".repeat(64 * 1024)));
      },
    });
    const response = await refusal(readForm(post(body)));
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(FORM_BODY_LIMIT + 3 * 64 * 1024);
  });

  it("refuses content types no form sends, and files where none are taken", async () => {
    expect((await refusal(readForm(post("{}", "application/json")))).status).toBe(415);
    expect((await refusal(readForm(post("", "multipart/form-data; boundary=x")))).status).toBe(415);
  });

  it("refuses too many fields, NUL bytes, prototype keys and huge row numbers", async () => {
    expect((await refusal(readForm(post(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join("&"))))).status).toBe(413);
    expect((await refusal(readForm(post("reason=a%00b")))).status).toBe(400);
    expect((await refusal(readForm(post("__proto__.admin=1")))).status).toBe(400);
    expect((await refusal(readForm(post("a[constructor]=1")))).status).toBe(400);
    expect((await refusal(readForm(post(`line-${MAX_FORM_ROWS}-amount=1`)))).status).toBe(400);
    expect((await refusal(readForm(post("lines[99999999].amount=1")))).status).toBe(400);
    expect((await readForm(post(`line-${MAX_FORM_ROWS - 1}-amount=1`))).get(`line-${MAX_FORM_ROWS - 1}-amount`)).toBe("1");
  });

  it("reads an upload whose boundary is in mixed case, as browsers send it", async () => {
    const boundary = "----WebKitFormBoundaryAbCdEf";
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="kind"', "", "plan", `--${boundary}--`, ""].join("\r\n");
    const form = await readForm(post(body, `multipart/form-data; boundary=${boundary}`), "upload");
    expect(form.get("kind")).toBe("plan");
  });

  it("refuses a body that is not UTF-8", async () => {
    expect((await refusal(readForm(post(new Uint8Array([0x61, 0x3d, 0xff, 0xfe]))))).status).toBe(400);
  });
});

describe("parseForm and the shared fields", () => {
  const schema = z.object({
    reason: reason("why you are withdrawing the bid"),
    amount: money("the amount", { max: 100_000_00 }),
    due: govukDate("the due date", { required: true }),
    version,
    agree: checkbox,
    kinds: ticked(["a", "b"]),
  });

  it("returns typed values and GOV.UK messages keyed by field", () => {
    const parsed = parseForm(formOf({ reason: "  ", amount: "£12,500.5", "due-day": "31", "due-month": "2", "due-year": "2027", version: "x" }), schema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({ reason: "Enter why you are withdrawing the bid", due: "The due date must be a real date" });
    expect(parsed.values).toMatchObject({ reason: "  ", amount: "£12,500.5", "due-day": "31" });
  });

  it("gives the parsed value when every rule passes", () => {
    const parsed = parseForm(
      formOf({ reason: " Why ", amount: "12,500.50", "due-day": "1", "due-month": "3", "due-year": "2027", version: "4", kinds: ["a", "b"] }),
      schema,
    );
    expect(parsed).toMatchObject({ ok: true, value: { reason: "Why", amount: 1_250_050, due: "2027-03-01", version: 4, agree: false, kinds: ["a", "b"] } });
  });

  it("names the figure a limit broke", () => {
    const parsed = parseForm(formOf({ reason: "x".repeat(5001), amount: "200000", "due-day": "", "due-month": "3", "due-year": "2027" }), schema);
    expect(parsed.ok ? {} : parsed.errors).toEqual({
      reason: "Your reason must be 5,000 characters or fewer",
      amount: "The amount must be £100,000 or less",
      due: "The due date must include a day",
    });
  });

  it("has one money parser and one email rule", () => {
    expect(parseMoney("£ 1,000")).toBe(100_000);
    expect(parseMoney("1.234")).toBeNull();
    expect(email().safeParse(" Name@Council.GOV.uk ").data).toBe("name@council.gov.uk");
    expect(email().safeParse("not an address").success).toBe(false);
  });
});

describe("planned dates", () => {
  it("refuses a date after the latest given, naming it", () => {
    const schema = z.object({ due: govukDate("the due date", { notAfter: "2031-12-06", notAfterText: "6 December 2031, 5 years from today" }) });
    const late = parseForm(formOf({ "due-day": "7", "due-month": "12", "due-year": "2031" }), schema);
    expect(late.ok ? null : late.errors).toEqual({ due: "The due date must be on or before 6 December 2031, 5 years from today" });
    expect(parseForm(formOf({ "due-day": "6", "due-month": "12", "due-year": "2031" }), schema).ok).toBe(true);
  });
});

describe("readUpload: a body too large keeps the fields before its file", () => {
  const boundary = "----WebKitFormBoundaryQx9";
  const part = (name: string, value: string) => [`--${boundary}`, `Content-Disposition: form-data; name="${name}"`, "", value].join("\r\n");
  const filePart = [`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="a.pdf"', "Content-Type: application/pdf", "", "%PDF-1.4"].join(
    "\r\n",
  );
  const tooBig = (body: string, type = `multipart/form-data; boundary=${boundary}`) =>
    readUpload(post(body, type, { "content-length": String(UPLOAD_BODY_LIMIT + 1) }));

  it("reads the fields before the first file, and nothing of the file", async () => {
    const result = await tooBig([part("csrf", "t"), part("type", "Cost breakdown – 2027"), filePart].join("\r\n"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...result.leading.entries()]).toEqual([
      ["csrf", "t"],
      ["type", "Cost breakdown – 2027"],
    ]);
  });

  it("keeps none when the file comes first, or a field would be refused, and reads a body under the limit whole", async () => {
    const first = await tooBig([filePart, part("type", "costBreakdown")].join("\r\n"));
    expect(first.ok ? null : [...first.leading.keys()]).toEqual([]);
    const polluting = await tooBig([part("__proto__", "x"), part("type", "costBreakdown"), filePart].join("\r\n"));
    expect(polluting.ok ? null : [...polluting.leading.keys()]).toEqual([]);
    const quoted = await tooBig([part("type", "dpia"), filePart].join("\r\n"), `multipart/form-data; boundary="${boundary}"`);
    expect(quoted.ok ? null : quoted.leading.get("type")).toBe("dpia");
    const whole = await readUpload(post([part("type", "dpia"), `--${boundary}--`, ""].join("\r\n"), `multipart/form-data; boundary=${boundary}`));
    expect(whole.ok ? whole.form.get("type") : null).toBe("dpia");
  });
});
