import { fileTypeFromBuffer } from 'file-type';
import { guessText, type TextGuess } from './text-encoding.js';

// The real type of content, from its first bytes: file-type (21 line: Node
// 20, fixed zip probing) for binary formats, our own tests for text.

/** file-type looks at this many bytes at most. */
export const SNIFF_BYTES = 4100;

export interface Sniffed {
  mime: string;
  /** file-type's extension for binary formats; 'txt', 'xml', 'html' for text. */
  ext?: string;
  text?: TextGuess & { markup: boolean };
}

function textKind(head: Uint8Array, guess: TextGuess): { mime: string; ext: string; markup: boolean } {
  // Look at the start of the text only, decoded in its own encoding.
  const start = new TextDecoder(guess.encoding).decode(head.subarray(0, Math.min(head.length, 512))).replace(/^[\s\uFEFF]+/, '').slice(0, 64).toLowerCase();
  if (start.startsWith('<?xml')) return { mime: 'application/xml', ext: 'xml', markup: true };
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return { mime: 'text/html', ext: 'html', markup: true };
  if (start.startsWith('<')) return { mime: 'text/plain', ext: 'txt', markup: true };
  return { mime: 'text/plain', ext: 'txt', markup: false };
}

export async function sniff(head: Uint8Array, complete: boolean): Promise<Sniffed> {
  const early = guessText(head, complete);
  if (early && early.bom > 0) {
    const k = textKind(head.subarray(early.bom), early);
    return { mime: k.mime, ext: k.ext, text: { ...early, markup: k.markup } };
  }
  let ft: { mime: string; ext: string } | undefined;
  try {
    ft = await fileTypeFromBuffer(head);
  } catch {
    ft = undefined; // a parser choking on hostile bytes is not a verdict
  }
  if (ft && !/xml|svg|html/.test(ft.mime)) return { mime: ft.mime, ext: ft.ext };
  const guess = early;
  if (guess) {
    const k = textKind(head.subarray(guess.bom), guess);
    return { mime: ft?.mime ?? k.mime, ext: ft?.ext ?? k.ext, text: { ...guess, markup: k.markup } };
  }
  if (ft) return { mime: ft.mime, ext: ft.ext };
  return { mime: 'application/octet-stream' };
}
