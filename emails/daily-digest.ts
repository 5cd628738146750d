import { formatDateTime } from "../workflows/dates.ts";
import { plural } from "../workflows/format.ts";
import { layout, type Block } from "./layout.ts";
import { defineTemplate } from "./template.ts";

export interface DigestItem {
  subject: string;
  /** When the message was written (ISO), shown as "9:30am on 1 May 2026". */
  at: string;
  link?: string | null;
}

export interface DailyDigestData {
  name: string;
  /** The day the digest covers, already formatted, e.g. "23 November 2026". */
  date: string;
  items: DigestItem[];
  /** Where the recipient changes how they get emails. */
  preferencesLink: string;
}

/**
 * One email a day with every non-essential message held for a person who chose the daily
 * digest (app/jobs/digest.server.ts). Not essential itself, so it carries the unsubscribe link.
 */
export const dailyDigest = defineTemplate<DailyDigestData>({
  name: "daily-digest",
  description: "Once a day, everything that was not essential for a person who chose a daily digest.",
  essential: false,
  sample: {
    name: "Priya Shah",
    date: "23 November 2026",
    items: [
      { subject: "Bid eligible: Shared digital front door (LDF-2026-0042)", at: "2026-11-22T10:15:00Z", link: "http://localhost:3000/bids/sample" },
      { subject: "Assessment accepted: Shared digital front door (LDF-2026-0042)", at: "2026-11-22T15:40:00Z", link: "http://localhost:3000/bids/sample" },
    ],
    preferencesLink: "http://localhost:3000/account/notifications",
  },
  render(data, options) {
    const count = data.items.length;
    const blocks: Block[] = [
      { kind: "p", text: `Dear ${data.name},` },
      { kind: "p", text: `Here ${count === 1 ? "is the 1 update" : `are the ${count} updates`} from Springboard since your last summary.` },
    ];
    data.items.forEach((item, i) => {
      const when = formatDateTime(item.at);
      if (item.link) blocks.push({ kind: "link", text: `${i + 1}. ${item.subject} (${when})`, href: item.link });
      else blocks.push({ kind: "p", text: `${i + 1}. ${item.subject} (${when})` });
    });
    blocks.push({ kind: "link", text: "Change how often we email you", href: data.preferencesLink });
    return layout(
      `Your Springboard summary for ${data.date}: ${plural(count, "update")}`,
      "Your daily summary",
      blocks,
      "You are getting this summary because you chose a daily digest of emails that are not urgent. Anything that needs your action is still emailed at once.",
      options,
    );
  },
});
