import { createServer, type AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A port nothing listens on (yet): for "the SMTP server is down". */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SmtpSink {
  port: number;
  url: string;
  /** Every message accepted, parsed, in arrival order. */
  messages: ParsedMail[];
  close(): Promise<void>;
}

/** A real SMTP server in this process (smtp-server), plain text, no auth required. */
export async function startSmtpSink(
  port = 0,
  options: {
    /** Refuse a recipient: `true` for 550, or the reply code to give (e.g. 450 for "try later"). */
    reject?: (address: string) => boolean | number;
    /** Runs before a message is accepted: a test holds a send open with it. */
    beforeAccept?: () => Promise<void>;
    /** How long close() lets open connections finish before cutting them (smtp-server's default: 30 s). */
    closeTimeoutMs?: number;
  } = {},
): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const pending: Promise<unknown>[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: options.closeTimeoutMs,
    onRcptTo(address, _session, callback) {
      const refusal = options.reject?.(address.address);
      if (refusal) {
        const code = refusal === true ? 550 : refusal;
        const error = new Error(code >= 500 ? "No such mailbox here" : "Mailbox busy, try again later") as Error & { responseCode: number };
        error.responseCode = code;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      const parsed = simpleParser(stream).then(async (mail) => {
        await options.beforeAccept?.();
        messages.push(mail);
        callback();
      }, callback);
      pending.push(parsed);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    messages,
    async close() {
      await Promise.all(pending);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
