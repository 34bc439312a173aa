// A number as an Excel number format shows it (ECMA-376 Part 1, 18.8.31;
// seventh red team of 1 Dec, R14): `<v>12345678</v>` through the format
// `"138"00000000` is 13812345678 on the screen and in print, where the file
// holds 12345678 and a format's text apart. Read here: sections (`;`: positive,
// negative, zero, text; conditions `[>100]`), quoted text and `\x` escapes,
// digit placeholders `0 # ?`, the decimal point, `,` as a thousands separator
// or a scale of 1000, `%`, `@`, colours and locales in brackets, `_x` (a
// space) and `*x` (a fill). Dates and times too (`y m d h s`, `AM/PM`; the
// 1900 date system, its 29 February 1900 included): `"1381234"mmdd` shows a
// serial as a mobile number's last four digits. Fractions, exponents, elapsed
// time (`[h]`), eras and other calendars are not rendered (null).

/** Built-in formats that show digits the raw value does not (ECMA-376 18.8.30): the percentages (rounding shows the value's own, read raw). */
const BUILTIN: Record<number, string> = { 9: '0%', 10: '0.00%' };

export function builtinFormat(id: number): string {
  return BUILTIN[id] ?? '';
}

/** The format's code with quoted text, escapes and fills as '1' where they hold a digit, else a space; brackets dropped. */
function bare(code: string): string {
  return code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, (m) => (/\d/.test(m) && m[0] !== '[' ? '1' : ' '));
}

/** Does a format write digits of its own (`"138"`, `\1`, a bare digit) or scale the value to a percentage? */
export function addsDigits(code: string): boolean {
  return !!code && /[1-9%]/.test(bare(code));
}

interface Token {
  kind: 'lit' | 'ph' | 'dot' | 'at';
  text: string;
}

/** Where the unit of a format's code that starts at i ends: a quoted text, a bracket, an escape, `_x`, `*x`, or one character. */
function unitEnd(code: string, i: number): number {
  const c = code[i];
  if (c === '"' || c === '[') {
    const end = code.indexOf(c === '"' ? '"' : ']', i + 1);
    return end < 0 ? code.length - 1 : end;
  }
  return c === '\\' || c === '_' || c === '*' ? Math.min(i + 1, code.length - 1) : i;
}

/** The sections of a format, split at `;` outside quotes, escapes and brackets. */
function sections(code: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < code.length; i++) {
    const j = unitEnd(code, i);
    if (code[i] === ';') {
      out.push(cur);
      cur = '';
    } else cur += code.slice(i, j + 1);
    i = j;
  }
  out.push(cur);
  return out;
}

/** A piece of a section: literal text (quoted, escaped, `_x` as a space), a bracket, or a code character at its place; `*x` fills dropped. */
type Piece = { lit: string } | { bracket: string } | { code: string; at: number };

function pieces(section: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < section.length; i++) {
    const j = unitEnd(section, i);
    const c = section[i]!;
    if (c === '"') out.push({ lit: section.slice(i + 1, j > i && section[j] === '"' ? j : j + 1) });
    else if (c === '\\') out.push({ lit: section[i + 1] ?? '' });
    else if (c === '_') out.push({ lit: ' ' });
    else if (c === '[') out.push({ bracket: section.slice(i, j + 1) });
    else if (c !== '*') out.push({ code: c, at: i });
    i = j;
  }
  return out;
}

const CONDITION = /\[(<=|>=|<>|<|>|=)\s*(-?[\d.]+)\]/;

function holds(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
    case '=': return a === b;
    default: return a !== b;
  }
}

