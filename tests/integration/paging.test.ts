import { beforeAll, describe, expect, it } from "vitest";
import { loader as assessmentsLoader } from "~/routes/assessments._index.tsx";
import { loader as fundedLoader } from "~/routes/funded._index.tsx";
import { loader as hubLoader } from "~/routes/hub._index.tsx";
import { loader as notificationsLoader } from "~/routes/notifications._index.tsx";
import { loader as organisationsLoader } from "~/routes/organisations._index.tsx";
import { loader as portfolioLoader } from "~/routes/portfolio.tsx";
import { loader as decisionsLoader } from "~/routes/rounds.$slug_.decisions.tsx";
import { loader as progressLoader } from "~/routes/rounds.$slug_.progress.tsx";
import { clampPage, MAX_PAGE, pageParam } from "~/utils/paging.ts";
import { useTestDatabase } from "../support/database.ts";
import { createModeratedRound } from "../../bench/support/fixtures.ts";
import { anonymousBrowser, type Browser, context, get, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase();

// What people (and scanners) type into the address bar instead of a page number.
const typed = ["99999999999", "99999999999999999999999", "-1", "0", "abc", "2.5", "1e9", ""];

describe("a page number from the address bar", () => {
  it("is a whole number from 1 to MAX_PAGE, and anything else is page 1", () => {
    expect(pageParam("3")).toBe(3);
    expect(pageParam("99999999999")).toBe(MAX_PAGE);
    expect(pageParam("-1")).toBe(1);
    expect(pageParam("0")).toBe(1);
    expect(pageParam("abc")).toBe(1);
    expect(pageParam(null)).toBe(1);
    expect(pageParam("2.5")).toBe(2);
  });

  it("lands on the last page when it is past the end", () => {
    expect(clampPage(MAX_PAGE, 4)).toBe(4);
    expect(clampPage(3, 4)).toBe(3);
    expect(clampPage(-5, 4)).toBe(1);
    expect(clampPage(7, 0)).toBe(1);
  });
});

describe("every paged list answers whatever page number is typed", () => {
  let slug: string;
  let fundTeam: Browser;
  let assessor: Browser;
  beforeAll(async () => {
    const made = await createModeratedRound({ bids: [{ amountPence: 50_000_00, scores: [[3, 3, 3, 3]] }] });
    slug = made.round.slug;
    fundTeam = await signedInBrowser(made.fundTeam.id);
    assessor = await signedInBrowser(made.assessors[0]!.id);
  });

  const lists: {
    name: string;
    path: () => string;
    param: string;
    browser: () => Browser;
    loader: (args: any) => Promise<unknown>;
    params?: () => Record<string, string>;
  }[] = [
    { name: "assessments", path: () => "/assessments", param: "page", browser: () => assessor, loader: assessmentsLoader },
    { name: "funded projects", path: () => "/funded", param: "page", browser: () => anonymousBrowser(), loader: fundedLoader },
    { name: "the hub", path: () => "/hub", param: "page", browser: () => anonymousBrowser(), loader: hubLoader },
    { name: "notifications", path: () => "/notifications", param: "page", browser: () => fundTeam, loader: notificationsLoader },
    { name: "organisations", path: () => "/organisations", param: "page", browser: () => fundTeam, loader: organisationsLoader },
    { name: "the portfolio", path: () => "/portfolio", param: "page", browser: () => fundTeam, loader: portfolioLoader },
    { name: "decisions", path: () => `/rounds/${slug}/decisions`, param: "page", browser: () => fundTeam, loader: decisionsLoader, params: () => ({ slug }) },
    {
      name: "progress (assessors)",
      path: () => `/rounds/${slug}/progress`,
      param: "assessors",
      browser: () => fundTeam,
      loader: progressLoader,
      params: () => ({ slug }),
    },
  ];

  for (const list of lists) {
    it(`${list.name}: no 500, and the page shown exists`, async () => {
      for (const value of typed) {
        const request = get(`${list.path()}?${list.param}=${encodeURIComponent(value)}`, list.browser());
        const result = await run(() => list.loader({ request, context: context(), params: list.params?.() ?? {} }));
        expect({ value, status: result.status }).toEqual({ value, status: 200 });
        // Lists that count their pages say which one they show: it must be one that exists.
        const shown = [result.data, result.data?.board, result.data?.ranking].find((d) => typeof d?.page === "number" && typeof d?.pages === "number");
        if (shown) expect(shown.page >= 1 && shown.page <= shown.pages, `${value}: page ${shown.page} of ${shown.pages}`).toBe(true);
      }
    });
  }
});
