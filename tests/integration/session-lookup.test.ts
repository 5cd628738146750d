import { afterEach, describe, expect, it, vi } from "vitest";
import { database, db } from "~/db/database.server.ts";
import { runWithContext } from "~/log/context.server.ts";
import { loader as rootLoader } from "~/root.tsx";
import { loader as homeLoader } from "~/routes/home.tsx";
import { useTestDatabase } from "../support/database.ts";
import { context, createUser, get, run, signedInBrowser } from "../../bench/support/requests.ts";

useTestDatabase({ referenceData: true });

afterEach(() => vi.restoreAllMocks());

const args = (request: Request) => ({ request, params: {}, context: context() });

describe("who is signed in, asked once per request", () => {
  it("is looked up once for a page whose root and route loaders both ask, side by side as Remix runs them", async () => {
    const user = await createUser("councilOfficer");
    const browser = await signedInBrowser(user.id);
    const statements = vi.spyOn(database(), "sql");
    const lookups = () => statements.mock.calls.filter(([text]) => String(text).includes('FROM "Session"')).length;
    const [root, home] = await runWithContext({ requestId: "one-page-request" }, () =>
      Promise.all([run(() => rootLoader(args(get("/home", browser)) as never)), run(() => homeLoader(args(get("/home", browser)) as never))]),
    );
    expect(root.status).toBe(200);
    expect(root.data.user.name).toBe(user.name);
    expect(home.status).toBe(200);
    expect(lookups()).toBe(1);
  });

  it("is looked up afresh by the next request, so a session ended meanwhile is not seen as signed in", async () => {
    const user = await createUser("councilOfficer");
    const browser = await signedInBrowser(user.id);
    const first = await runWithContext({ requestId: "first-request" }, () => run(() => rootLoader(args(get("/home", browser)) as never)));
    expect(first.data.user.name).toBe(user.name);
    await db().session.deleteMany({ where: { userId: user.id } });
    const second = await runWithContext({ requestId: "second-request" }, () => run(() => rootLoader(args(get("/home", browser)) as never)));
    expect(second.data.user).toBeNull();
  });
});
