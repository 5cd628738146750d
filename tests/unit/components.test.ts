// The shared GOV.UK components, rendered to static markup. Written with createElement (not
// JSX) because the unit project picks up `*.test.ts` files only; there is no DOM here, so the
// markup is read with two small helpers: the opening tag carrying an id, and one attribute.
import { createElement as h, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Checkboxes } from "~/components/checkboxes.tsx";
import { FileUpload } from "~/components/file-upload.tsx";
import { NotificationBanner, SuccessNotice } from "~/components/notification-banner.tsx";
import { Radios } from "~/components/radios.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { noticeFrom } from "~/utils/notices.ts";

const render = (element: ReactElement) => renderToStaticMarkup(element);

/** The opening tag whose id is `id`; fails the test if there is not exactly one. */
function tagWithId(html: string, id: string) {
  const tags = html.match(new RegExp(`<[a-z0-9]+ [^>]*id="${id}"[^>]*>`, "g")) ?? [];
  expect(tags, `one element with id ${id}`).toHaveLength(1);
  return tags[0] ?? "";
}
function attr(tag: string, name: string) {
  return tag.match(new RegExp(` ${name}="([^"]*)"`))?.[1];
}
const has = (tag: string, flag: string) => new RegExp(` ${flag}(="")?[ />]`).test(tag);

const items = [
  { value: "yes", text: "Yes", hint: "The bid goes on" },
  { value: "no", text: "No" },
  { value: "maybe", text: "Not sure" },
];

describe("Radios", () => {
  it("gives the first radio the field's name as its id, the others numbered, and checks the chosen value", () => {
    const html = render(h(Radios, { name: "outcome", legend: "Outcome", items, value: "no" }));
    const first = tagWithId(html, "outcome");
    expect(attr(first, "type")).toBe("radio");
    expect(attr(first, "name")).toBe("outcome");
    expect(has(first, "checked")).toBe(false);
    expect(attr(first, "aria-describedby")).toBe("outcome-item-hint");
    expect(tagWithId(html, "outcome-item-hint")).toContain("govuk-radios__hint");
    const second = tagWithId(html, "outcome-2");
    expect(has(second, "checked")).toBe(true);
    expect(attr(second, "aria-describedby")).toBeUndefined();
    expect(has(tagWithId(html, "outcome-3"), "checked")).toBe(false);
    expect(html).toContain('<label class="govuk-label govuk-radios__label" for="outcome-2">No</label>');
    // No hint, no error: nothing describes the fieldset and the group is not in error.
    expect(html).toContain('<div class="govuk-form-group"><fieldset class="govuk-fieldset">');
    expect(html).not.toContain("govuk-error-message");
  });

  it("describes the fieldset by its hint and error, with the hidden Error: prefix and the error classes", () => {
    const html = render(h(Radios, { name: "outcome", legend: "Outcome", hint: "Choose one", error: "Select an outcome", items, inline: true, small: true }));
    expect(html).toContain(
      '<div class="govuk-form-group govuk-form-group--error"><fieldset class="govuk-fieldset" aria-describedby="outcome-hint outcome-error">',
    );
    expect(tagWithId(html, "outcome-hint")).toContain('class="govuk-hint"');
    expect(html).toContain('<p id="outcome-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Select an outcome</p>');
    expect(html).toContain('class="govuk-radios govuk-radios--inline govuk-radios--small" data-module="govuk-radios"');
    expect(html).not.toMatch(/ checked/);
  });

  it("puts the legend in a page heading when asked", () => {
    const html = render(h(Radios, { name: "q", legend: "Is it ready?", legendIsHeading: true, items }));
    expect(html).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--l"><h1 class="govuk-fieldset__heading">Is it ready?</h1></legend>');
    const plain = render(h(Radios, { name: "q", legend: "Is it ready?", legendClass: "govuk-fieldset__legend--m", items }));
    expect(plain).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Is it ready?</legend>');
  });
});

describe("Checkboxes", () => {
  it("ticks every chosen value under the one name, the first checkbox's id the name", () => {
    const html = render(h(Checkboxes, { name: "themes", legend: "Themes", items, values: ["yes", "maybe"], small: true }));
    const first = tagWithId(html, "themes");
    expect(attr(first, "type")).toBe("checkbox");
    expect(attr(first, "name")).toBe("themes");
    expect(has(first, "checked")).toBe(true);
    expect(attr(first, "aria-describedby")).toBe("themes-item-hint");
    expect(has(tagWithId(html, "themes-2"), "checked")).toBe(false);
    expect(has(tagWithId(html, "themes-3"), "checked")).toBe(true);
    expect(attr(tagWithId(html, "themes-3"), "name")).toBe("themes");
    expect(html).toContain('class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"');
  });

  it("wires its hint and error to the fieldset and marks the group in error", () => {
    const html = render(h(Checkboxes, { name: "themes", legend: "Themes", hint: "Tick all that apply", error: "Select at least one theme", items }));
    expect(html).toContain(
      '<div class="govuk-form-group govuk-form-group--error"><fieldset class="govuk-fieldset" aria-describedby="themes-hint themes-error">',
    );
    expect(html).toContain('<p id="themes-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Select at least one theme</p>');
    expect(html).not.toMatch(/ checked/);
  });
});

