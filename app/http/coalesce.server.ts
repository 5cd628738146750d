import { Transform, type TransformCallback } from "node:stream";

/**
 * Passes a page's bytes on in fewer, larger pieces. React writes a rendered page in pieces of
 * about 2 KB, and each piece costs the same on its way out whatever its size: a step through
 * the web stream Remix hands the response to, a call into zlib (the compression middleware)
 * and a write to the socket. An 85 KB page was some forty of each (docs/performance.md).
 *
 * Pieces written in the same turn of the event loop go on together, at the next turn or once
 * `limit` bytes are waiting, so nothing is held back: React writes everything it has ready
 * at once, and what it streams later (the loader data, after the shell) follows as before.
 */
export class CoalescingStream extends Transform {
  private waiting: Buffer[] = [];
  private size = 0;
  private scheduled = false;

  constructor(private readonly limit = 64 * 1024) {
    super();
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk;
    this.waiting.push(bytes);
    this.size += bytes.length;
    if (this.size >= this.limit) this.release();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.release();
      });
    }
    callback();
  }

  override _flush(callback: TransformCallback) {
    this.release();
    callback();
  }

  private release() {
    if (this.size === 0) return;
    const bytes = this.waiting.length === 1 ? this.waiting[0]! : Buffer.concat(this.waiting, this.size);
    this.waiting = [];
    this.size = 0;
    this.push(bytes);
  }
}
