import { describe, expect, it } from "vitest";
import { htmlOnly, pageHydrates } from "~/components/hydration.ts";

describe("pageHydrates", () => {
  it("loads the client app unless one of the page's routes asks for HTML alone", () => {
    expect(pageHydrates([])).toBe(true);
    expect(pageHydrates([{ handle: undefined }, { handle: { breadcrumb: "Bids" } }])).toBe(true);
    expect(pageHydrates([{ handle: undefined }, { handle: htmlOnly }])).toBe(false);
    expect(pageHydrates([{ handle: htmlOnly }, { handle: { hydrate: true } }])).toBe(false);
  });

  it("reads only an explicit false: a handle that is not an object, or says nothing, changes nothing", () => {
    expect(pageHydrates([{ handle: null }, { handle: "text" }, { handle: { hydrate: 0 } }, { handle: { hydrate: undefined } }])).toBe(true);
  });
});
