/**
 * The plain GOV.UK email style: one column, the service name, short paragraphs, a link
 * written out in full (some clients strip buttons), and the same words in plain text.
 */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export type Block =
  | { kind: "p"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "inset"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "heading"; text: string }
  /** Check-your-answers: each question on its own line, its answer below it. */
  | { kind: "answers"; rows: { question: string; answer: string }[] };

export function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

const font = "font-family: Helvetica, Arial, sans-serif; font-size: 19px; line-height: 1.315789474; color: #0b0c0c;";

/** What the service adds to a template's own words when it renders a message for someone. */
export interface RenderOptions {
  /** For non-essential messages: where the recipient turns them off or into a daily digest. */
  unsubscribeLink?: string;
}

export const UNSUBSCRIBE_TEXT = "To get these emails once a day, or to stop them, go to";

export function layout(subject: string, heading: string, blocks: Block[], footer?: string, options: RenderOptions = {}): EmailContent {
  const textParts = [heading, "", ...blocks.flatMap((b) => [blockText(b), ""])];
  if (footer || options.unsubscribeLink) textParts.push("---");
  if (footer) textParts.push(footer);
  if (options.unsubscribeLink) textParts.push(`${UNSUBSCRIBE_TEXT}:\n${options.unsubscribeLink}`);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
<main>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">
<tr><td style="background:#1d70b8;padding:12px 20px;${font}color:#ffffff;font-weight:700">Springboard</td></tr>
<tr><td style="padding:20px;max-width:580px">
<h1 style="${font}font-size:27px;font-weight:700;margin:0 0 20px">${escapeHtml(heading)}</h1>
${blocks.map(blockHtml).join("\n")}
${footer || options.unsubscribeLink ? `<hr style="border:0;border-top:1px solid #b1b4b6;margin:30px 0 15px">` : ""}
${footer ? `<p style="${font}font-size:16px;color:#505a5f">${escapeHtml(footer)}</p>` : ""}
${options.unsubscribeLink ? `<p style="${font}font-size:16px;color:#505a5f">${UNSUBSCRIBE_TEXT}:<br><a href="${escapeHtml(options.unsubscribeLink)}" style="color:#1d70b8">${escapeHtml(options.unsubscribeLink)}</a></p>` : ""}
</td></tr></table>
</main></body></html>`;
  return { subject, text: textParts.join("\n").trim() + "\n", html };
}

function blockText(block: Block): string {
  switch (block.kind) {
    case "p":
      return block.text;
    case "link":
      return `${block.text}:\n${block.href}`;
    case "inset":
      return block.text
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n");
    case "list":
      return block.items.map((item) => `* ${item}`).join("\n");
    case "heading":
      return `${block.text}\n${"-".repeat(Math.min(block.text.length, 60))}`;
    case "answers":
      return block.rows.map((r) => `${r.question}\n${r.answer}`).join("\n\n");
  }
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "p":
      return `<p style="${font}margin:0 0 20px">${escapeHtml(block.text)}</p>`;
    case "link":
      return `<p style="${font}margin:0 0 20px">${escapeHtml(block.text)}:<br><a href="${escapeHtml(block.href)}" style="color:#1d70b8">${escapeHtml(block.href)}</a></p>`;
    case "inset":
      return `<p style="${font}margin:0 0 20px;padding:0 0 0 15px;border-left:10px solid #b1b4b6">${escapeHtml(block.text).replaceAll("\n", "<br>")}</p>`;
    case "list":
      return `<ul style="${font}margin:0 0 20px">${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "heading":
      return `<h2 style="${font}font-size:24px;font-weight:700;margin:30px 0 15px">${escapeHtml(block.text)}</h2>`;
    case "answers":
      return block.rows
        .map(
          (r) =>
            `<h3 style="${font}font-weight:700;margin:0 0 5px">${escapeHtml(r.question)}</h3>\n<p style="${font}margin:0 0 20px">${escapeHtml(r.answer).replaceAll("\n", "<br>")}</p>`,
        )
        .join("\n");
  }
}
