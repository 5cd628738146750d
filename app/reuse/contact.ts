import { z } from "zod";
import { requiredText } from "~/forms/fields.ts";

/** The longest message to a lead council, quoted by the page and by the refusal. */
export const MESSAGE_MAX = 2000;
/** Messages one person may send to lead councils in an hour: it is person-to-person email. */
export const MESSAGES_PER_HOUR = 10;

/** The two things the similar-work panel lets a council do about one piece of funded work. */
export const similarWorkActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("adopt") }),
  z.object({
    intent: z.literal("contact"),
    message: requiredText({ missing: "Enter your message to the lead council", max: MESSAGE_MAX, label: "your message" }),
  }),
]);
