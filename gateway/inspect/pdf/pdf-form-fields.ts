import type { PlacedItem } from './pdf-positioned.js';

// A PDF form as its reader sees it (seventh red team of 1 Dec, R6, G8). An
// AcroForm check box or radio button is a widget drawn over the page: the
// page's text says `密级： 绝密 机密 秘密` and the widget beside 机密 shows
// it ticked. pdf.js gives the page's text and the widgets apart, and a list
// of levels with no box is a choice offered (level-choices.ts): the level
// chosen crossed. Each widget is put back where it stands, as the page
// shows it: a button as ☑ or ☐ (pdf.js's state: a check box's /AS, a radio
// button's group /V against its on-state), a text field or a combo box as
// its value; the page's characters under a button (a □ drawn in the text
// and the widget laid over it) are the button. Read in the page's order
// (pdf-positioned.ts), `密级：☐绝密 ☑机密 ☐秘密` is then read as any ticked
// form is. A field's data is read as a program exporting it writes it,
// `name：value` a field (a radio group 密级 whose value is 机密 is
// `密级：机密`; a box not ticked is `Off`): the names alone on lines of their
// own read `密级` then `秘密` as a label and its value (G8).
// A radio button is also ticked when a viewer draws it on by its own /AS
// while the group's /V names another choice or none (pdf-drawn-states.ts):
// what a person sees and what the data says are both read (2 Dec). Under a
// button only what stands for a box (□, ○, brackets, blanks) gives way to it;
// a word under a tick (☑ stamped over 秘密) stays, the tick before it.

type Annotation = Record<string, unknown>;

/** Characters of the page split for placing widgets among them, at most (past it, runs are placed whole). */
const MAX_PIECES = 20_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** PDFDocEncoding's characters for bytes 0x18-0x1f and 0x80-0xa0 (as pdf.js decodes a name; \0: the byte itself). */
const DOC_18 = '\u02d8\u02c7\u02c6\u02d9\u02dd\u02db\u02da\u02dc';
const DOC_80 = '\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203a\u2212\u2030\u201e\u201c\u201d\u2018\u2019\u201a\u2122\ufb01\ufb02\u0141\u0152\u0160\u0178\u017d\u0131\u0142\u0153\u0161\u017e\0\u20ac';

/** A character back to the byte PDFDocEncoding read it from, or -1. */
function docByte(c: string): number {
  const a = DOC_18.indexOf(c);
  if (a >= 0) return 0x18 + a;
  const b = c === '\0' ? -1 : DOC_80.indexOf(c);
  if (b >= 0) return 0x80 + b;
  const n = c.charCodeAt(0);
  return n <= 0xff ? n : -1;
}

/**
 * A name written as UTF-8 bytes (PDF 2.0 7.3.5), which pdf.js reads a byte a character through PDFDocEncoding
 * (0x96 is `–`: 机 reads `æœº`): read as UTF-8 when its bytes are (before 2 Dec only a name with no byte 0x80-0xa0).
 */
export function nameText(s: string): string {
  if (!/[^\u0000-\u007f]/.test(s)) return s;
  const b = nameBytes(s);
  const u = b?.toString('utf8');
  return u === undefined || u.includes('\ufffd') ? s : u;
}

/** The bytes of a name pdf.js read through PDFDocEncoding, or null when it was no such name. */
export function nameBytes(s: string): Buffer | null {
  const bytes = [...s].map(docByte);
  return bytes.some((n) => n < 0) ? null : Buffer.from(bytes);
}

function isWidget(a: Annotation): boolean {
  return a.annotationType === 20 || a.subtype === 'Widget';
}

/**
 * Ids of buttons on one way though pdf.js reads them Off the other: radio buttons drawn on by their own /AS while
 * the group's /V chooses none or another (pdf-drawn-states.ts), check boxes drawn Off whose /V is on (pdf-box-values.ts).
 */
export type DrawnOn = ReadonlySet<string>;
const NONE: DrawnOn = new Set();

/** A check box or radio button is ticked by the form's data, as pdf.js shows it. */
function tickedByValue(a: Annotation): boolean {
  const v = a.fieldValue;
  if (a.checkBox === true) return typeof v === 'string' && v !== 'Off' && v === a.exportValue;
  if (a.radioButton === true) return typeof v === 'string' && v !== 'Off' && v === a.buttonValue;
  return false;
}

/** Ticked as the data says or as a viewer draws it. */
function ticked(a: Annotation, drawn: DrawnOn): boolean {
  return tickedByValue(a) || ((a.radioButton === true || a.checkBox === true) && typeof a.id === 'string' && drawn.has(a.id));
}

function values(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}

/** A choice field's chosen entries as shown (an option's display value for its export value). */
function chosen(a: Annotation): string[] {
  const opts = Array.isArray(a.options) ? (a.options as Annotation[]) : [];
  return values(a.fieldValue).map((v) => str(opts.find((o) => o.exportValue === v)?.displayValue) || v);
}

/** What the widget shows where it stands, or null when it shows no text of its own. */
function shown(a: Annotation, drawn: DrawnOn): string | null {
  if (a.checkBox === true || a.radioButton === true) return ticked(a, drawn) ? '☑' : '☐';
  if (a.fieldType === 'Tx') return values(a.fieldValue).join(' ') || null;
  if (a.fieldType === 'Ch') return chosen(a).join(' ') || null;
  return null;
}

