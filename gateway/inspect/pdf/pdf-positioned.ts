// A page's text in the order a reader sees it: lines from the top, each left
// to right. pdf.js gives text items in the order the content stream draws
// them, and a PDF may draw `密★10年` first and then `机` to its left (a later
// `Td`, a `cm` or a TJ offset moved back): read in stream order the marking
// is split, on the page it is whole. Items whose baselines lie within half a
// line of each other are one line. A run drawn mirrored (its text matrix
// runs right to left, `-1 0 0 1 … Tm`) shows its characters from its last
// to its first: it is read reversed, from its left end.

export interface PlacedItem {
  str: string;
  /** [a, b, c, d, e, f] in device space: e, f the origin; d the vertical scale (the font size, for unrotated text). */
  transform: number[];
  /** The run's extent along its direction of travel, when known. */
  width?: number;
}

/**
 * A gap of this many font sizes or more between two runs of a line puts them apart (a tab): a table's cells,
 * a Word table saved as PDF drawing a text object a cell at its column's x (red team 1 Dec (c) G2: a count of
 * 138 and an amount of 12345678.00 read as a mobile). Letter spacing, justified words and a marking drawn in
 * pieces side by side (`机` then `密★10年` at its right) leave less than a character between runs.
 */
const CELL_GAP = 3;

interface Run {
  x: number;
  y: number;
  h: number;
  /** The run's width; 0 when not known (then no gap is measured). */
  w: number;
}

/** Two runs of one line (b after a) stand apart as a table's cells do. */
export function apart(a: Run, b: Run): boolean {
  if (a.w <= 0 || Math.abs(a.y - b.y) > Math.max(a.h, b.h) / 2) return false;
  return b.x - (a.x + a.w) >= CELL_GAP * Math.max(a.h, b.h);
}

/** A blank run as wide as a cell gap: pdf.js fills the gap between two runs of a line with one (a " " item that wide). */
export function wideBlank(r: Run & { str: string }): boolean {
  return r.w >= CELL_GAP * r.h && r.str.trim() === '';
}

/** A text content item's place as a Run, or null when it has none. */
export function runOf(item: PlacedItem): Run | null {
  const t = item.transform;
  if (!Array.isArray(t) || t.length !== 6 || !t.every(Number.isFinite)) return null;
  const [a, b, , d, e, f] = t as [number, number, number, number, number, number];
  if (a < 0 || Math.abs(b) > Math.abs(a) / 8) return null; // rotated or mirrored: measured by positionedText alone
  const w = typeof item.width === 'number' && Number.isFinite(item.width) ? Math.abs(item.width) : 0;
  return { x: e, y: f, h: Math.abs(d) || Math.abs(a) || 1, w };
}

/** The items' text by position, or null when that is the order they were drawn in (nothing more to read) unless `always`. */
export function positionedText(items: PlacedItem[], always = false): string | null {
  const placed = items.filter((i) => i.str && Array.isArray(i.transform) && i.transform.length === 6 && i.transform.every(Number.isFinite));
  if (!placed.length) return null;
  let mirrored = false;
  const byY = placed.map((item, n) => {
    const [a, b, , d, e, f] = item.transform as [number, number, number, number, number, number];
    // Travelling leftwards: the run starts at its far end, and reads reversed.
    const back = a < 0 && Math.abs(a) >= Math.abs(b);
    if (back) mirrored = true;
    const w = typeof item.width === 'number' && Number.isFinite(item.width) ? Math.abs(item.width) : 0;
    return { str: back ? [...item.str].reverse().join('') : item.str, n, x: back ? e - w : e, y: f, h: Math.abs(d) || Math.abs(a) || 1, w };
  });
  if (byY.length < 2 && !mirrored && !always) return null;
  byY.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Array<typeof byY> = [];
  let line: typeof byY = [];
  let lineY = Number.NaN;
  for (const p of byY) {
    if (line.length && Math.abs(p.y - lineY) > p.h / 2) {
      lines.push(line);
      line = [];
    }
    if (!line.length) lineY = p.y;
    line.push(p);
  }
  if (line.length) lines.push(line);
  const order: number[] = [];
  const text = lines
    .map((l) => {
      l.sort((a, b) => a.x - b.x);
      for (const p of l) order.push(p.n);
      return l.map((p, k) => (wideBlank(p) ? '\t' : (k > 0 && apart(l[k - 1]!, p) ? '\t' : '') + p.str)).join('');
    })
    .join('\n');
  return !always && !mirrored && order.every((n, k) => k === 0 || n > order[k - 1]!) ? null : text;
}
