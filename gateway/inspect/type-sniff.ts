import { Worker, isMainThread } from 'node:worker_threads';
import { fileTypeFromBuffer } from 'file-type';
import iconv from 'iconv-lite';
import { guessText, type TextGuess } from './text/text-encoding.js';
import { EbcdicDecoder } from './text/ebcdic.js';
import { MediaShape, shapeOf } from './media/media-shape.js';
import { isWarc } from './signatures/warc-signature.js';

// The real type of content, from its first bytes: file-type (21 line: Node
// 20, fixed zip probing) for binary formats, our own tests for text.

/** file-type looks at this many bytes at most. */
export const SNIFF_BYTES = 4100;
/** The budget of one file-type call; past it the worker is replaced and the type is unknown. */
export const SNIFF_TIMEOUT_MS = 2000;

export type Answer = { mime?: string; ext?: string } | 'timeout';

/**
 * One long-lived worker runs file-type (sniff-worker.ts); calls are queued
 * by id. It is ref()'d only while a call is pending, so an idle worker never
 * keeps a process alive and a pending call is never abandoned by an exiting
 * one. A call that overruns its budget terminates the worker (the next call
 * starts a new one).
 */
export class SniffWorker {
  #current: Running | null = null;
  #next = 0;
  #script: URL;
  #timeoutMs: number;

  constructor(script = new URL('./sniff-worker.js', import.meta.url), timeoutMs = SNIFF_TIMEOUT_MS) {
    this.#script = script;
    this.#timeoutMs = timeoutMs;
  }