/** The section that shows v, and whether a minus sign is written before it. */
function pick(all: string[], v: number): [string, boolean] {
  const conds = all.map((s) => CONDITION.exec(s));
  if (conds.some((c) => c)) {
    for (let k = 0; k < all.length; k++) {
      const c = conds[k];
      if (c && holds(c[1]!, v, Number(c[2]))) return [all[k]!, false];
    }
    const rest = all.find((_, k) => !conds[k] && !/@/.test(all[k]!));
    return [rest ?? all[0]!, v < 0];
  }
  const numeric = all.length > 3 ? all.slice(0, 3) : all.filter((s, k) => !(k === all.length - 1 && all.length > 1 && /@/.test(s) && !/[0#?]/.test(s)));
  if (v > 0 || numeric.length === 1) return [numeric[0]!, v < 0];
  if (v < 0) return [numeric[1] ?? numeric[0]!, numeric.length < 2];
  return [numeric[2] ?? numeric[0]!, false];
}

/** A fraction or exponent, an era or another calendar: not rendered here. */
const OTHER = /[eEgGbB/]/;
/** A date or time code outside quotes, escapes and brackets. */
const DATE = /[yYmMdDhHsS]/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** A serial date and time through a date format's section; null where it holds what is not read here. */
function shownDate(section: string, v: number): string | null {
  if (v < 0 || v >= 2958466) return null;
  let days = Math.floor(v);
  let secs = Math.round((v - days) * 86400);
  if (secs >= 86400) {
    secs -= 86400;
    days++;
  }
  // Excel's serial 1 is 1 January 1900, and it counts a 29 February 1900 (serial 60) that was not.
  let y = 1900;
  let mo = 2;
  let d = 29;
  let wd = 3;
  if (days !== 60) {
    const t = new Date(Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * 86400000);
    y = t.getUTCFullYear();
    mo = t.getUTCMonth() + 1;
    d = t.getUTCDate();
    wd = t.getUTCDay();
  }
  const twelve = /AM\/PM|A\/P/i.test(section.replace(/"[^"]*"|\\./g, ''));
  const h24 = Math.floor(secs / 3600);
  const h = twelve ? h24 % 12 || 12 : h24;
  const mi = Math.floor(secs / 60) % 60;
  const sec = secs % 60;
  // Each code run: [code letter, length]; `m` is minutes after an hour or before a second.
  const runs: Array<[string, number] | string> = [];
  const ps = pieces(section);
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k]!;
    if ('lit' in p) runs.push(p.lit);
    else if ('bracket' in p) {
      if (/^\[(?:h+|m+|s+)\]$/i.test(p.bracket)) return null;
    } else {
      const c = p.code;
      const ampm = /^(?:AM\/PM|A\/P)/i.exec(section.slice(p.at))?.[0];
      if (ampm) {
        runs.push(h24 < 12 ? (ampm.length > 3 ? 'AM' : 'A') : ampm.length > 3 ? 'PM' : 'P');
        while (k + 1 < ps.length && 'code' in ps[k + 1]! && (ps[k + 1] as { at: number }).at < p.at + ampm.length) k++;
      } else if (DATE.test(c)) {
        let n = 1;
        while (k + 1 < ps.length && 'code' in ps[k + 1]! && (ps[k + 1] as { code: string }).code.toLowerCase() === c.toLowerCase()) {
          k++;
          n++;
        }
        runs.push([c.toLowerCase(), n]);
      } else if (c === '0' || c === '#' || c === '?' || OTHER.test(c)) return null;
      else runs.push(c);
    }
  }
  const codes = runs.map((r) => (typeof r === 'string' ? '' : r[0])).join('');
  let out = '';
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k]!;
    if (typeof r === 'string') {
      out += r;
      continue;
    }
    const [c, n] = r;
    const before = runs.slice(0, k).reverse().find((x) => typeof x !== 'string') as [string, number] | undefined;
    const after = runs.slice(k + 1).find((x) => typeof x !== 'string') as [string, number] | undefined;
    if (c === 'y') out += n <= 2 ? pad(y % 100, 2) : String(y);
    else if (c === 'm' && n <= 2 && (before?.[0] === 'h' || after?.[0] === 's')) out += pad(mi, n);
    else if (c === 'm') out += n <= 2 ? pad(mo, n) : n === 3 ? MONTHS[mo - 1]!.slice(0, 3) : n === 5 ? MONTHS[mo - 1]![0]! : MONTHS[mo - 1]!;
    else if (c === 'd') out += n <= 2 ? pad(d, n) : n === 3 ? DAYS[wd]!.slice(0, 3) : DAYS[wd]!;
    else if (c === 'h') out += pad(h, Math.min(n, 2));
    else out += pad(sec, Math.min(n, 2));
  }
  return codes ? out : null;
}

/**
 * A text cell through the format, as shown: its text section (the fourth, or
 * a lone section holding `@`) with the text where `@` stands (`"138"@` shows
 * 12345678 as 13812345678); null where the format has no text section (the
 * text is shown as it is).
 */
export function shownText(code: string, text: string): string | null {
  const all = sections(code);
  const section = all.length >= 4 ? all[3]! : all.length === 1 && /@/.test(bare(all[0]!).replace(/1/g, '')) ? all[0]! : null;
  if (section === null) return null;
  let out = '';
  for (const p of pieces(section)) {
    if ('lit' in p) out += p.lit;
    else if ('code' in p) out += p.code === '@' ? text : p.code;
  }
  return out;
}

