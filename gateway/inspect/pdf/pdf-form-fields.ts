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

type Annotation = Record<string, unknown>;

/** Characters of the page split for placing widgets among them, at most (past it, runs are placed whole). */
const MAX_PIECES = 20_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A name written as UTF-8 bytes (PDF 2.0 7.3.5), which pdf.js gives a byte a character: read as UTF-8 when it is. */
export function nameText(s: string): string {
  if (!/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  const b = Buffer.from(s, 'latin1');
  const u = b.toString('utf8');
  return u.includes('\ufffd') ? s : u;
}

function isWidget(a: Annotation): boolean {
  return a.annotationType === 20 || a.subtype === 'Widget';
}

/** A check box or radio button is ticked, as pdf.js draws it. */
function ticked(a: Annotation): boolean {
  const v = a.fieldValue;
  if (a.checkBox === true) return typeof v === 'string' && v !== 'Off' && v === a.exportValue;
  if (a.radioButton === true) return typeof v === 'string' && v !== 'Off' && v === a.buttonValue;
  return false;
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
function shown(a: Annotation): string | null {
  if (a.checkBox === true || a.radioButton === true) return ticked(a) ? '☑' : '☐';
  if (a.fieldType === 'Tx') return values(a.fieldValue).join(' ') || null;
  if (a.fieldType === 'Ch') return chosen(a).join(' ') || null;
  return null;
}

/** A widget's data as a program exporting the form writes it: `name：value` (a box not ticked: Off), or null. */
export function fieldData(a: Annotation): string | null {
  if (!isWidget(a)) return null;
  const name = [str(a.fieldName), str(a.alternativeText)].filter((s, k, all) => s && all.indexOf(s) === k).join('　');
  let value: string;
  if (a.checkBox === true || a.radioButton === true) value = ticked(a) ? nameText(str(a.fieldValue)) : 'Off';
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

/**
 * The page's text items with its widgets among them (null when it has no widget showing anything): each widget
 * an item where it stands, and the characters under a button dropped (the button is what shows there).
 */
export function formItems(items: PlacedItem[], annots: Annotation[]): PlacedItem[] | null {
  const widgets: Array<{ r: Rect; s: string; button: boolean }> = [];
  for (const a of annots) {
    if (!isWidget(a) || a.hidden === true) continue;
    const r = rectOf(a);
    const s = shown(a);
    if (r && s !== null) widgets.push({ r, s, button: a.checkBox === true || a.radioButton === true });
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
      if (!widgets.some((g) => g.button && cx > g.r.x1 && cx < g.r.x2 && cy > g.r.y1 && cy < g.r.y2)) out.push(p);
    }
  }
  for (const g of widgets) {
    const h = Math.min(g.r.y2 - g.r.y1, 14) || 1;
    // On the baseline of text set in the widget's middle.
    const y = (g.r.y1 + g.r.y2) / 2 - 0.35 * h;
    out.push({ str: g.s, transform: [h, 0, 0, h, g.r.x1, y], width: g.r.x2 - g.r.x1 });
  }
  return out;
}
