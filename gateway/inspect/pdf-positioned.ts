// A page's text in the order a reader sees it: lines from the top, each left
// to right. pdf.js gives text items in the order the content stream draws
// them, and a PDF may draw `密★10年` first and then `机` to its left (a later
// `Td` moved back): read in stream order the marking is split, on the page it
// is whole. Items whose baselines lie within half a line of each other are
// one line.

export interface PlacedItem {
  str: string;
  /** [a, b, c, d, e, f]: e, f the origin; d the vertical scale (the font size, for unrotated text). */
  transform: number[];
}

/** The items' text by position, or null when that is the order they were drawn in (nothing more to read). */
export function positionedText(items: PlacedItem[]): string | null {
  const placed = items.filter((i) => i.str && Array.isArray(i.transform) && i.transform.length === 6 && i.transform.every(Number.isFinite));
  if (placed.length < 2) return null;
  const byY = placed.map((item, n) => ({ item, n, x: item.transform[4]!, y: item.transform[5]!, h: Math.abs(item.transform[3]!) || Math.abs(item.transform[0]!) || 1 }));
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
      return l.map((p) => p.item.str).join('');
    })
    .join('\n');
  return order.every((n, k) => k === 0 || n > order[k - 1]!) ? null : text;
}
