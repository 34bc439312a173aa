import type { InspectContext } from './inspect-context.js';
import type { Member } from './member.js';

// The bytes of a random-access format (PDF, OLE2), held as they stream by so
// that a parser can read them at the end, up to a bound: past it the bytes
// are dropped and `over` says so (the caller reports what it could not read).
export class HeldBytes {
  readonly max: number;
  #parts: Buffer[] = [];
  #size = 0;
  #over = false;

  constructor(max: number) {
    this.max = max;
  }

  get over(): boolean {
    return this.#over;
  }

  update(chunk: Buffer): void {
    if (this.#over) return;
    this.#size += chunk.length;
    if (this.#size > this.max) {
      this.#over = true;
      this.#parts = [];
      return;
    }
    this.#parts.push(Buffer.from(chunk));
  }

  /** All the bytes held, once; the holder is empty afterwards. */
  take(): Buffer {
    const all = Buffer.concat(this.#parts);
    this.#parts = [];
    return all;
  }
}

/** A reader of one random-access document: its bytes held as they stream by, parsed at finish(). */
export abstract class HeldDocument {
  protected readonly ctx: InspectContext;
  protected readonly path: string | undefined;
  /** A child inspector: a view of the document's text, or content found in it. */
  protected readonly open: (name: string, kind: 'view' | 'content') => Member;
  protected readonly held: HeldBytes;
  /** The document's type, named in its `uninspectable` findings. */
  protected readonly mime: string;
  /** What it is, in a sentence's words ("a PDF", "a compound file"). */
  readonly #what: string;
  readonly #max: number;

  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member, max: number, mime: string, what: string) {
    this.ctx = ctx;
    this.path = path;
    this.open = open;
    this.held = new HeldBytes(max);
    this.mime = mime;
    this.#what = what;
    this.#max = max;
  }

  update(chunk: Buffer): void {
    this.held.update(chunk);
  }

  /** The document's bytes, or null (and the finding) when it was over its bound: only its raw bytes were read then. */
  protected takeHeld(): Buffer | null {
    if (!this.held.over) return this.held.take();
    this.uninspectable(`${this.#what} over ${this.#max} bytes is not parsed; only its raw bytes were read`);
    return null;
  }

  protected uninspectable(detail: string, subkind = this.mime): void {
    this.ctx.tally.add({ kind: 'uninspectable', subkind, path: this.path, detail });
  }

  abstract finish(): Promise<void>;
}
