import { z } from "zod";
import { email, optionalText, requiredText } from "~/forms/fields.ts";

/**
 * The feedback form (the link in the beta banner): its limits, quoted by the page and by
 * the refusals, and its schema. Pure, so the page can quote the figures.
 */
export const DOING_MAX = 1000;
export const DETAILS_MAX = 5000;
/** Feedback one client (IP address) may send in an hour, counted only when it is accepted. */
export const FEEDBACK_PER_CLIENT_PER_HOUR = 20;
/** Longest page path kept with feedback; a longer one is not a page of this service. */
export const FROM_PATH_MAX = 300;
export const FEEDBACK_PAGE_SIZE = 20;

export const feedbackForm = z.object({
  doing: optionalText({ max: DOING_MAX, label: "what you were doing" }),
  details: requiredText({
    missing: "Enter what went wrong or what could be better",
    max: DETAILS_MAX,
    label: "what went wrong or what could be better",
  }),
  // Blank means no reply is wanted; Conform turns a blank box into undefined.
  email: email().optional(),
  // The page the person came from; whatever was sent, only a path on this service is kept.
  from: z.string().optional().catch(undefined),
});

export type FeedbackInput = z.output<typeof feedbackForm>;
