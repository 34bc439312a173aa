import type { Placement } from './css-shown.js';

// The order a box's parts are shown in, for the markup reading
// (markup-reading.ts): a flex or grid container's items by order and
// placement (reversed by row-reverse or a right-to-left direction), floats
// (left ones first, right ones last from the edge in), absolutely placed
// boxes by their place in the slots they hold among themselves, a
// right-to-left row's cells from the right.

/** Text in storage order, or a box's parts with its placement (Array.prototype.sort is stable: ties keep their order). */
export type Part = string | Box;

export interface Box {
  at: Placement | null;
  kids: Part[];
  len: number;
}

export function size(p: Part): number {
  return typeof p === 'string' ? p.length : p.len;
}

function at(p: Part): Placement | null {
  return typeof p === 'string' ? null : p.at;
}

/** A holding frame's parts in the order they are shown. */
export function arrange(f: { parts: Part[] | null; placed: boolean; box: { flex: boolean; grid: boolean; reversed: boolean } }): Part[] {
  const parts = f.parts ?? [];
  if (!f.placed && !f.box.reversed) return parts;
  if (f.box.flex || f.box.grid) {
    const key = (p: Part, b: boolean): number => {
      const o = at(p);
      return o?.kind === 'order' ? (b ? o.b : o.a) : 0;
    };
    const sorted = [...parts].sort((x, y) => key(x, false) - key(y, false) || key(x, true) - key(y, true));
    return f.box.reversed ? sorted.reverse() : sorted;
  }
  // Floats: left ones first in order, right ones last from the right edge in; positioned boxes by place, in their own slots.
  const left: Part[] = [];
  const right: Part[] = [];
  const rest: Part[] = [];
  for (const p of parts) {
    const o = at(p);
    if (o?.kind === 'float') (o.side === 'left' ? left : right).push(p);
    else rest.push(p);
  }
  const slots = rest.flatMap((p, k) => (at(p)?.kind === 'position' ? [k] : []));
  if (slots.length > 1) {
    const pos = slots.map((k) => rest[k]!);
    const where = (p: Part): { top: number; left: number } => {
      const o = at(p);
      return o?.kind === 'position' ? o : { top: 0, left: 0 };
    };
    pos.sort((x, y) => where(x).top - where(y).top || where(x).left - where(y).left);
    slots.forEach((k, i) => (rest[k] = pos[i]!));
  }
  const out = [...left, ...rest, ...right.reverse()];
  return f.box.reversed ? out.reverse() : out;
}

/** The text of parts, in order, onto `out` (depth first, without recursion: a document may nest deep). */
export function flatten(parts: Part[], out: string[]): void {
  const stack: Array<{ parts: Part[]; i: number }> = [{ parts, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.parts.length) {
      stack.pop();
      continue;
    }
    const p = top.parts[top.i++]!;
    if (typeof p === 'string') out.push(p);
    else stack.push({ parts: p.kids, i: 0 });
  }
}

