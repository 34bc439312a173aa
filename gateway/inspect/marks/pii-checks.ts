// Validators for personal data found in text, and the masks that make a
// sample safe to log. Inputs are ASCII, already folded to lower case.

// GB 11643-1999 §5 (resident identity number): 6-digit address code,
// 8-digit birth date, 3-digit sequence, check digit by ISO 7064 MOD 11-2.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10x98765432';
// First two digits of the GB/T 2260 address code: provinces, autonomous
// regions and municipalities (plus 71 Taiwan, 81/82 Hong Kong/Macao, 83 as
// issued to residents of Taiwan on residence permits).
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]);

export function isResidentId(s: string, nowYear = new Date().getUTCFullYear()): boolean {
  return residentIdCheck(s) && residentIdPlausible(s, nowYear);
}

/** The ISO 7064 MOD 11-2 check character of 18 characters (17 digits and the check, lower-case x). */
export function residentIdCheck(s: string): boolean {
  if (s.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * ID_WEIGHTS[i]!;
  }
  return s[17] === ID_CHECK[sum % 11];
}

/**
 * The parts that are not the check: a province code, and a birth date that
 * is a real date, not in the future, after 1900 (a random 18-digit run passes
 * the check 1 time in 11; these make it about 1 in 2,500). A row of other
 * numbers in the shape of an id (a region code, a date and a count) passes
 * these; the check tells it apart in 10 rows of 11.
 */
