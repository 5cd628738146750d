import { db } from "~/db/database.server.ts";
import { questionsFor, type Question } from "~/bid-form/questions.ts";

/**
 * The questions of a bid's round, by the bid's id; the standard ones for an id that names
 * no bid. Only ever used to know a form's field names, so it tells nobody anything.
 */
export async function questionsForBid(bidId: string | undefined): Promise<Question[]> {
  const bid = bidId ? await db().bid.findUnique({ where: { id: bidId }, select: { round: { select: { questions: true } } } }) : null;
  return questionsFor(bid?.round);
}