  #start(): Running {
    const w = new Worker(this.#script);
    const calls = new Map<number, (a: Answer) => void>();
    // Start-up (a thread, file-type's modules) is not part of any call's budget.
    let ready!: () => void;
    const run: Running = { w, calls, ready: new Promise((r) => (ready = r)) };
    w.on('message', (m: { id: number; mime?: string; ext?: string; ready?: boolean }) => {
      if (m.ready) return ready();
      calls.get(m.id)?.({ mime: m.mime, ext: m.ext });
    });
    const fail = (): void => {
      ready();
      if (this.#current === run) this.#current = null;
      for (const settle of [...calls.values()]) settle('timeout');
    };
    w.on('error', fail);
    w.on('exit', fail);
    // After the listeners: adding a 'message' listener refs the worker again.
    w.unref();
    return run;
  }

  async ask(head: Uint8Array): Promise<Answer> {
    const run = (this.#current ??= this.#start());
    const id = this.#next++;
    let timer: NodeJS.Timeout | undefined;
    let resolve!: (a: Answer) => void;
    const answer = new Promise<Answer>((r) => (resolve = r));
    const settle = (a: Answer): void => {
      if (!run.calls.delete(id)) return;
      clearTimeout(timer);
      if (run.calls.size === 0) run.w.unref();
      resolve(a);
    };
    run.calls.set(id, settle);
    if (run.calls.size === 1) run.w.ref();
    await run.ready;
    if (!run.calls.has(id)) return answer; // the worker died while starting
    timer = setTimeout(() => {
      if (this.#current === run) this.#current = null;
      settle('timeout');
      void run.w.terminate();
    }, this.#timeoutMs);
    run.w.postMessage({ id, head: Uint8Array.from(head) });
    return answer;
  }
}

interface Running {
  w: Worker;
  calls: Map<number, (a: Answer) => void>;
  ready: Promise<void>;
}

const worker = new SniffWorker();

export interface Sniffed {
  mime: string;
  /** file-type's extension for binary formats; 'txt', 'xml', 'html' for text. */
  ext?: string;
  text?: TextGuess & { markup: boolean };
  /** file-type did not answer within its budget: the binary type is unknown. */
  sniffFailed?: boolean;
}

function textKind(head: Uint8Array, guess: TextGuess): { mime: string; ext: string; markup: boolean } {
  // Look at the start of the text only, decoded in its own encoding.
  const start = (guess.encoding === 'ebcdic' ? new EbcdicDecoder() : guess.encoding.startsWith('utf-32') ? { decode: (b: Uint8Array) => iconv.decode(Buffer.from(b), guess.encoding) } : new TextDecoder(guess.encoding)).decode(head.subarray(0, Math.min(head.length, 512))).replace(/^[\s\uFEFF]+/, '').slice(0, 64).toLowerCase();
  if (start.startsWith('<?xml')) return { mime: 'application/xml', ext: 'xml', markup: true };
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return { mime: 'text/html', ext: 'html', markup: true };
  // Plain text that happens to begin with '<' is read as text: markup mode there hid what followed.
  if (start.startsWith('<')) return { mime: 'text/plain', ext: 'txt', markup: false };
  return { mime: 'text/plain', ext: 'txt', markup: false };
}

async function sniffOnce(head: Uint8Array, complete: boolean): Promise<Sniffed> {
  // A web archive (ISO 28500) starts as text but is records of any bytes: walked as such (warc-walker.ts).
  if (isWarc(Buffer.from(head.buffer, head.byteOffset, head.length))) return { mime: 'application/warc', ext: 'warc' };
  const early = guessText(head, complete);
  if (early && early.bom > 0) {
    const k = textKind(head.subarray(early.bom), early);
    return { mime: k.mime, ext: k.ext, text: { ...early, markup: k.markup } };
  }
  // A parser choking on, or looping over, hostile bytes is not a verdict: the type is then unknown
  // (and unknown binary never matches a declared document type).
  // Inside an inspection worker file-type runs in place: that worker is itself fenced by its budget.
  const a: Answer = isMainThread ? await worker.ask(head) : await fileTypeFromBuffer(head).then((ft): Answer => ({ mime: ft?.mime, ext: ft?.ext }), (): Answer => ({}));
  let ft = a !== 'timeout' && a.mime && a.ext ? { mime: a.mime, ext: a.ext } : undefined;
  // A type named by a signature of a few bytes whose structure the head already breaks is not that type (media-shape.ts).
  if (ft && !holdsShape(ft.mime, head, complete)) ft = undefined;
  // An ID3v2 tag file-type does not see past (a v2.4 footer, zero bytes of padding after it) before MPEG frames.
  if (!ft && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33 && holdsShape('audio/mpeg', head, complete)) ft = { mime: 'audio/mpeg', ext: 'mp3' };
  // A TIFF whose first IFD lies past the head (ffmpeg and libtiff write it after the strips): file-type cannot read it and names nothing.
  if (!ft && isTiffHeader(head) && holdsShape('image/tiff', head, complete)) ft = { mime: 'image/tiff', ext: 'tif' };
  if (a === 'timeout') failed.add(head);
  if (ft && !/xml|svg|html/.test(ft.mime)) return { mime: ft.mime, ext: ft.ext };
  const guess = early;
  if (guess) {
    const k = textKind(head.subarray(guess.bom), guess);
    return { mime: ft?.mime ?? k.mime, ext: ft?.ext ?? k.ext, text: { ...guess, markup: k.markup } };
  }
  if (ft) return { mime: ft.mime, ext: ft.ext };
  return structuredBinary(head) ?? { mime: 'application/octet-stream' };
}

/**
 * Binary formats with no magic number file-type knows whose bulk is packed
 * or lightly encrypted by design, so that their entropy does not tell them
 * from a cipher (red team, 30 Nov: refused `uninspectable`). Recognised by
 * their headers' structure, not one magic number:
 *   Type 1 font, PFB   0x80 0x01, a 32-bit segment length, then `%!PS-AdobeFont` or `%!FontType1` (Adobe TN 5040 §2)
 *   bare CFF           major 1, minor 0, header size 4, offset size 1–4, a Name INDEX of 1 to 64 printable names (line breaks and tabs count as printable)
 *                      (Adobe TN 5176 §6, §5; pdf.js's standard_fonts/*.pfb are such)
 *   pdf.js CMap        a header byte of 0–3, a comment (0xE0) of 8 printable bytes or more (pdf.js BinaryCMapReader)
 */
function structuredBinary(h: Uint8Array): Sniffed | undefined {
  const printable = (a: number, b: number): boolean => {
    if (b > h.length) return false;
    for (let i = a; i < b; i++) if ((h[i]! < 0x20 && h[i] !== 0x0a && h[i] !== 0x0d && h[i] !== 0x09) || h[i]! > 0x7e) return false;
    return true;
  };
  const ascii = (a: number, t: string): boolean => Buffer.from(h.buffer, h.byteOffset, h.length).toString('latin1', a, a + t.length) === t;
  if (h[0] === 0x80 && h[1] === 0x01 && (ascii(6, '%!PS-AdobeFont') || ascii(6, '%!FontType1'))) return { mime: 'font/type1', ext: 'pfb' };
  if (h[0] === 1 && h[1] === 0 && h[2] === 4 && h[3]! >= 1 && h[3]! <= 4 && h.length > 16) {
    // Name INDEX: count (2 bytes), offSize, count + 1 offsets from 1, then the names.
    const count = (h[4]! << 8) | h[5]!;
    const off = h[6]!;
    if (count >= 1 && count <= 64 && off >= 1 && off <= 4) {
      const at = (k: number): number => {
        let v = 0;
        for (let i = 0; i < off; i++) v = (v << 8) | h[7 + k * off + i]!;
        return v;
      };
      const data = 7 + (count + 1) * off - 1;
      if (at(0) === 1 && at(count) > 1 && at(count) < 512 && printable(data + 1, data + at(count))) return { mime: 'font/x-cff', ext: 'cff' };
    }
  }
  if (h[0]! <= 3 && h[1] === 0xe0 && h[2]! >= 8 && printable(3, 3 + h[2]!)) return { mime: 'application/x-pdfjs-bcmap', ext: 'bcmap' };
  return undefined;
}

/**
 * file-type's answers that rest on two bytes of signature, for formats no
 * inspector opens (content-inspector.ts OPAQUE): one random head in 65,536
 * has each, and 78 01 (a zlib header at level 1, which file-type calls an
 * Apple disk image) is four decimal digits read as hex. In content a reading
 * decoded from text (a hex sequence) they are evidence of nothing (third red
 * team, F4: a table of single digits refused as a disk image).
 */
const TWO_BYTE_SIGNATURES: Record<string, (h: Uint8Array) => boolean> = {
  'application/x-apple-diskimage': (h) => h[0] === 0x78 && h[1] === 0x01,
  'application/x-compress': (h) => h[0] === 0x1f && (h[1] === 0x9d || h[1] === 0xa0),
  'application/x-cpio': (h) => h[0] === 0xc7 && h[1] === 0x71,
  'application/x-arj': (h) => h[0] === 0x60 && h[1] === 0xea,
};

/** Does the sniffed type rest on two bytes of signature only? */
export function twoByteSignature(s: Sniffed, head: Uint8Array): boolean {
  return TWO_BYTE_SIGNATURES[s.mime]?.(head) === true;
}

/** Content file-type typed by a short signature (media-shape.ts): does the head hold its structure (and, when it is the whole content, the rest)? */
function holdsShape(mime: string, head: Uint8Array, complete: boolean): boolean {
  const kind = shapeOf(mime, head);
  if (!kind) return true;
  const shape = new MediaShape(kind);
  shape.write(head);
  return complete ? shape.valid() : !shape.broken();
}

/** `II*\0`, `MM\0*` (TIFF) or `II+\0`, `MM\0+` (BigTIFF). */
function isTiffHeader(h: Uint8Array): boolean {
  if (h.length < 8) return false;
  if (h[0] === 0x49 && h[1] === 0x49) return (h[2] === 0x2a || h[2] === 0x2b) && h[3] === 0;
  return h[0] === 0x4d && h[1] === 0x4d && h[2] === 0 && (h[3] === 0x2a || h[3] === 0x2b);
}

const failed = new WeakSet<Uint8Array>();

export async function sniff(head: Uint8Array, complete: boolean): Promise<Sniffed> {
  const s = await sniffOnce(head, complete);
  if (failed.has(head)) s.sniffFailed = true;
  return s;
}
