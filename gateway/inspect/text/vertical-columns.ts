import { holdsMi } from '../marks/text-fold.js';

// Text written vertically (red team, 1 Dec b, N16): one character a line,
// with columns of other text beside it, as 竖排 tables, couplets and slogans
// are laid out (`机一一\n密二二\n★三三\n十四四\n年五五`). A reader reads down
// the column (机密★十年); the scanner reads across (机一一 密二二 …) and a
// character of the next column falls between the marking's. This reading
// gives each column of a run of short lines read down, a column a line, for
// the scanner one view down. A column of one character a line alone
// (`机\n密\n★`) is read already: line breaks are separators.
//
// Only runs of MIN_LINES short lines or more, in a chunk that holds 密 (every
// level word does; 宻 and 宓 fold to it), are read: text without 密 costs
// three native searches a chunk. Columns are by character index in the line
// (a full-width layout: each character one cell).

/** Lines of at most this many characters (after trailing blanks) make a run. */
const MAX_WIDTH = 16;
const MIN_LINES = 3;
/** Lines of a run kept for the next chunk at most (a run cut by the chunk's end). */
const MAX_CARRY_LINES = 64;

export class VerticalColumns {
  #carry: string[] = [];

  push(s: string, final: boolean): string {
    if (!holdsMi(s) && !this.#carry.some(holdsMi)) {
      // Nothing to read here: only the run at the chunk's end is kept, from its last 2 KiB (no split of the rest).
      if (final) {
        this.#carry = [];
        return '';
      }
      s = (this.#carry.length === 1 && s.length <= TAIL ? this.#carry[0]! : '') + s.slice(-TAIL);
      const cut = s.length < TAIL ? -1 : s.indexOf('\n');
      const tail = s.slice(cut + 1).split('\n');
      const open = tail.pop()!;
      let k = tail.length;
      while (k > 0 && isShort(tail[k - 1]!)) k--;
      this.#carry = [...tail.slice(Math.max(k, tail.length - MAX_CARRY_LINES)).map(trimEnd), open];
      return '';
    }
    const lines = s.split('\n');
    // The last piece is a line under way: the next chunk ends it.
    const open = final ? null : lines.pop()!;
    if (this.#carry.length && lines.length) lines[0] = this.#carry.pop()! + lines[0];
    const all = [...this.#carry, ...lines];
    this.#carry = [];
    const out: string[] = [];
    let run: string[] = [];
    const end = (): void => {
      if (run.length >= MIN_LINES && run.some((l) => holdsMi(l))) out.push(columns(run));
      run = [];
    };
    for (const raw of all) {
      if (isShort(raw)) run.push(trimEnd(raw));
      else end();
    }
    if (final) end();
    else {
      // A run that reaches the chunk's end may go on: kept whole (bounded), with the line under way.
      this.#carry = run.length && run.length <= MAX_CARRY_LINES ? run : [];
      if (run.length > MAX_CARRY_LINES) end();
      this.#carry.push(open ?? '');
    }
    return out.join('');
  }
}

/** Characters of a chunk's end looked at for the run it ends with, when the chunk holds no 密. */
const TAIL = 2048;

function trimEnd(l: string): string {
  return l.replace(/[\s\u3000]+$/u, '');
}

/** (Code units: a character of plane 2 counts two, and shifts its line's columns by one; a gap, not a way.) */
function isShort(raw: string): boolean {
  const l = trimEnd(raw);
  return l.length > 0 && l.length <= MAX_WIDTH;
}


/** Lines read above and below a 密 in its column: a marking's form is shorter (`密级：绝密★30年`, separators between). */
const REACH = 12;
const MI = /[密宻宓]/g;

/**
 * The columns of the run that hold 密, each read down from REACH lines above it to REACH below, a column a
 * line: only where a marking can be, so that a run of short lines costs little more than its reading across.
 */
function columns(run: string[]): string {
  const out: string[] = [];
  run.forEach((l, i) => {
    MI.lastIndex = 0;
    for (let m = MI.exec(l); m; m = MI.exec(l)) {
      const k = m.index;
      const from = Math.max(0, i - REACH);
      let col = '';
      for (let j = from; j < Math.min(run.length, i + REACH + 1); j++) col += run[j]!.charAt(k) || ' ';
      out.push(col);
    }
  });
  return out.length ? `${out.join('\n')}\n\n` : '';
}
