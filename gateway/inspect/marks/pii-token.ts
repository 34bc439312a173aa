import { bankCardIssuer, isEmail, isMobile, isResidentId, isResidentId15, isUscc, luhn, residentIdCheck, residentIdPlausible, usccShape } from './pii-checks.js';

// Identifiers inside one token of [a-z0-9._%+-@] (folded ASCII): digit runs
// (resident id, mobile, bank card), 18-character alphanumeric runs (credit
// code) and addresses around each '@'. Works on bytes; a string is made only
// for a candidate. A number is taken whole, never out of a longer run.

/** seldom: a mobile number in a grouping people seldom write one in (SELDOM), which rows of a table make as often, or a 15-digit first-generation id number: reported where a phone (an id) is named before it or over its column (amount-context.ts isPhoneAt, isResidentIdAt). */
export type Report = (subkind: string, start: number, value: string, seldom?: boolean) => void;

/**
 * Where identifiers go. `report`: a value that stands on its own evidence.
 * `weigh`: a value whose check passes by chance 1 time in 10 or 11 (a Luhn
 * digit, an id number's check in groups apart, a credit code), with `ok`
 * false for one in the same shape and range whose check fails: the content
 * is judged by how many of its kind pass (text-scanner.ts), so that a table
 * of region codes, dates and counts or of order numbers is not a register.
 */
export interface IdSink {
  report: Report;
  weigh(subkind: string, start: number, value: string, ok: boolean): void;
}

/** flags bit 4: the token has a group separator ('-', or a space (' ') or line break ('\\n') the scanner joined). */
export const GROUPED = 4;
const MAX_GROUPS = 8;

/**
 * Numbers written in groups, as people write them, or cut by a line break:
 * 138-1234-5678, +86 138 1234 5678, 110105 19491231 002X, 6222 0202 0011
 * 2233 445, an id number whose CSV cell was broken over two lines. Only the
 * shapes people write are joined (a table of numbers separated by spaces
 * does not make identifiers out of its neighbouring cells); a line break
 * joins two pieces of an id number only, whose check digit, date and region
 * vouch for it.
 */
const SHAPES: Record<string, string[]> = {
  // 6-8-4 as the parts are (region, birth date, sequence and check), 6-4-4-4 and 3-3-4-4-4 as forms and cards print it.
  'cn-resident-id': ['6,8,4', '6,12', '6,8,3x', '6,11x', '6,4,4,4', '6,4,4,3x', '3,3,4,4,4', '3,3,4,4,3x'],
  'cn-mobile': ['3,4,4', '3,8', '2,3,4,4', '2,11', '2,3,8'],
  'bank-card': ['4,4,4,4', '4,4,4,4,1', '4,4,4,4,2', '4,4,4,4,3', '6,10', '6,13'],
};
/**
 * Mobile numbers as some write them, `1381 234 5678`, `138 12 34 56 78`
 * (third red team, 30 Nov): the whole run of groups, no line break, and a
 * phone named before it (Report). A row of a table (a year and two counts, a
 * 3-digit row number and four scores) has these shapes as often.
 */
const SELDOM = ['4,3,4', '3,2,2,2,2'];

