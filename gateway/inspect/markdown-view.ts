// Markdown as it renders (red team 1 Dec b, N13): `[机](a)[密](b)★10年` shows
// 机密★10年, but its link targets put letters and brackets between the
// characters. Link and image texts are kept, their targets dropped:
// inline `[text](target)`, `![alt](src)`, reference `[text][ref]` and
// `[text][]`. Links do not cross a line, so a chunk is read to its last line
// break and the rest waits for the next. Until a text holds `](` or `][`
// this costs two native searches a chunk.

const LINK = /!?\[([^\]\n]{0,256})\](?:\([^)\n]{0,2048}\)|\[[^\]\n]{0,256}\])/g;
/** A last line longer than this is read as it stands (a link longer than a line of this is no link above). */
const MAX_CARRY = 4096;

export class MarkdownView {
  #carry = '';
  #seen = false;

  /** The rendered text of what is complete of carry + s, or '' when it holds no link. */
  push(s: string, final: boolean): string {
    if (!this.#seen && !this.#carry && s.indexOf('](') < 0 && s.indexOf('][') < 0) {
      // A link cut between `]` and `(` or `[` by the chunk's end: its start is read with the next chunk.
      if (s.charCodeAt(s.length - 1) === 0x5d) this.#carry = s.slice(Math.max(0, s.lastIndexOf('\n') + 1));
      return '';
    }
    const all = this.#carry + s;
    let end = final ? all.length : all.lastIndexOf('\n') + 1;
    if (!final && all.length - end > MAX_CARRY) end = all.length;
    this.#carry = all.slice(end);
    const done = all.slice(0, end);
    LINK.lastIndex = 0;
    if (!LINK.test(done)) return '';
    this.#seen = true;
    LINK.lastIndex = 0;
    return done.replace(LINK, '$1');
  }
}