export function residentIdPlausible(s: string, nowYear = new Date().getUTCFullYear()): boolean {
  if (s.length !== 18) return false;
  if (!PROVINCES.has(Number(s.slice(0, 2)))) return false;
  // The prefecture (GB/T 2260): 01-59 in use and retired (Guangdong's reach 53), 90 for county-level cities
  // ruled by the province, 00 for Taiwan, Hong Kong and Macao. A window of pairs in minified JavaScript,
  // 328080202002027020, was an id of Jiangsu's prefecture 80.
  const pref = Number(s.slice(2, 4));
  if (pref > 59 && pref !== 90) return false;
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (!(y >= 1900 && y <= nowYear && m >= 1 && m <= 12 && d >= 1)) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/**
 * A first-generation resident identity number (GB 11643-1989, issued until
 * 2004 and still in old household, social-security and pension registers):
 * 15 digits, the address code, the birth date as YYMMDD in the 1900s and a
 * 3-digit sequence, no check. About 1 random 15-digit run in 500 is so
 * shaped, so it is read only where an id is named before it or over its
 * column (amount-context.ts isResidentIdAt).
 */
export function isResidentId15(s: string): boolean {
  return s.length === 15 && /^\d{15}$/.test(s) && residentIdPlausible(`${s.slice(0, 6)}19${s.slice(6)}0`);
}

/**
 * The first three digits of an 11-digit mobile number in use (MIIT numbering
 * plan: the three carriers, China Broadnet, virtual operators' 162/165/167/170/171,
 * data cards' 145/147/149, Tiantong satellite's 174). Not 140-144, 146 and 148
 * (the Internet of Things', 13 digits long), nor 154, 160, 161, 163, 164, 168,
 * 169, 179 and 194 (unallocated): an Intel workaround id `Wa_14010477008` in
 * the kernel's changelog was a mobile number.
 */
const MOBILE_PREFIXES = new Set([
  ...range(130, 139), 145, 147, 149, 150, 151, 152, 153, 155, 156, 157, 158, 159,
  162, 165, 166, 167, ...range(170, 178), ...range(180, 189), 190, 191, 192, 193, ...range(195, 199),
]);

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/**
 * Mainland mobile numbers: 11 digits, a prefix in use (above), and not a
 * whole number of MiB: 13, 14, 16, 17 and 18 GiB in bytes have a mobile's
 * prefix (17179869184 is 2^34, 16 GiB: a k8s memory limit, `docker info`,
 * a table of powers of two, third red team of 30 Nov). One mobile number in
 * 2^20 is such a multiple; memory sizes and limits in bytes mostly are (a
 * file's size in bytes is not: a key or a column names it, amount-context.ts).
 */
export function isMobile(s: string): boolean {
  return s.length === 11 && s.charCodeAt(0) === 0x31 && /^\d{11}$/.test(s) && MOBILE_PREFIXES.has(Number(s.slice(0, 3))) && Number(s) % MIB !== 0;
}
const MIB = 1024 * 1024;

/** ISO/IEC 7812 Luhn check. */
export function luhn(s: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = s.length - 1; i >= 0; i--) {
    let d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/**
 * 16–19 digits in an issuer range that issues cards of that length in China
 * (ISO/IEC 7812 IINs): UnionPay 62 (16–19), 60 and 95 (domestic, 16–19: ICBC's 9558,
 * ABC's 9559; not all of 9, where 2^63 (9223372036854775808) in a changelog and
 * 99999999999999990001 in a big-number library were cards), Visa
 * 4 (16 or 19), Mastercard 51–55 and 2221–2720 (16), JCB 3528–3589 (16–19).
 * The Luhn check is apart (bankCardIssuer and luhn), so that a table of
 * numbers in such ranges that fail it can be told from a list of cards.
 */
export function bankCardIssuer(s: string): boolean {
  const n = s.length;
  if (n < 16 || n > 19 || !/^\d+$/.test(s)) return false;
  const p2 = Number(s.slice(0, 2));
  const p4 = Number(s.slice(0, 4));
  if (p2 === 62 || p2 === 60 || p2 === 95) return true;
  if (s[0] === '4') return n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  return p4 >= 3528 && p4 <= 3589;
}

export function isBankCard(s: string): boolean {
  return bankCardIssuer(s) && luhn(s);
}

// GB 32100-2015 unified social credit code: 18 characters over 31 symbols
// (no I, O, Z, S, V), check character by weighted sum mod 31 (§4.3, appendix
// B); characters 9–17 are the GB 11714 organisation code with its own check.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The shape of a credit code without its checks: a registering authority, 17 characters of its alphabet, a 6-digit division code. */
export function usccShape(raw: string): boolean {
  if (raw.length !== 18) return false;
  const s = raw.toUpperCase();
  if (!'123456789ABCDEFGNY'.includes(s[0]!)) return false;
  for (let i = 0; i < 18; i++) if (USCC_ALPHABET.indexOf(s[i]!) < 0) return false;
  return /^\d{6}$/.test(s.slice(2, 8));
}

export function isUscc(raw: string): boolean {
  if (raw.length !== 18) return false;
  const s = raw.toUpperCase();
  if (!'123456789ABCDEFGNY'.includes(s[0]!)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(s[i]!);
    if (v < 0) return false;
    sum += v * USCC_WEIGHTS[i]!;
  }
  const c = (31 - (sum % 31)) % 31;
  if (s[17] !== USCC_ALPHABET[c]) return false;
  if (!/^\d{6}$/.test(s.slice(2, 8))) return false; // GB/T 2260 administrative division code
  // GB 11714 check over the organisation code (characters 9–17).
  let osum = 0;
  for (let i = 0; i < 8; i++) osum += ORG_ALPHABET.indexOf(s[8 + i]!) * ORG_WEIGHTS[i]!;
  const oc = 11 - (osum % 11);
  const ocChar = oc === 10 ? 'X' : oc === 11 ? '0' : String(oc);
  return s[16] === ocChar;
}

const EMAIL = /^[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*\.[a-z]{2,24}$/;
export function isEmail(s: string): boolean {
  return s.length <= 254 && EMAIL.test(s);
}

// Masks. Enough is kept to recognise a record during an investigation
// (region, issuer, domain), never enough to re-identify the person.
function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

export function maskSample(subkind: string, s: string): string {
  switch (subkind) {
    case 'cn-resident-id':
      // (18 characters, or 15 of a first-generation number)
      return s.slice(0, 3) + stars(s.length - 5) + s.slice(-2).toUpperCase();
    case 'cn-mobile':
      return s.slice(0, 3) + stars(4) + s.slice(7);
    case 'bank-card':
      return s.slice(0, 4) + stars(s.length - 8) + s.slice(-4);
    case 'uscc':
      return s.slice(0, 2).toUpperCase() + stars(14) + s.slice(16).toUpperCase();
    case 'email': {
      const at = s.indexOf('@');
      return s[0] + stars(Math.max(1, at - 1)) + s.slice(at);
    }
    default:
      return stars(s.length);
  }
}
