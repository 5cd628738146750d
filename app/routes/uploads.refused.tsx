import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { authoriseUser } from "~/auth/access.server.ts";
import { SimplePagination } from "~/components/simple-pagination.tsx";
import { Table } from "~/components/table.tsx";
import { db } from "~/db/database.server.ts";
import { formatDateTime, formatSize, plural } from "~/utils/format.ts";
import { titled } from "~/utils/title.ts";

export const meta = titled(() => ["Files refused because of a virus"]);

const ROUTE = "routes/uploads.refused" as const;
const PAGE_SIZE = 50;

const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

/** The bid's or project's evidence page a file was sent to, as a link, or plain words once the record is gone. */
async function placesOf(rows: { recordKind: string; recordId: string }[]) {
  const ids = (kind: string) => [...new Set(rows.filter((r) => r.recordKind === kind).map((r) => r.recordId))];
  const [bids, projects] = await Promise.all([
    db().bid.findMany({ where: { id: { in: ids("bid") } }, select: { id: true, title: true, reference: true } }),
    db().project.findMany({ where: { id: { in: ids("project") } }, select: { id: true, title: true } }),
  ]);
  const places = new Map<string, { text: string; href: string }>();
  for (const bid of bids) places.set(`bid:${bid.id}`, { text: `Bid ${bid.reference}: ${bid.title}`, href: `/bids/${bid.id}` });
  for (const project of projects) places.set(`project:${project.id}`, { text: `Project: ${project.title}`, href: `/projects/${project.id}` });
  return places;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await authoriseUser(request, ROUTE);
  const page = pageSchema.parse(new URL(request.url).searchParams.get("page") ?? 1);
  const [total, rows] = await Promise.all([
    db().refusedUpload.count(),
    db().refusedUpload.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
  ]);
  const [users, organisations, places] = await Promise.all([
    db().user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.userId))] } }, select: { id: true, name: true } }),
    db().organisation.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.organisationId))] } }, select: { id: true, name: true } }),
    placesOf(rows),
  ]);
  const nameOf = new Map(users.map((u) => [u.id, u.name]));
  const organisationOf = new Map(organisations.map((o) => [o.id, o.name]));
  return {
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    refusals: rows.map((r) => ({
      id: r.id,
      at: formatDateTime(r.createdAt),
      person: nameOf.get(r.userId) ?? "A person no longer registered",
      organisation: organisationOf.get(r.organisationId) ?? "",
      place: places.get(`${r.recordKind}:${r.recordId}`) ?? { text: r.recordKind === "bid" ? "A bid since deleted" : "A project since deleted", href: null },
      fileName: r.fileName,
      size: formatSize(r.size),
      signature: r.signature,
      sha256: r.sha256,
    })),
  };
}

export default function RefusedUploads() {
  const { page, pages, total, refusals } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Files refused because of a virus</h1>
      <p className="govuk-body">
        Every uploaded file the virus scanner found a virus in, newest first. The files were not kept; the person who sent one was told why it was refused. The
        SHA-256 identifies the file if the council's IT team asks which one it was.
      </p>
      {total === 0 ? (
        <p className="govuk-body">No file has been refused because of a virus.</p>
      ) : (
        <>
          <Table
            caption={`${plural(total, "file")} refused`}
            captionClass="govuk-table__caption--m"
            head={["When", "Sent by", "To", "File", "What was found"]}
            rows={refusals.map((r) => ({
              key: r.id,
              cells: [
                r.at,
                <>
                  {r.person}
                  {r.organisation ? (
                    <>
                      <br />
                      <span className="govuk-body-s">{r.organisation}</span>
                    </>
                  ) : null}
                </>,
                r.place.href ? (
                  <a className="govuk-link" href={r.place.href}>
                    {r.place.text}
                  </a>
                ) : (
                  r.place.text
                ),
                <>
                  {r.fileName} ({r.size})
                  <br />
                  <span className="govuk-body-s">
                    SHA-256: <code className="app-break-all">{r.sha256}</code>
                  </span>
                </>,
                r.signature,
              ],
            }))}
          />
          <SimplePagination page={page} pages={pages} href={(p) => `/uploads/refused?page=${p}`} />
        </>
      )}
    </>
  );
}