/** v through the format, as shown; null where the format is not one read here. */
export function shownNumber(code: string, v: number): string | null {
  if (!Number.isFinite(v)) return null;
  const [section, minus] = pick(sections(code), v);
  if (DATE.test(section.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, ''))) return shownDate(section, v);
  const tokens: Token[] = [];
  let percent = 0;
  let thousands = false;
  let scale = 0;
  let seenPh = false;
  let seenDot = false;
  const ps = pieces(section);
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k]!;
    if ('lit' in p) {
      tokens.push({ kind: 'lit', text: p.lit });
      continue;
    }
    if ('bracket' in p) continue;
    const c = p.code;
    if (c === '0' || c === '#' || c === '?') {
      tokens.push({ kind: 'ph', text: c });
      seenPh = true;
    } else if (c === '.' && !seenDot) {
      tokens.push({ kind: 'dot', text: '.' });
      seenDot = true;
    } else if (c === ',') {
      // Between placeholders: a thousands separator; after the last before the point or the end: a scale of 1000.
      const next = ps[k + 1];
      const between = next !== undefined && 'code' in next && /[0#?]/.test(next.code);
      if (seenPh && !seenDot && between) thousands = true;
      else if (seenPh && !seenDot) scale++;
      else tokens.push({ kind: 'lit', text: ',' });
    } else if (c === '%') {
      percent++;
      tokens.push({ kind: 'lit', text: '%' });
    } else if (c === '@') {
      tokens.push({ kind: 'at', text: '' });
    } else if (OTHER.test(c)) {
      return null;
    } else tokens.push({ kind: 'lit', text: c });
  }
  const x = Math.abs(v) * 100 ** percent / 1000 ** scale;
  const dot = tokens.findIndex((t) => t.kind === 'dot');
  const intTokens = dot < 0 ? tokens : tokens.slice(0, dot);
  const fracTokens = dot < 0 ? [] : tokens.slice(dot + 1);
  const places = fracTokens.filter((t) => t.kind === 'ph').length;
  if (!tokens.some((t) => t.kind === 'ph')) {
    // No placeholder: the literal text, the number where `@` is (General).
    return (minus ? '-' : '') + tokens.map((t) => (t.kind === 'at' ? String(v) : t.text)).join('');
  }
  if (x >= 1e21) return null;
  const fixed = x.toFixed(places);
  const [intPart, fracPart = ''] = fixed.split('.');
  let digits = intPart === '0' ? '' : intPart!;
  if (thousands) digits = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  // Integer placeholders from the right take the digits from the right; the leftmost takes what is left.
  const phs = intTokens.map((t, k) => (t.kind === 'ph' ? k : -1)).filter((k) => k >= 0);
  const shown = intTokens.map((t) => (t.kind === 'at' ? String(v) : t.kind === 'ph' ? '' : t.text));
  let left = digits;
  for (let p = phs.length - 1; p >= 0; p--) {
    const k = phs[p]!;
    const ph = intTokens[k]!.text;
    if (p === 0) shown[k] = left || (ph === '0' ? '0' : ph === '?' ? ' ' : '');
    else if (left) {
      // A thousands separator travels with the digit before it.
      let take = 1;
      if (left.length >= 2 && left[left.length - 2] === ',') take = 2;
      shown[k] = left.slice(-take);
      left = left.slice(0, -take);
    } else shown[k] = ph === '0' ? '0' : ph === '?' ? ' ' : '';
  }
  let frac = '';
  if (dot >= 0) {
    let f = fracPart;
    let q = 0;
    // Trailing zeros where the placeholder is # are not shown (? shows a space).
    const fracPhs = fracTokens.filter((t) => t.kind === 'ph').map((t) => t.text);
    let keep = f.length;
    while (keep > 0 && f[keep - 1] === '0' && fracPhs[keep - 1] !== '0') keep--;
    f = f.slice(0, keep) + fracPhs.slice(keep).map((p) => (p === '?' ? ' ' : '')).join('');
    frac = '.';
    for (const t of fracTokens) {
      if (t.kind === 'ph') frac += f[q++] ?? '';
      else frac += t.kind === 'at' ? String(v) : t.text;
    }
  }
  return (minus ? '-' : '') + shown.join('') + frac;
}
