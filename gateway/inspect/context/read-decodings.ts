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
// Kept by line (the token reader writes one decoding a line), bounded: a line
// too long to keep, or one past the bound, counts as never read (fail closed).
// Not seen by this: an escape or a marking that spans two decodings read apart
// and that only the deeper view puts side by side (a token between them that
// vanished when the escapes were resolved).

const MAX_LINES = 16_384;
const MAX_LINE = 256;

export class ReadDecodings {
  #lines = new Set<string>();

  /** The decodings in `text` (one a line) were read with every view below them. */
  add(text: string): void {
    for (const line of text.split('\n')) {
      if (!line || line.length > MAX_LINE || this.#lines.size >= MAX_LINES) continue;
      this.#lines.add(line);
    }
  }

  /** Is every line of `text` a decoding read before? (an empty text is no repeat) */
  allRead(text: string): boolean {
    let any = false;
    for (const line of text.split('\n')) {
      if (!line) continue;
      if (!this.#lines.has(line)) return false;
      any = true;
    }
    return any;
  }
}