/** A widget's data as a program exporting the form writes it: `name：value` (a box not ticked: Off), or null. */
export function fieldData(a: Annotation, drawn: DrawnOn = NONE): string | null {
  if (!isWidget(a)) return null;
  const name = [str(a.fieldName), str(a.alternativeText)].filter((s, k, all) => s && all.indexOf(s) === k).join('　');
  let value: string;
  // On the other way (pdf-drawn-states.ts, pdf-box-values.ts): its on-state is the value a person or a program reads.
  if (a.checkBox === true || a.radioButton === true) value = tickedByValue(a) ? nameText(str(a.fieldValue)) : ticked(a, drawn) ? nameText(str(a.checkBox === true ? a.exportValue : a.buttonValue)) : 'Off';
  else if (a.fieldType === 'Ch') value = chosen(a).join('、');
  else value = values(a.fieldValue).join('、');
  const opts = Array.isArray(a.options) ? (a.options as Annotation[]).map((o) => `${str(o.displayValue)}${o.exportValue !== o.displayValue ? `=${str(o.exportValue)}` : ''}`) : [];
  // The choices offered, one line before the field's (a blank choice is `（）`: the next line is another field's).
  const offered = opts.length ? `${opts.join(' ／ ')}\n` : '';
  const def = values(a.defaultFieldValue).filter((d) => d !== 'Off' && d !== str(a.fieldValue));
  return `${offered}${name}：${value || '（）'}${def.length ? `\n${name}：${def.map(nameText).join('、')}` : ''}`;
}

interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function rectOf(a: Annotation): Rect | null {
  const r = a.rect;
  if (!Array.isArray(r) || r.length !== 4 || !r.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const [x1, y1, x2, y2] = r as [number, number, number, number];
  return { x1: Math.min(x1, x2), y1: Math.min(y1, y2), x2: Math.max(x1, x2), y2: Math.max(y1, y2) };
}

/** Full-width characters take an em, others half (a run's width shared among its characters). */
const wide = (c: string): number => (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u25a0-\u25ff\u2600-\u27bf]|[\ud800-\udbff]/.test(c) ? 1 : 0.5);

/** A horizontal run's characters, each placed along it. */
function pieces(item: PlacedItem): PlacedItem[] {
  const t = item.transform;
  const chars = [...item.str];
  const w = typeof item.width === 'number' && Number.isFinite(item.width) ? Math.abs(item.width) : 0;
  if (chars.length < 2 || w <= 0 || t[0]! <= 0 || Math.abs(t[1]!) > Math.abs(t[0]!) / 8) return [item];
  const total = chars.reduce((n, c) => n + wide(c), 0);
  let x = t[4]!;
  return chars.map((c) => {
    const cw = (w * wide(c)) / total;
    const p = { str: c, transform: [t[0]!, t[1]!, t[2]!, t[3]!, x, t[5]!], width: cw };
    x += cw;
    return p;
  });
}

/** What stands for a box under a button (□ ○ 口 〇, brackets, blanks) gives way to it; a letter or a number is a word and stays. */
const boxLike = (c: string): boolean => c === '口' || c === '〇' || !/[\p{L}\p{N}]/u.test(c);

/**
 * The page's text items with its widgets among them (null when it has no widget showing anything): each widget
 * an item where it stands, before the first character it covers; what stands for a box under a button dropped
 * (the button is what shows there). `drawn`: radio buttons a viewer draws on (pdf-drawn-states.ts).
 */
export function formItems(items: PlacedItem[], annots: Annotation[], drawn: DrawnOn = NONE): PlacedItem[] | null {
  const widgets: Array<{ r: Rect; s: string; button: boolean; x: number }> = [];
  for (const a of annots) {
    if (!isWidget(a) || a.hidden === true) continue;
    const r = rectOf(a);
    const s = shown(a, drawn);
    if (r && s !== null) widgets.push({ r, s, button: a.checkBox === true || a.radioButton === true, x: r.x1 });
  }
  if (!widgets.length) return null;
  const near = (i: PlacedItem): boolean => {
    const y = i.transform[5]!;
    const h = Math.abs(i.transform[3]!) || 1;
    return widgets.some((w) => y + h > w.r.y1 && y < w.r.y2);
  };
  let n = 0;
  const out: PlacedItem[] = [];
  for (const i of items) {
    const split = Array.isArray(i.transform) && i.transform.length === 6 && n < MAX_PIECES && near(i) ? pieces(i) : [i];
    n += split.length;
    for (const p of split) {
      const t = p.transform;
      const w = typeof p.width === 'number' ? p.width : 0;
      const cx = t[4]! + w / 2;
      const cy = t[5]! + (Math.abs(t[3]!) || 0) * 0.35;
      const over = widgets.filter((g) => cx > g.r.x1 && cx < g.r.x2 && cy > g.r.y1 && cy < g.r.y2);
      // A widget laid over a word shows before it (`☑秘密`), not inside it (`秘☑密`).
      for (const g of over) g.x = Math.min(g.x, t[4]! - 0.01);
      if (!over.some((g) => g.button) || ![...p.str].every(boxLike)) out.push(p);
    }
  }
  for (const g of widgets) {
    const h = Math.min(g.r.y2 - g.r.y1, 14) || 1;
    // On the baseline of text set in the widget's middle.
    const y = (g.r.y1 + g.r.y2) / 2 - 0.35 * h;
    out.push({ str: g.s, transform: [h, 0, 0, h, g.x, y], width: g.r.x2 - g.x });
  }
  return out;
}
