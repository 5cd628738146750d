import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorise } from "~/auth/access.server.ts";
import { notFound } from "~/http/errors.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await authorise(request, "routes/$");
  throw notFound();
}

export default function NotFound() {
  return null;
}
