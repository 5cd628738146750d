import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { grantPackageStream } from "~/opendata/awards.server.ts";

const ROUTE = "routes/open-data.360giving[.]json" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, ROUTE);
  return new Response(grantPackageStream(), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'inline; filename="springboard-360giving.json"',
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "public, max-age=300",
    },
  });
}