function grouped(t: Buffer, n: number, sink: IdSink): void {
  const starts: number[] = [];
  const ends: number[] = [];
  const fails: Array<[string, string]> = [];
  const flush = (): void => {
    for (let a = 0; a < starts.length - 1; ) {
      // The longest identifier that starts at group a; its groups are not read again (no mobile number out of an id).
      let v = '';
      let shape = '';
      let breaks = 0;
      let best: [string, string, number, boolean] | null = null;
      // Shapes whose check fails: weighed only when no longer one from the same group passes (6222 0202 0011 0000 7
      // is one card, not a card beside the look-alike its first sixteen digits make).
      fails.length = 0;
      for (let b = a; b < starts.length; b++) {
        v += t.toString('latin1', starts[b]!, ends[b]!);
        shape += `${b === a ? '' : ','}${ends[b]! - starts[b]!}`;
        if (b > a && t[starts[b]! - 1] === 0x0a) breaks++;
        if (v.length > 19) break;
        if (b === a) continue;
        const x = v.length === 17 && t[ends[b]!] === 0x78;
        const id = x ? `${v}x` : v;
        const shaped = (kind: string): boolean => breaks === 0 && SHAPES[kind]!.includes(x && kind === 'cn-resident-id' ? `${shape}x` : shape);
        if (id.length === 18 && (shaped('cn-resident-id') || (breaks === 1 && b === a + 1)) && residentIdPlausible(id)) {
          if (residentIdCheck(id)) best = ['cn-resident-id', id, b, false];
          else fails.push(['cn-resident-id', id]);
        } else if (v.length === 11 && breaks === 0 && a === 0 && b === starts.length - 1 && SELDOM.includes(shape) && isMobile(v)) {
          best = ['cn-mobile', v, b, true];
        } else if (!shaped('cn-mobile')) {
          if (v.length >= 16 && shaped('bank-card') && bankCardIssuer(v)) {
            if (luhn(v)) best = ['bank-card', v, b, false];
            else fails.push(['bank-card', v]);
          }
        } else if (v.length === 11 && isMobile(v)) best = ['cn-mobile', v, b, shape === '3,8' && isDate8(v, 3)];
        else if (v.length === 13 && v.startsWith('86') && isMobile(v.slice(2))) best = ['cn-mobile', v.slice(2), b, false];
      }
      if (!best) {
        for (const [kind, v] of fails) sink.weigh(kind, starts[a]!, v, false);
        a++;
        continue;
      }
      // Mobile numbers have no check: a shape people write them in is their evidence.
      if (best[0] === 'cn-mobile') sink.report(best[0], starts[a]!, best[1], best[3]);
      else sink.weigh(best[0], starts[a]!, best[1], true);
      a = best[2] + 1;
    }
    starts.length = 0;
    ends.length = 0;
  };
  let i = 0;
  while (i < n) {
    const c = t[i]!;
    if (c < 0x30 || c > 0x39) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && t[j]! >= 0x30 && t[j]! <= 0x39) j++;
    // Joined to the previous group by exactly one separator?
    const sep = t[i - 1];
    if (starts.length && (i - ends[ends.length - 1]! !== 1 || (sep !== 0x2d && sep !== 0x20 && sep !== 0x0a) || starts.length >= MAX_GROUPS)) flush();
    starts.push(i);
    ends.push(j);
    i = j;
  }
  flush();
}

/**
 * A mobile number as `138 12345678` whose 8 digits are a date (YYYYMMDD, 1900
 * to 2099) is a size or a count beside a date far more often (`ls -l
 * --time-style=+%Y%m%d`: `132 20250407`), and a mobile number's last eight
 * digits read as such a date about 1 time in 1,400: written so, it needs a
 * phone named, like the groupings in SELDOM.
 */
function isDate8(v: string, at: number): boolean {
  const y = Number(v.slice(at, at + 4));
  const m = Number(v.slice(at + 4, at + 6));
  const d = Number(v.slice(at + 6, at + 8));
  return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Where a number may start in the digit run t[i, j) that follows a '%': past
 * the escape's two hex digits, and past every `25` before them (a percent
 * sign escaped again: `%252525…25E6` is one escape nested, whose run of `25`
 * read as a number was a card in the 2-series range, 30 Nov). `%2013812345678`
 * is a space and a mobile number, as a decoder reads it.
 */
function afterEscape(t: Buffer, i: number, j: number): number {
  let k = i;
  while (k + 1 < j && t[k] === 0x32 && t[k + 1] === 0x35) k += 2;
  return Math.min(j, k + 2);
}

/**
 * Digits dialled before a mobile number in a run of `len` digits at t[i], as call records and phone bills print
 * them (seventh red team, 1 Dec, R26): the trunk prefix `0` (a landline dialling a mobile of another city,
 * 013812345678), the international `0086`, and the IP-call prefixes of the carriers (17951 and 12593 of China
 * Mobile, 17911 and 10193 of China Unicom, 17901 and 17909 of China Telecom). Their length, or 0.
 */
