import { describe, expect, it } from "vitest";
import { CoalescingStream } from "~/http/coalesce.server.ts";

/** What comes out of the stream, piece by piece, until it ends. */
function collect(stream: CoalescingStream): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  stream.on("data", (piece: Buffer) => pieces.push(piece));
  return new Promise((resolve, reject) => {
    stream.on("end", () => resolve(pieces));
    stream.on("error", reject);
  });
}

const piece = (i: number) => Buffer.from(`<p>piece ${i}</p>`.padEnd(2048, "."));

describe("a page's bytes on their way out", () => {
  it("go on together when written in one turn, in order and unchanged, at most `limit` bytes held", async () => {
    const stream = new CoalescingStream(16 * 1024);
    const out = collect(stream);
    const written = Array.from({ length: 20 }, (_, i) => piece(i));
    for (const p of written) stream.write(p);
    // Eight pieces reach the limit and go at once; the other twelve at the next turn.
    await new Promise((r) => setImmediate(r));
    stream.write("after a turn");
    stream.end();
    const pieces = await out;
    expect(pieces.map((p) => p.length)).toEqual([16 * 1024, 16 * 1024, 4 * 2048, "after a turn".length]);
    expect(Buffer.concat(pieces).toString()).toBe(Buffer.concat([...written, Buffer.from("after a turn")]).toString());
  });

  it("holds nothing back at the end", async () => {
    const stream = new CoalescingStream();
    const out = collect(stream);
    stream.write(piece(1));
    stream.end(piece(2));
    expect(Buffer.concat(await out).toString()).toBe(Buffer.concat([piece(1), piece(2)]).toString());
  });
});
