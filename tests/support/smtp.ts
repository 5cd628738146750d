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
export async function startSmtpSink(port = 0, options: { reject?: (address: string) => boolean } = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const pending: Promise<unknown>[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.reject?.(address.address)) {
        const error = new Error("No such mailbox here") as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      const parsed = simpleParser(stream).then((mail) => {
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