function dialPrefix(t: Buffer, i: number, len: number): number {
  const at = (s: string): boolean => t.toString('latin1', i, i + s.length) === s;
  if (len === 12 && t[i] === 0x30 && t[i + 1] === 0x31) return 1;
  if (len === 15 && at('0086')) return 4;
  if (len === 16 && (at('17951') || at('12593') || at('17911') || at('10193') || at('17901') || at('17909'))) return 5;
  return 0;
}

/** A token of 16 hex digits or more with letters among them: a digest or a key, whose digit runs are no identifiers. */
function isDigest(t: Buffer, n: number): boolean {
  if (n < 16) return false;
  let letter = false;
  for (let i = 0; i < n; i++) {
    const c = t[i]!;
    if (c >= 0x61 && c <= 0x66) letter = true;
    else if (c < 0x30 || c > 0x39) return false;
  }
  return letter;
}

/** A UUID (8-4-4-4-12 hex digits): its last group holds an 11-digit run once in a few thousand (`…-a13412348564`). */
function isUuid(t: Buffer, n: number): boolean {
  if (n !== 36 || t[8] !== 0x2d || t[13] !== 0x2d || t[18] !== 0x2d || t[23] !== 0x2d) return false;
  for (let i = 0; i < n; i++) {
    const c = t[i]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c === 0x2d && (i === 8 || i === 13 || i === 18 || i === 23)))) return false;
  }
  return true;
}

/**
 * Is the digit run t[i, j), touching a hex letter, part of a digest or a UUID
 * that stands between the token's joined separators (a hash list's line
 * `<sha1> 353145` joined to the next by its line break)?
 */
function inHexWord(t: Buffer, n: number, i: number, j: number): boolean {
  const hex = (c: number | undefined): boolean => c !== undefined && c >= 0x61 && c <= 0x66;
  if (!hex(t[i - 1]) && !hex(t[j])) return false;
  let a = i;
  while (a > 0 && t[a - 1] !== 0x20 && t[a - 1] !== 0x0a) a--;
  let b = j;
  while (b < n && t[b] !== 0x20 && t[b] !== 0x0a) b++;
  const piece = t.subarray(a, b);
  return isDigest(piece, b - a) || isUuid(piece, b - a);
}

/**
 * A whole number written in scientific notation: `1.3812345678E10` is how Java's Double.toString (Apache POI's
 * numeric cells, a Java CSV export), JSON floats (`1.3812345678e+10`) and Excel's CSV of a cell too narrow write
 * 13812345678 (red team, 1 Dec c, R1). Read where the exponent places the decimal point at or past the last digit
 * that is not zero, so the number is whole; an 18-digit id loses digits in a double, so only mobiles and
 * 15-digit ids come back whole, and an id that does come back must still pass its check.
 */
function scientific(t: Buffer, n: number, report: Report): void {
  const digit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
  for (let i = 0; i + 3 < n; i++) {
    if (!digit(t[i]) || t[i + 1] !== 0x2e || digit(t[i - 1]) || t[i - 1] === 0x2e) continue;
    let f = i + 2;
    while (f < n && digit(t[f])) f++;
    if (f === i + 2 || (t[f] !== 0x65 && t[f] !== 0x45)) continue;
    let e = f + 1;
    if (t[e] === 0x2b) e++;
    let k = e;
    while (k < n && digit(t[k]) && k - e < 3) k++;
    if (k === e || digit(t[k])) continue;
    const exp = Number(t.toString('latin1', e, k));
    const frac = t.toString('latin1', i + 2, f);
    if (!/^0*$/.test(frac.slice(exp))) continue;
    const v = t.toString('latin1', i, i + 1) + frac.slice(0, exp) + '0'.repeat(Math.max(0, exp - frac.length));
    if (v.length === 11 && isMobile(v)) report('cn-mobile', i, v);
    else if (v.length === 15 && isResidentId15(v)) report('cn-resident-id', i, v, true);
    else if (v.length === 18 && isResidentId(v)) report('cn-resident-id', i, v);
    i = k - 1;
  }
}

