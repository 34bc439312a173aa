import { createHash } from 'node:crypto';

// Decodings of encoded tokens already read to the bottom, so that meeting one
// again at the depth limit is no reason to refuse.
//
// A view that resolves escapes is a copy of its text with the escapes
// replaced, so the tokens around them are found again one level down: minified
// JavaScript whose strings escape backslashes three deep (`\\\\u`) made four
// views in a row, and the tokens of the original source (base64-looking names,
// an alphabet string) were found a fifth time at the limit and the file refused
// `decode-depth` (pdf.js's sandbox and minified worker, node-forge). What a
// decoding holds was read when it was first found shallow enough for its own
// views to be read too; at the limit, only a decoding never read before is a
// reason to refuse.
//
// Hex sequences that are not text (inspected as content of their own) repeat
// the same way, and are kept by their digest: groff's PDF of 150 manual pages
// held, in its compressed streams read as bytes, two 64-byte hex runs that
// each escapes view found again, and at the fourth level the file was refused
// `decode-depth` (2 December).
//
// Kept by line (the token reader writes one decoding a line), bounded: a line
// too long to keep, or one past the bound, counts as never read (fail closed).
// Not seen by this: an escape or a marking that spans two decodings read apart
// and that only the deeper view puts side by side (a token between them that
// vanished when the escapes were resolved).

const MAX_LINES = 16_384;
const MAX_LINE = 256;
const MAX_BLOBS = 4_096;

export class ReadDecodings {
  #lines = new Set<string>();
  #blobs = new Set<string>();

  /** The decodings in `text` (one a line) and the hex contents `blobs` were read with every view below them. */
  add(text: string, blobs: readonly Uint8Array[] = []): void {
    for (const line of text.split('\n')) {
      if (!line || line.length > MAX_LINE || this.#lines.size >= MAX_LINES) continue;
      this.#lines.add(line);
    }
    for (const b of blobs) if (this.#blobs.size < MAX_BLOBS) this.#blobs.add(digest(b));
  }

  /** Is every line of `text` and every one of `blobs` a decoding read before? (nothing at all is no repeat) */
  allRead(text: string, blobs: readonly Uint8Array[] = []): boolean {
    let any = false;
    for (const line of text.split('\n')) {
      if (!line) continue;
      if (!this.#lines.has(line)) return false;
      any = true;
    }
    for (const b of blobs) {
      if (!this.#blobs.has(digest(b))) return false;
      any = true;
    }
    return any;
  }
}

function digest(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('base64');
}
