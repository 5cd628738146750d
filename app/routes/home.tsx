import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { assignmentsFor } from "~/assessment/assessments.server.ts";
import { AssignmentTable } from "~/assessment/assignment-table.tsx";
import { authoriseUser } from "~/auth/access.server.ts";
import { roleLabels } from "~/auth/roles.ts";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { formatDateTime, formatMoney } from "~/utils/format.ts";
import { stateLabel, stateTagColour } from "../../workflows/index.ts";
import { noticeFrom } from "~/utils/notices.ts";
import { SuccessNotice } from "~/components/notification-banner.tsx";
import { SummaryList } from "~/components/summary-list.tsx";
import { Table } from "~/components/table.tsx";
import { titled } from "~/utils/title.ts";
import { waitingFor } from "~/home/waiting.server.ts";
import { WaitingList } from "~/home/waiting-list.tsx";

export const meta = titled(() => ["Home"]);

async function openRounds() {
  const now = new Date();
  return db().round.findMany({
    where: { opensAt: { lte: now }, closesAt: { gt: now } },
    select: { slug: true, name: true, closesAt: true, capPence: true, stage: true },
    orderBy: { closesAt: "asc" },
  });
}

/**
 * The council's bids as its people may see them: a row per bid with the status label for
 * bidders (a held decision reads "Decision pending"), never the workflow's state. A council
 * that declined an invitation is not part of the bid, so it is not listed.
 */
async function councilBids(user: SignedInUser, states?: string[]) {
  const rows = await db().bid.findMany({
    where: {
      ...(states ? { state: { in: states } } : {}),
      OR: [
        { leadOrganisationId: user.organisation.id },
        { partners: { some: { organisationId: user.organisation.id, status: "accepted" } } },
        // An invitation nobody answered lapses when the bid is sent (app/bids/bids.server.ts relationTo).
        { state: { in: ["draft", "awaitingCertification"] }, partners: { some: { organisationId: user.organisation.id, status: "invited" } } },
      ],
    },
    select: {
      id: true,
      reference: true,
      title: true,
      state: true,
      round: { select: { name: true } },
      partners: { where: { organisationId: user.organisation.id }, select: { status: true } },
    },
    orderBy: { updatedAt: "desc" },
    take: 50,
  });
  return rows.map((bid) => ({
    id: bid.id,
    reference: bid.reference,
    title: bid.title,
    round: bid.round.name,
    // A council that has not answered its invitation is not a partner yet: its row says what waits for it.
    ...(bid.partners[0]?.status === "invited"
      ? { stateLabel: "Invitation waiting for your answer", tag: "yellow" }
      : { stateLabel: stateLabel("bid", bid.state, { audience: "applicant" }), tag: stateTagColour("bid", bid.state, { audience: "applicant" }) }),
  }));
}

/** Each role's home page answers "what do I need to do next?" for that role. */
async function homeFor(user: SignedInUser) {
  switch (user.role) {
    case "councilOfficer":
      return { kind: "councilOfficer" as const, rounds: await openRounds(), bids: await councilBids(user) };
    case "certifier":
      return { kind: "certifier" as const, bids: await councilBids(user) };
    case "assessor":
      return { kind: "assessor" as const, assignments: await assignmentsFor(user) };
    case "gateApprover":
      return { kind: "gateApprover" as const };
    case "fundTeam": {
      const [rounds, outbox, refusedUploads] = await Promise.all([
        db().round.findMany({
          select: { slug: true, name: true, stage: true, closesAt: true, budgetPence: true, _count: { select: { bids: true } } },
          orderBy: { closesAt: "desc" },
        }),
        db().notification.groupBy({ by: ["status"], _count: { _all: true } }),
        db().refusedUpload.count(),
      ]);
      return {
        kind: "fundTeam" as const,
        rounds,
        outbox: Object.fromEntries(outbox.map((row) => [row.status, row._count._all])) as Record<string, number>,
        refusedUploads,
      };
    }
    case "admin": {
      const [users, councils, signatories] = await Promise.all([
        db().user.count(),
        db().organisation.count({ where: { councilTypeCode: { not: null }, endDate: null } }),
        db().organisation.count({ where: { declarationSignedAt: { not: null } } }),
      ]);
      return { kind: "admin" as const, users, councils, signatories };
    }
  }
}

const emptyWaiting = {
  councilOfficer: "Nothing is waiting for you. We will email you when a partner invites your council or the fund team needs something.",
  certifier: "Nothing is waiting for you. We will email you when an officer asks you to sign off a bid.",
  assessor: "Nothing is waiting for you. The fund team will email you an invitation when a bid is ready for you to score.",
  gateApprover: "Nothing is waiting for you. We will email you when the fund team opens a gate review.",
  fundTeam: "Nothing is waiting for you: no bids to check, gate reviews to open, case studies to review or emails that failed.",
};

// A council that declines an invitation can no longer open the bid, so it is told here.
const notices: Record<string, string> = {
  declined: "You declined the invitation. Your council is not part of this bid.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await authoriseUser(request, "routes/home");
  return {
    user: { name: user.name, role: user.role, organisation: user.organisation.name },
    home: await homeFor(user),
    waiting: await waitingFor(user),
    notice: noticeFrom(request, notices),
  };
}

