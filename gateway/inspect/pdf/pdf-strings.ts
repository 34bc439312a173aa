// PDF string objects (ISO 32000-1 §7.3.4) as a program reads them: literal
// `(…)` strings with their escapes (\ddd, \n, \( …) and hex `<…>` strings,
// decoded as UTF-16 when they start with a byte order mark (text strings,
// §7.9.2.2: /ActualText, /JS, /Title in an object stream). Only strings
// whose decoding differs from their bytes are returned: plain ASCII
// literals are already read where they stand.

const MAX_STRING = 64 * 1024;

/** Decoded strings of `s` (a stream's or the file's bytes read as latin1) that say more than their bytes (`all`: every literal), joined by `sep`. */
export function pdfStrings(s: string, all = false, sep = '\n'): string {
  const out: string[] = [];
  const open = /[(<]/g;
  for (let m = open.exec(s); m; m = open.exec(s)) {
    const i = m.index;
    if (s.charCodeAt(i) === 0x28) {
      const r = literal(s, i, all);
      if (r.text !== null) out.push(r.text);
      open.lastIndex = r.end + 1;
      continue;
    }
    if (s.charCodeAt(i + 1) === 0x3c) {
      open.lastIndex = i + 2;
      continue;
    }
    const end = s.indexOf('>', i);
    if (end < 0 || end - i > MAX_STRING * 2) continue;
    const hex = s.slice(i + 1, end).replace(/\s+/g, '');
    if (/^(feff|fffe|efbbbf)[0-9a-f]*$/i.test(hex)) {
      out.push(textString(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex')));
      open.lastIndex = end + 1;
    }
  }
  return out.join(sep);
}

const SPECIAL = /[\\()]/g;

/** A literal string from its `(`: its decoding when escapes or a BOM make it differ from its bytes (or `all`), and where it ends. */
function literal(s: string, at: number, all: boolean): { text: string | null; end: number } {
  let raw = '';
  let depth = 1;
  let escaped = false;
  let i = at + 1;
  SPECIAL.lastIndex = i;
  for (let m = SPECIAL.exec(s); m && raw.length < MAX_STRING; m = SPECIAL.exec(s)) {
    raw += s.slice(i, m.index);
    i = m.index;
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      escaped = true;
      const n = s[i + 1];
      if (n === undefined) break;
      const o = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
      if (o) {
        raw += String.fromCharCode(parseInt(o[0], 8) & 0xff);
        i += 1 + o[0].length;
      } else {
        const e = ESCAPES[n];
        if (e !== undefined) raw += String.fromCharCode(e);
        else if (n !== '\r' && n !== '\n') raw += n;
        i += 2;
      }
      SPECIAL.lastIndex = i;
      continue;
    }
    if (c === 0x28) depth++;
    else if (--depth === 0) break;
    raw += s[i];
    i++;
  }
  // Unterminated: no string here (the scan goes on after the parenthesis, so one stray `(` hides nothing).
  if (depth > 0 && raw.length < MAX_STRING) return { text: null, end: at };
  const bom = raw.startsWith('\u00fe\u00ff') || raw.startsWith('\u00ff\u00fe');
  if (!escaped && !bom) return { text: all && raw.length > 0 ? (/[^\x00-\x7f]/.test(raw) ? textString(Buffer.from(raw, 'latin1')) : raw) : null, end: i };
  return { text: textString(Buffer.from(raw, 'latin1')), end: i };
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