describe("FileUpload", () => {
  it("is a file input whose id is its name, described by its hint", () => {
    const html = render(h(FileUpload, { name: "evidence", label: "Upload evidence", hint: "A PDF, up to 10 MB", accept: ".pdf" }));
    const input = tagWithId(html, "evidence");
    expect(attr(input, "type")).toBe("file");
    expect(attr(input, "name")).toBe("evidence");
    expect(attr(input, "accept")).toBe(".pdf");
    expect(attr(input, "class")).toBe("govuk-file-upload");
    expect(attr(input, "aria-describedby")).toBe("evidence-hint");
    expect(html).toContain('<label class="govuk-label" for="evidence">Upload evidence</label>');
    expect(html).toContain('<div class="govuk-form-group">');
  });

  it("carries the error classes and the error's id when refused", () => {
    const html = render(h(FileUpload, { name: "evidence", label: "Upload evidence", hint: "A PDF", error: "The file must be smaller than 10 MB" }));
    const input = tagWithId(html, "evidence");
    expect(attr(input, "class")).toBe("govuk-file-upload govuk-file-upload--error");
    expect(attr(input, "aria-describedby")).toBe("evidence-hint evidence-error");
    expect(html).toContain('<div class="govuk-form-group govuk-form-group--error">');
    expect(html).toContain(
      '<p id="evidence-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> The file must be smaller than 10 MB</p>',
    );
  });
});

describe("SummaryList", () => {
  it("shows keys and values, a change link finished for screen readers, and marks the rows without one", () => {
    const html = render(
      h(SummaryList, {
        rows: [
          { key: "Name", value: "Ada", action: { href: "/change/name", text: "Change", visuallyHidden: "name" } },
          { key: "Council", value: "Leeds" },
        ],
      }),
    );
    expect(html).toBe(
      '<dl class="govuk-summary-list">' +
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value">Ada</dd>' +
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/change/name">Change<span class="govuk-visually-hidden"> name</span></a></dd></div>' +
        '<div class="govuk-summary-list__row govuk-summary-list__row--no-actions"><dt class="govuk-summary-list__key">Council</dt><dd class="govuk-summary-list__value">Leeds</dd></div>' +
        "</dl>",
    );
  });

  it("has no row marked when no row has an action, and drops its borders when asked", () => {
    const html = render(h(SummaryList, { rows: [{ key: "A", value: "1" }], noBorder: true }));
    expect(html).toBe(
      '<dl class="govuk-summary-list govuk-summary-list--no-border"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">A</dt><dd class="govuk-summary-list__value">1</dd></div></dl>',
    );
  });
});

describe("Table", () => {
  it("heads its columns, right-aligns the numeric ones and can head each row", () => {
    const html = render(
      h(Table, {
        caption: "Bids",
        captionClass: "govuk-table__caption--m",
        head: ["Council", "Amount"],
        rows: [["Leeds", "£1,000"]],
        numeric: [1],
        firstCellIsHeader: true,
      }),
    );
    expect(html).toBe(
      '<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Bids</caption>' +
        '<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Council</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount</th></tr></thead>' +
        '<tbody class="govuk-table__body"><tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Leeds</th><td class="govuk-table__cell govuk-table__cell--numeric">£1,000</td></tr></tbody></table>',
    );
  });

  it("uses data cells throughout and no caption by default", () => {
    const html = render(h(Table, { head: ["A"], rows: [["x"]] }));
    expect(html).not.toContain("<caption");
    expect(html).toContain('<td class="govuk-table__cell">x</td>');
    expect(html).not.toContain('scope="row"');
  });
});

describe("NotificationBanner", () => {
  it("is an alert when it reports a success, labelled by its title", () => {
    const html = render(h(NotificationBanner, { type: "success", heading: "Bid submitted" }, "We have emailed you."));
    const banner = html.match(/^<div [^>]*>/)![0];
    expect(attr(banner, "class")).toBe("govuk-notification-banner govuk-notification-banner--success");
    expect(attr(banner, "role")).toBe("alert");
    const title = tagWithId(html, attr(banner, "aria-labelledby")!);
    expect(title).toContain('class="govuk-notification-banner__title"');
    expect(html).toMatch(/>Success<\/h2>/);
    expect(html).toContain('<p class="govuk-notification-banner__heading">Bid submitted</p>We have emailed you.');
  });

  it("is a region titled Important by default, or by the title given", () => {
    const html = render(h(NotificationBanner, {}, "Round closes soon"));
    const banner = html.match(/^<div [^>]*>/)![0];
    expect(attr(banner, "class")).toBe("govuk-notification-banner");
    expect(attr(banner, "role")).toBe("region");
    expect(html).toMatch(/>Important<\/h2>/);
    expect(render(h(NotificationBanner, { title: "Round 2" }))).toMatch(/>Round 2<\/h2>/);
  });
});

describe("SuccessNotice", () => {
  const notices = { saved: "Your draft has been saved" };
  const page = (query: string) => new Request(`http://localhost/bids/1${query}`);

  it("prints the page's own sentence for the address's notice, in a success banner", () => {
    const html = render(h(SuccessNotice, { text: noticeFrom(page("?notice=saved"), notices), title: "Done" }));
    expect(html).toMatch(/^<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"/);
    expect(html).toMatch(/>Done<\/h2>/);
    expect(html).toContain('<p class="govuk-notification-banner__heading">Your draft has been saved</p>');
  });

  it("prints nothing for an address with no notice, another page's, or one that names an object's own properties", () => {
    for (const query of ["", "?notice=", "?notice=published", "?notice=__proto__", "?notice=constructor", "?notice=Your%20draft%20has%20been%20saved"]) {
      expect(noticeFrom(page(query), notices), query).toBeNull();
      expect(render(h(SuccessNotice, { text: noticeFrom(page(query), notices) })), query).toBe("");
    }
  });
});
