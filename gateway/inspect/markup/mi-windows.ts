import { holdsMi } from '../marks/text-fold.js';

// Readings that only matter to a marking, made of windows of the text around
// each 密 (every level word holds one; 宻 and 宓 fold to it): REACH characters
// on either side, windows that meet merged. Each reading is given the window
// and answers what a reader of it sees, or null when it reads the same; the
// answers go one view down. Text with no 密 costs three native searches a
// chunk. The readings: Markdown link texts (markdown-links.ts), LaTeX as
// typeset (latex-shown.ts).

/** Characters read before and after a 密: a marking with its links (64 characters of text, 512 of target each). */
const REACH = 1024;
const MI = /[密宻宓]/g;

export type WindowReading = (window: string) => string | null;

export class MiWindows {
  #readings: WindowReading[];
  #carry = '';
  /** Characters at the start of the carry already given in a window. */
  #done = 0;

  constructor(readings: WindowReading[]) {
    this.#readings = readings;
  }

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
      for (const read of this.#readings) {
        const r = read(w);
        if (r !== null && r !== w) out.push(`${r}\n`);
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