export function findIdentifiers(t: Buffer, n: number, digits: number, flags: number, sink: IdSink): void {
  const report = sink.report;
  const str = (a: number, b: number): string => t.toString('latin1', a, b);
  // (a SHA-256 sum holds a run like 19998262628 once in a few hundred)
  if (digits >= 11 && (isDigest(t, n) || isUuid(t, n))) return;
  let idAt = -1;
  if (digits >= 11) {
    for (let i = 0; i < n; ) {
      if (t[i]! < 0x30 || t[i]! > 0x39) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && t[j]! >= 0x30 && t[j]! <= 0x39) j++;
      if (i > 0 && t[i - 1] === 0x25) {
        // Digits after '%' are a percent-escape's, not a number's (below).
        i = afterEscape(t, i, j);
        if (i >= j) continue;
      }
      const len = j - i;
      if (len >= 11 && inHexWord(t, n, i, j)) {
        i = j;
        continue;
      }
      if (len === 18 || (len === 17 && t[j] === 0x78)) {
        const v = str(i, i + 18);
        if (isResidentId(v)) {
          report('cn-resident-id', i, v);
          idAt = i;
          i = i + 18;
          continue;
        }
      }
      const dialled = len >= 12 ? dialPrefix(t, i, len) : 0;
      if (dialled && isMobile(str(i + dialled, j))) {
        // A mobile number behind the prefixes dialled before it, as call records and phone bills print them.
        // The trunk 0 alone is a serial's first digit as often (`流水 013812345678`): reported where a phone is named.
        report('cn-mobile', i, str(i + dialled, j), dialled === 1);
      } else if (len === 15) {
        // A first-generation id: no check digit, so named (seldom: the scanner asks for an id's name before it or over its column).
        const v = str(i, j);
        if (isResidentId15(v)) report('cn-resident-id', i, v, true);
      } else if (len === 11 || (len === 13 && t[i] === 0x38 && t[i + 1] === 0x36)) {
        // 8613812345678 (+86 and the number) is a mobile number too.
        const v = str(len === 13 ? i + 2 : i, j);
        if (isMobile(v)) report('cn-mobile', i, v);
      } else if (len >= 16 && len <= 19) {
        const v = str(i, j);
        if (bankCardIssuer(v)) sink.weigh('bank-card', i, v, luhn(v));
      }
      i = j;
    }
  }
  if (digits >= 11) scientific(t, n, report);
  if (digits >= 11 && (flags & 4) !== 0) grouped(t, n, sink);
  // 138.1234.5678, the token whole (not the end of a dotted run: an OID, a version).
  if (digits === 11 && n === 13 && t[3] === 0x2e && t[8] === 0x2e) {
    const v = str(0, 3) + str(4, 8) + str(9, 13);
    if (isMobile(v)) report('cn-mobile', 0, v);
  }
  if (digits >= 6 && n >= 18) {
    for (let i = 0; i < n; ) {
      let j = i;
      while (j < n && ((t[j]! >= 0x30 && t[j]! <= 0x39) || (t[j]! >= 0x61 && t[j]! <= 0x7a))) j++;
      if (j - i === 18 && i !== idAt) {
        const v = str(i, j);
        if (usccShape(v)) sink.weigh('uscc', i, v, isUscc(v));
      }
      i = j === i ? i + 1 : j;
    }
  }
  if (flags & 1) {
    for (let p = 0; p < n; p++) {
      if (t[p] !== 0x40) continue;
      let a = p;
      while (a > 0 && t[a - 1] !== 0x40) a--;
      let b = p + 1;
      while (b < n && t[b] !== 0x40 && t[b] !== 0x25 && t[b] !== 0x2b && t[b] !== 0x5f) b++;
      while (a < p && (t[a] === 0x2e || t[a] === 0x2d || t[a] === 0x5f || t[a] === 0x25 || t[a] === 0x2b)) a++;
      while (b > p + 1 && (t[b - 1] === 0x2e || t[b - 1] === 0x2d)) b--;
      const v = str(a, b);
      if (isEmail(v)) report('email', a, v);
    }
  }
}
