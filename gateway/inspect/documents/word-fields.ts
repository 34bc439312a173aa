// What Word shows for a symbol or a field whose instruction spells text:
// `<w:sym w:font="Wingdings" w:char="F0AB"/>` and `SYMBOL 171 \f "Wingdings"`
// are ★ on the page, `QUOTE "密"` is 密 once fields are updated (printing
// does). Symbol fonts' codes are mapped to the Unicode character they draw
// (Wingdings' shapes after the Unicode Consortium's mapping); a code of
// another font is the character itself.

/** Wingdings codes that draw characters a marking or a list uses (stars, bullets, checks). */
const WINGDINGS: Record<number, string> = {
  0x6c: '●', 0x6d: '❍', 0x6e: '■', 0x6f: '□', 0x71: '❑', 0x75: '◆', 0x76: '❖', 0x77: '⬥',
  0x9f: '•', 0xa1: '○', 0xa7: '▪', 0xa8: '◻', 0xaa: '✦', 0xab: '★', 0xac: '✶', 0xad: '✴', 0xae: '✹', 0xaf: '✵',
  0xfb: '✗', 0xfc: '✓', 0xfd: '☒', 0xfe: '☑',
};

/** Wingdings 2 codes of the boxes and ticks Word's forms use (£ an empty box, R a ticked one: level-choices.ts). */
const WINGDINGS_2: Record<number, string> = { 0x4f: '✗', 0x50: '✓', 0x51: '☒', 0x52: '☑', 0x53: '☒', 0x54: '☒', 0xa3: '☐' };

/** The character a symbol font's code draws. */
export function symbolChar(font: string, code: number): string {
  const c = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  if (/^wingdings$/i.test(font.trim()) && WINGDINGS[c] !== undefined) return WINGDINGS[c]!;
  if (/^wingdings 2$/i.test(font.trim()) && WINGDINGS_2[c] !== undefined) return WINGDINGS_2[c]!;
  return c > 0 && c <= 0x10ffff ? String.fromCodePoint(c) : '';
}

/** The text a field instruction spells (QUOTE, SYMBOL), or null for a field whose result Word computes otherwise. */
export function fieldText(instr: string): string | null {
  const m = /^\s*(QUOTE|SYMBOL)\b\s*([^]*)$/i.exec(instr);
  if (!m) return null;
  const rest = m[2]!;
  if (m[1]!.toUpperCase() === 'QUOTE') {
    const q = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    return q ? q[1]!.replace(/\\(.)/g, '$1') : rest.replace(/\s*\\\*.*$/, '').trim();
  }
  const n = /^(0[xX][0-9a-fA-F]+|\d+)/.exec(rest);
  if (!n) return '';
  const code = Number(n[1]);
  const font = /\\f\s+"([^"]*)"|\\f\s+(\S+)/.exec(rest);
  if (/\\u\b/.test(rest)) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  return symbolChar(font ? (font[1] ?? font[2] ?? '') : 'Symbol', code);
}

/** A legacy form field's state (w:ffData): a check box's, a drop-down's entries and choice. */
export interface FormField {
  check: boolean;
  /** w:checked (the current state), when written. */
  checked: boolean | null;
  /** w:default: a check box's default state, a drop-down's default entry. */
  def: string | null;
  /** w:ddList/w:result: the entry chosen. */
  result: number | null;
  entries: string[];
}

export function newFormField(): FormField {
  return { check: false, checked: null, def: null, result: null, entries: [] };
}

/**
 * What Word shows for a legacy form field (seventh red team of 1 Dec, R2): a FORMCHECKBOX as ☒ when checked
 * (w:checked, else w:default 1) and ☐ when not, a FORMDROPDOWN as its chosen entry (w:result, else w:default,
 * else the first). `密级：☐绝密 ☒机密 ☐秘密` is then read by the level-choice reading as any ticked box is; with
 * the state not rendered, a list of levels with no box read as none chosen and the marking crossed. Null for
 * another field.
 */
export function formFieldText(instr: string, form: FormField | undefined): string | null {
  const m = /^\s*(FORMCHECKBOX|FORMDROPDOWN)\b/i.exec(instr);
  if (!m || !form) return null;
  if (m[1]!.toUpperCase() === 'FORMCHECKBOX') {
    const on = form.checked ?? (form.def !== null && /^(1|true|on)$/i.test(form.def));
    return on ? '☒' : '☐';
  }
  const i = form.result ?? (form.def !== null && /^\d+$/.test(form.def) ? Number(form.def) : 0);
  return form.entries[i] ?? '';
}