export default function Home() {
  const { user, home, notice, waiting } = useLoaderData<typeof loader>();
  return (
    <>
      <SuccessNotice text={notice} />
      <span className="govuk-caption-l">
        {roleLabels[user.role]}, {user.organisation}
      </span>
      <h1 className="govuk-heading-l">Welcome, {user.name}</h1>
      {home.kind !== "admin" ? <WaitingList items={waiting} empty={emptyWaiting[home.kind]} /> : null}
      {home.kind === "councilOfficer" ? (
        <>
          <h2 className="govuk-heading-m">Your council's bids</h2>
          {home.bids.length ? <BidTable bids={home.bids} /> : <p className="govuk-body">Your council has no bids yet.</p>}
          <h2 className="govuk-heading-m">Open funding rounds</h2>
          {home.rounds.length ? (
            <ul className="govuk-list">
              {home.rounds.map((round) => (
                <li key={round.slug}>
                  <a className="govuk-link" href={`/rounds/${round.slug}`}>
                    {round.name}
                  </a>
                  : bids up to {formatMoney(round.capPence)}, closes at {formatDateTime(round.closesAt)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="govuk-body">No rounds are open at the moment.</p>
          )}
        </>
      ) : null}
      {home.kind === "certifier" ? (
        <>
          <h2 className="govuk-heading-m">Your council's bids</h2>
          {home.bids.length ? <BidTable bids={home.bids} /> : <p className="govuk-body">Your council has no bids yet.</p>}
        </>
      ) : null}
      {home.kind === "assessor" ? (
        <>
          <h2 className="govuk-heading-m">Your assessments</h2>
          {home.assignments.length ? (
            <AssignmentTable assignments={home.assignments} />
          ) : (
            <p className="govuk-body">You have no assessments assigned. The fund team will email you an invitation when a bid is ready for you to score.</p>
          )}
        </>
      ) : null}
      {home.kind === "fundTeam" ? (
        <>
          <h2 className="govuk-heading-m">Rounds</h2>
          <p className="govuk-body">
            <a className="govuk-link" href="/rounds/new">
              Set up a round
            </a>
          </p>
          <Table
            head={["Round", "Stage", "Closes", "Budget", "Bids"]}
            numeric={[3, 4]}
            rows={home.rounds.map((round) => ({
              key: round.slug,
              cells: [
                <>
                  <a className="govuk-link" href={`/rounds/${round.slug}`}>
                    {round.name}
                  </a>
                  <br />
                  <a className="govuk-link govuk-body-s" href={`/rounds/${round.slug}/eligibility`}>
                    Eligibility check<span className="govuk-visually-hidden"> for {round.name}</span>
                  </a>
                </>,
                round.stage[0]!.toUpperCase() + round.stage.slice(1),
                formatDateTime(round.closesAt),
                formatMoney(round.budgetPence),
                round._count.bids,
              ],
            }))}
          />
          <h2 className="govuk-heading-m">Email delivery</h2>
          <SummaryList
            rows={(["pending", "sending", "sent", "failed"] as const).map((status) => ({
              key: status[0]!.toUpperCase() + status.slice(1),
              value: home.outbox[status] ?? 0,
              action: { href: `/notifications?status=${status}`, text: "View", visuallyHidden: `${status} emails` },
            }))}
          />
          <h2 className="govuk-heading-m">Uploads</h2>
          <SummaryList
            rows={[
              {
                key: "Files refused because of a virus",
                value: home.refusedUploads,
                action: { href: "/uploads/refused", text: "View", visuallyHidden: "files refused because of a virus" },
              },
            ]}
          />
          <FeedbackLink />
        </>
      ) : null}
      {home.kind === "admin" ? (
        <>
          <SummaryList
            rows={[
              { key: "Users", value: home.users, action: { href: "/admin/users", text: "Manage users" } },
              { key: "Councils in the register", value: home.councils, action: { href: "/admin/register", text: "Import a newer register" } },
              {
                key: "Signatories of the Local Digital Declaration",
                value: home.signatories,
                action: { href: "/organisations?declaration=signed", text: "View" },
              },
            ]}
          />
          <FeedbackLink />
        </>
      ) : null}
    </>
  );
}

/** What people have said through the feedback link, for the fund team and administrators. */
function FeedbackLink() {
  return (
    <>
      <h2 className="govuk-heading-m">Feedback</h2>
      <p className="govuk-body">
        <a className="govuk-link" href="/feedback/received">
          Read the feedback people have given about Springboard
        </a>
      </p>
    </>
  );
}

function BidTable({ bids }: { bids: { id: string; reference: string; title: string; round: string; stateLabel: string; tag: string }[] }) {
  return (
    <Table
      head={["Reference", "Bid", "Round", "Status"]}
      rows={bids.map((bid) => ({
        key: bid.id,
        cells: [
          bid.reference,
          <a className="govuk-link" href={`/bids/${bid.id}`}>
            {bid.title}
          </a>,
          bid.round,
          <strong className={`govuk-tag govuk-tag--${bid.tag}`}>{bid.stateLabel}</strong>,
        ],
      }))}
    />
  );
}
