import type { FindingTally } from '../context/finding-tally.js';
import type { MobileWitness } from '../scan/text-scanner.js';

// An .xlsx number cell shown as money (the closing note of 2 Dec: F9's .ods currency cells were fixed, the .xlsx
// ones left). `<c r="B2" s="3"><v>13812345678</v></c>` holds the number bare; its style 3 is a cellXfs entry of
// xl/styles.xml whose number format (`"¥"#,##0.00`, `[$¥-804]#,##0.00`, built-in 5 to 8) shows it as
// ¥13,812,345,678.00, an amount, and the sheet was refused cn-mobile. Excel writes styles.xml after the sheets,
// and the zip is read once, front to back: so a sheet's mobiles are counted as found, as before, and each one that
// stood alone in a styled number cell is remembered with its style; when both the sheet and the styles have been
// read, those whose style shows money are taken back from the count (FindingTally.retract). Nothing is held back:
// a workbook with no styles, or one cut short, keeps every mobile found (a false refusal at worst, never a mobile
// let through). The decoded views of the sheet (tags removed, entities decoded…) read the same cells again: a view
// gives back a number only as often as currency cells hold it, so a mobile spelt in an inline string with an
// entity (`&#49;3812345678`) beside a currency cell of the same number still counts.
// Bounded: MAX_CELLS remembered (value, style) pairs a sheet; past it, cells are not remembered (their mobiles stay).

const MAX_CELLS = 64 * 1024;

/** A worksheet part of an .xlsx (the zip's own path inside, after any archives holding it). */
export const SHEET_PART = /(?:^|!\/)xl\/worksheets\/[^/!]+\.xml$/;

/** The text before a number that starts a styled number cell's value: `<c r="B2" s="3"><v>` (no t=, or t="n"). */
const CELL_BEFORE = /<c\b((?:[^<>"]|"[^"]*")*)><v>$/;
const STYLE = /\ss="(\d{1,7})"/;
const TYPE = /\st="([^"]*)"/;

/** Built-in number formats that show money (ECMA-376 Part 1, 18.8.30: 5–8 currency, 42 and 44 accounting with a symbol). */
const BUILTIN_CURRENCY = new Set([5, 6, 7, 8, 42, 44]);

/**
 * Does a number format's first section (what a positive number shows) show it as money: a currency sign, quoted or
 * bare, or `[$¥-804]`, `[$USD]` (a symbol or code before the locale), or 元 after it; with a digit placeholder and
 * no condition (`[>13000000000]` sends the number to another section, which may show its bare digits).
 */
export function showsMoney(code: string): boolean {
  if (/\[[<>=]/.test(code)) return false;
  const first = firstSection(code);
  const bare = first.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, ' ');
  if (/@/.test(bare) || !/[0#?]/.test(bare)) return false;
  return /\[\$[^\]\-]+(?:-[0-9A-Fa-f]+)?\]|"[^"]*[¥￥$€£元][^"]*"|\\[¥￥$€£元]/.test(first) || /[¥￥$€£]/.test(bare);
}

function firstSection(code: string): string {
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') i = code.indexOf('"', i + 1) < 0 ? code.length : code.indexOf('"', i + 1);
    else if (c === '\\') i++;
    else if (c === ';') return code.slice(0, i);
  }
  return code;
}

/** Each cellXfs entry (by style index): does it show a number as money? */
export function moneyStyles(custom: Map<number, string>, xfs: number[]): boolean[] {
  return xfs.map((id) => (custom.has(id) ? showsMoney(custom.get(id)!) : BUILTIN_CURRENCY.has(id)));
}

/** One worksheet's mobiles found in styled number cells, and in its views. */
export class SheetAmounts {
  #tally: FindingTally;
  #path: string | undefined;
  /** `value\0style` → occurrences in the sheet's own XML. */
  #cells = new Map<string, number>();
  /** The values of #cells (a view's count is kept only for them). */
  #values = new Set<string>();
  #views: Map<string, number>[] = [];
  #done = false;
  #resolved = false;

  constructor(tally: FindingTally, path: string | undefined) {
    this.#tally = tally;
    this.#path = path;
  }

  /** The witness for the sheet's own XML: a mobile that is a styled number cell's whole value is remembered. */
  raw(): MobileWitness {
    return {
      seen: (value, text, q) => {
        // (The chunk's text may end inside the number: the scanner reports it where its token ends.)
        if (text === undefined || !value.startsWith(text.slice(q, q + value.length))) return;
        const attrs = CELL_BEFORE.exec(text.slice(Math.max(0, q - 512), q))?.[1];
        if (attrs === undefined) return;
        const type = TYPE.exec(attrs)?.[1];
        const style = STYLE.exec(attrs)?.[1];
        if ((type !== undefined && type !== 'n') || style === undefined) return;
        const key = `${value}\u0000${Number(style)}`;
        if (!this.#cells.has(key) && this.#cells.size >= MAX_CELLS) return;
        this.#cells.set(key, (this.#cells.get(key) ?? 0) + 1);
        this.#values.add(value);
      },
    };
  }

  /** The witness for a decoded view of the sheet: counts the values that styled number cells hold. */
  view(): MobileWitness {
    const counts = new Map<string, number>();
    this.#views.push(counts);
    return {
      seen: (value) => {
        if (this.#values.has(value)) counts.set(value, (counts.get(value) ?? 0) + 1);
      },
    };
  }

  /** The sheet (and its views) have been read. */
  sheetDone(money: boolean[] | null): void {
    this.#done = true;
    if (money) this.resolve(money);
  }

  get done(): boolean {
    return this.#done;
  }

  /** With the styles known: the mobiles that were money taken back from the sheet's count. */
  resolve(money: boolean[]): void {
    if (this.#resolved || !this.#done) return;
    this.#resolved = true;
    const inMoney = new Map<string, number>();
    let back = 0;
    for (const [key, n] of this.#cells) {
      const at = key.indexOf('\u0000');
      if (!money[Number(key.slice(at + 1))]) continue;
      const value = key.slice(0, at);
      inMoney.set(value, (inMoney.get(value) ?? 0) + n);
      back += n;
    }
    // A view gives a number back only if it holds it no more often than money cells do.
    for (const counts of this.#views) for (const [value, n] of counts) if (n <= (inMoney.get(value) ?? 0)) back += n;
    if (back > 0) this.#tally.retract('personal-data', 'cn-mobile', this.#path, back);
    this.#cells.clear();
    this.#views = [];
  }
}
