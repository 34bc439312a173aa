// PDF string objects (ISO 32000-1 §7.3.4) as a program reads them: literal
// `(…)` strings with their escapes (\ddd, \n, \( …) and hex `<…>` strings,
// decoded as UTF-16 when they start with a byte order mark (text strings,
// §7.9.2.2: /ActualText, /JS, /Title in an object stream). Only strings
// whose decoding differs from their bytes are returned: plain ASCII
// literals are already read where they stand.

const MAX_STRING = 64 * 1024;

/** Decoded strings of `s` (a stream's or the file's bytes read as latin1) that say more than their bytes, one a line. */
export function pdfStrings(s: string): string {
  const out: string[] = [];
  for (let i = s.indexOf('(') < 0 ? s.indexOf('<') : 0; i >= 0 && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28) {
      const r = literal(s, i);
      if (r.text !== null) out.push(r.text);
      i = r.end;
    } else if (c === 0x3c) {
      if (s.charCodeAt(i + 1) === 0x3c) {
        i++;
        continue;
      }
      const end = s.indexOf('>', i);
      if (end < 0 || end - i > MAX_STRING * 2) continue;
      const hex = s.slice(i + 1, end).replace(/\s+/g, '');
      if (/^(fe\s*ff|ff\s*fe|ef\s*bb\s*bf)/i.test(hex) && /^[0-9a-fA-F]*$/.test(hex)) {
        out.push(textString(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex')));
        i = end;
      }
    }
  }
  return out.join('\n');
}

/** A literal string from its `(`: its decoding when escapes or a BOM make it differ from its bytes, and where it ends. */
function literal(s: string, at: number): { text: string | null; end: number } {
  const bytes: number[] = [];
  let depth = 1;
  let escaped = false;
  let i = at + 1;
  for (; i < s.length && bytes.length < MAX_STRING; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      escaped = true;
      const n = s[i + 1];
      if (n === undefined) break;
      const o = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
      if (o) {
        bytes.push(parseInt(o[0], 8) & 0xff);
        i += o[0].length;
        continue;
      }
      i++;
      const e = ESCAPES[n];
      if (e !== undefined) bytes.push(e);
      else if (n !== '\r' && n !== '\n') bytes.push(n.charCodeAt(0) & 0xff);
      continue;
    }
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) break;
    bytes.push(c & 0xff);
  }
  const b = Buffer.from(bytes);
  const bom = b.length >= 2 && ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0xff && b[1] === 0xfe));
  return { text: escaped || bom ? textString(b) : null, end: i };
}

const ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c, '(': 0x28, ')': 0x29, '\\': 0x5c };

/** A text string: UTF-16BE (or LE) after its BOM, UTF-8 after its BOM or when valid, else PDFDocEncoding (read as latin1). */
function textString(b: Buffer): string {
  if (b[0] === 0xfe && b[1] === 0xff) return utf16be(b.subarray(2));
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2, b.length - (b.length % 2)).toString('utf16le');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  const u = new TextDecoder('utf-8', { fatal: false }).decode(b);
  return u.includes('\ufffd') ? b.toString('latin1') : u;
}

function utf16be(b: Buffer): string {
  const le = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  return le.swap16().toString('utf16le');
}
