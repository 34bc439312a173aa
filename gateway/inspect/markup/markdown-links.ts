// Markdown link texts (red team, 1 Dec b, N13): `[机](a)[密](b)★10年` renders
// 机密★10年, but the link targets put letters and brackets between the
// characters. A view of all Markdown as rendered was withdrawn (minified
// JavaScript is full of `](`: it doubled the work on pdf.js's worker). This
// reading is narrower: only in the windows around a 密 (mi-windows.ts), and
// only where `](` is there too, the links are replaced by their texts.

/** An inline link or image: its text (group 1), then its target with one level of parentheses. */
const LINK = /!?\[([^\[\]\n]{0,64})\]\((?:[^()\n]|\([^()\n]{0,64}\)){0,512}\)/g;

/** The window with its links replaced by their texts, or null when it holds none. */
export function linkTexts(w: string): string | null {
  if (w.indexOf('](') < 0) return null;
  const r = w.replace(LINK, '$1');
  return r === w ? null : r;
}
