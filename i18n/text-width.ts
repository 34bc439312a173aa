import stringWidth from 'string-width';

// Padding by the width a terminal shows (a Chinese character takes two
// columns), not by code units: tables and label columns stay aligned in
// either language.

export { stringWidth };

export function padEndW(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - stringWidth(s)));
}

export function padStartW(s: string, n: number): string {
  return ' '.repeat(Math.max(0, n - stringWidth(s))) + s;
}

/** `label  value` lines, the values starting in one column. */
export function labelled(rows: ReadonlyArray<readonly [string, string]>): string {
  const w = Math.max(0, ...rows.map(([k]) => stringWidth(k)));
  return rows.map(([k, v]) => `${padEndW(k, w)}  ${v}`).join('\n');
}
