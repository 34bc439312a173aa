import { holdsMi } from '../marks/text-fold.js';

// Markdown link texts (red team, 1 Dec b, N13): `[机](a)[密](b)★10年` renders
// 机密★10年, but the link targets put letters and brackets between the
// characters. A view of all Markdown as rendered was withdrawn (minified
// JavaScript is full of `](`: it doubled the work on pdf.js's worker). This
// reading is narrower: only around a 密 (every level word holds one; 宻 and 宓
// fold to it), within REACH characters, and only where `](` is there too, the
// links are replaced by their texts and the window given, one view down.
// Text with no 密 costs three native searches a chunk.

/** Characters read before and after a 密: a marking with its links (64 characters of text, 512 of target each). */
const REACH = 1024;
/** An inline link or image: its text (group 1), then its target with one level of parentheses. */
const LINK = /!?\[([^\[\]\n]{0,64})\]\((?:[^()\n]|\([^()\n]{0,64}\)){0,512}\)/g;
const MI = /[密宻宓]/g;


export class MarkdownLinks {
  #carry = '';
  /** Characters at the start of the carry already given in a window. */
  #done = 0;

  push(s: string, final: boolean): string {
    if (!holdsMi(s) && !holdsMi(this.#carry)) {
      this.#carry = s.length >= REACH ? s.slice(-REACH) : (this.#carry + s).slice(-REACH);
      this.#done = 0;
      return '';
    }
    const all = this.#carry + s;
    const out: string[] = [];
    // Windows around each 密 whose reach after it is in this text (or all of them at the end), merged.
    const limit = final ? all.length : all.length - REACH;
    let a = -1;
    let b = -1;
    let next = this.#done;
    const give = (): void => {
      if (a < 0) return;
      const w = all.slice(a, b);
      if (w.indexOf('](') >= 0) {
        const r = w.replace(LINK, '$1');
        if (r !== w) out.push(`${r}\n`);
      }
      next = b;
    };
    MI.lastIndex = this.#done;
    for (let m = MI.exec(all); m && m.index < limit; m = MI.exec(all)) {
      const from = Math.max(next, m.index - REACH, 0);
      const to = Math.min(all.length, m.index + REACH);
      if (a >= 0 && from <= b) b = to;
      else {
        give();
        a = Math.max(next, m.index - REACH, 0);
        b = to;
      }
    }
    give();
    if (final) {
      this.#carry = '';
      this.#done = 0;
    } else {
      const keep = Math.max(0, Math.min(all.length - REACH, limit) - REACH);
      this.#carry = all.slice(keep);
      this.#done = Math.max(0, Math.max(next, limit) - keep);
    }
    return out.join('');
  }
}
