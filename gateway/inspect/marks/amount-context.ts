// Is an 11-digit number that looks like a mobile number one? Mobile numbers
// have no check digit: 1[3-9] and 11 digits is all they carry, and so do
// amounts in fen of 130 million yuan and more, byte counts and sizes, and the
// serial numbers of a bank statement or a log (a `流水号` column, `req=`,
// third red team of 30 Nov). The context says which: the key before the
// number on its line (amount=, "total_fen":, 金额：, memory:, req=, 流水号：)
// or the name of its column in the content's first line (a CSV, a
// tab-separated table, or columns apart by spaces as `df` prints them). A key
// or column that names a phone (手机, 电话, mobile, tel) is read whatever else
// it says (`account_phone`, `mobile_no`). Byte sizes without a key (a table
// of powers of two, `2^34 = 17179869184`) are told by their value
// (pii-checks.ts isMobile).
//
// What it leaves: a sender who writes `req=` or a `流水号` column before
// real mobile numbers gets them across, as with `amount=` before: the key
// is the only evidence there is that the number is not one.

/** Names of an amount, a size or a serial (substrings, as before: `amount_fen`, `1B-blocks`, `total_memory`, `流水号`). */
const OTHER = /amount|amt|fen|yuan|price|total|sum|balance|fee|cost|money|paid|size|bytes|blocks|used|avail|count|qty|quantity|memory|capacity|quota|storage|金额|价格|费用|余额|数量|字节|大小|总额|内存|容量|流水|单号|编号|序号|订单|交易号|凭证|批次|工单|票号|发票/i;
/** Words of a key that name a size, a limit or a serial number (whole words: `mem` is not in `member`). */
const OTHER_WORDS = new Set(['mem', 'ram', 'heap', 'rss', 'vsz', 'disk', 'limit', 'limits', 'len', 'length', 'offset', 'id', 'ids', 'seq', 'sequence', 'serial', 'sn', 'req', 'request', 'trace', 'span', 'txn', 'tx', 'transaction', 'order', 'ref', 'reference', 'ticket', 'invoice', 'batch', 'job', 'task', 'msg', 'message', 'event', 'pid', 'tid', 'nonce']);
/** Words of a key that may name a person's number whatever else they say (`user_id`, `account_no`): not a serial's. */
const PERSON_WORDS = new Set(['user', 'usr', 'uid', 'account', 'acct', 'login', 'member', 'customer', 'cust', 'client', 'owner', 'person', 'holder', 'name', 'contact']);
/** Names of a phone number. */
export const PHONE = /phone|mobile|msisdn|手机|电话|联系|(?:^|[^a-z])(?:tel|cell|mob)(?:$|[^a-z])/i;
const KEY_BEFORE = /([A-Za-z_\u4e00-\u9fff]+)["']?\s*[=:：]\s*["']?$/;

/** A line apart by a table's separator (two of them at least). */
const SEPARATED = /,.*,|\t.*\t|;.*;/;
/** Lines looked at for a header below a file's title (a bank's export: its name, the account, the dates). */
const PREAMBLE = 8;

/**
 * The header line of a table: the first line, when it holds names and no
 * long numbers; or, when the first line is no table's header (a title, `账号：
 * 6214…`), the first of the next PREAMBLE lines that names columns apart by
 * a separator.
 */
export function headerLine(s: string): string {
  const lines = s.slice(0, 8192).split('\n', PREAMBLE + 2).map((l) => l.replace(/\r$/, ''));
  const names = (l: string): boolean => l.length <= 1024 && !/\d{6}/.test(l);
  const first = lines[0]!;
  if (names(first) && SEPARATED.test(first)) return first;
  // (The last line split may be cut by the chunk's end.)
  for (let k = 1; k < lines.length - 1; k++) if (names(lines[k]!) && SEPARATED.test(lines[k]!)) return lines[k]!;
  return names(first) ? first : '';
}

/** What a key or a column's name says of an 11-digit number under it: a phone's, something else's (an amount, a size, a serial), or nothing. */
function named(name: string): 'phone' | 'other' | null {
  if (PHONE.test(name)) return 'phone';
  if (OTHER.test(name)) return 'other';
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/);
  if (words.some((w) => PERSON_WORDS.has(w))) return null;
  return words.some((w) => OTHER_WORDS.has(w)) ? 'other' : null;
}

/** The name of the column of s[q] (s's line from ls) in the header, if the header names columns. */
function columnName(s: string, ls: number, q: number, header: string): string | undefined {
  const prefix = s.slice(ls, q);
  for (const sep of [',', '\t', ';']) {
    if (!header.includes(sep)) continue;
    return header.split(sep)[prefix.split(sep).length - 1];
  }
  // Columns apart by spaces: the column's name is the header's word at the same index.
  const col = prefix.trim() === '' ? 0 : prefix.trimEnd().split(/\s+/).length;
  return header.trim().split(/\s+/)[col];
}

/**
 * Does the number at s[q] stand where something else than a mobile number
 * does (after a key, or in a column, that names an amount, a size or a serial)?
 */
export function isAmountAt(s: string, q: number, header: string): boolean {
  const ls = s.lastIndexOf('\n', q - 1) + 1;
  if (writtenAsOther(s, q, ls)) return true;
  const key = KEY_BEFORE.exec(s.slice(Math.max(ls, q - 32), q));
  if (key) return named(key[1]!) === 'other';
  if (!header) return false;
  const name = columnName(s, ls, q, header);
  return name !== undefined && named(name) === 'other';
}

/** A currency before the number: `¥13812345678.00`, `人民币13812345678元`, `RMB 13812345678`, `USD 13812345678` (and its ISO code as ODF writes it beside the value: F9). */
const CURRENCY_BEFORE = /(?:[¥￥$€£]|人民币|美元|港币|港元|欧元|RMB|CNY)\s*$/i;
/** ISO 4217 codes in capitals only (`amateur 138…` is no euro; ODF's `currencyUSD` joined in the side view is). */
const CURRENCY_CODE_BEFORE = /(?:USD|HKD|EUR|GBP|JPY|MOP|TWD)\s*$/;
/** A word of an account before it on its line, a few characters before at most: `收入13812345678元`, `总资产(元): 18612345678.50`. */
const ACCOUNT_BEFORE = /(?:收入|支出|合计|总计|小计|预算|决算|资产|负债|利润|营收|成本|拨款|经费|支付|付款|收款|结余|投资|产值|税额)([^\d\n]{0,8})$/;
/** Between an account's word and the number: a person or an account is named (`付款人`, `收款账号`, `支付宝账号`), not a sum. */
const PERSON_BETWEEN = /[人方者户号账帐宝名]|微信|用户|会员|联系|ID/i;
/** A position or a duration before it: `position 13812345678`, `offset 13812345678`, `took 13912345678 ns`. */
const MEASURE_BEFORE = /(?:^|[^A-Za-z])(?:position|pos|offset|seek|took|elapsed|duration)\s*$/i;
/** After its 11 digits: a yuan unit (`13812345678元`, `15812345678.36 元`), cents (`.00`), a time or size unit (`ns`, `bytes`). */
const UNIT_AFTER = /^\d{11}(?:(?:\.\d{1,2})?\s*(?:元|万元|亿元|圆)|\.\d{2}(?![\d.])|\s*(?:ns|us|µs|ms|bytes?|KiB|MiB|GiB)(?![A-Za-z]))/;
/** A literal of another base: `0x13812345678`, `0o17777777777`, `0b…`, `&H…`. */
const RADIX_BEFORE = /(?:0[xXoObB]|&[Hh])$/;
/**
 * The digits after a number's decimal point, among other decimal numbers: an SVG path's `0.13812345678 2.5`, a
 * row of readings (ninth red team F4: drawings written with 11 decimals were refused cn-mobile). A lone
 * `0.13812345678` (a register's cell) is still read as the mobile it may disguise. `+86.` and `0086.` are left
 * out: a country code.
 */
const FRACTION_BEFORE = /\d\.$/;
/** Another decimal number just before (`2.5 0.`, `2.5,0.`, a path's `2.5 L 0.`) or just after (`…678 2.5`, `…678,-0.5`, `…678 L 2.5`). */
const DECIMAL_BEFORE = /\d\.\d+[\s,]+(?:[A-Za-z][\s,]*)?[-+]?\d+\.$/;
const DECIMAL_AFTER = /^\d{11}[\s,]+(?:[A-Za-z][\s,]*)?[-+]?\d*\.\d/;
const COUNTRY_CODE_BEFORE = /(?:\+|(?:^|\D)00)86\.$/;
/**
 * An ODF spreadsheet's currency cell (ninth red team F9): its number is written in `office:value` beside
 * `office:value-type="currency"`, and the sheet shows it as the amount it is (`$13,812,345,678.00`). Read in the
 * content and in the tag's own line of the side view (text-views.ts). A phone book's cells are `float`, and read.
 */
const ODF_VALUE_BEFORE = /office:value="$/;
const ODF_CURRENCY_CELL = /office:value-type="currency"[^<>]*office:value="$/;

/**
 * The number at s[q] is written as an amount, a measure or a literal of another base (red team 1 Dec (c) G3,
 * G6, G7): a currency or an account's word before it, a unit or cents after it, a radix prefix. A phone's
 * word before it (`手机 13812345678元`) outweighs them all.
 */
function writtenAsOther(s: string, q: number, ls: number): boolean {
  const before = s.slice(Math.max(ls, q - 24), q);
  if (PHONE.test(before)) return false;
  if (RADIX_BEFORE.test(before) || CURRENCY_BEFORE.test(before) || CURRENCY_CODE_BEFORE.test(before) || MEASURE_BEFORE.test(before)) return true;
  if (FRACTION_BEFORE.test(before) && !COUNTRY_CODE_BEFORE.test(before) && (DECIMAL_BEFORE.test(before) || DECIMAL_AFTER.test(s.slice(q, q + 40)))) return true;
  if (ODF_VALUE_BEFORE.test(before) && ODF_CURRENCY_CELL.test(s.slice(Math.max(ls, q - 400), q))) return true;
  const account = ACCOUNT_BEFORE.exec(before);
  if (account) return !PERSON_BETWEEN.test(account[1]!);
  return UNIT_AFTER.test(s.slice(q, q + 24));
}

/**
 * Is the number at s[q] named a phone: a phone's word in the 24 characters
 * before it on its line (`电话 1381 234 5678`, `Tel. `), or its column's
 * name? For the groupings people seldom write a mobile number in
 * (pii-token.ts), which a table of numbers makes as often.
 */
export function isPhoneAt(s: string, q: number, header: string): boolean {
  return namedAt(PHONE, s, q, header);
}

/** Does a cell or a key name a phone (`联系电话`, `mobile`)? For a worksheet's digit boxes (documents/sheet-book.ts). */
export function namesPhone(name: string): boolean {
  return PHONE.test(name);
}

/** Does `names` match a word in the 24 characters before s[q] on its line, or the name of its column? */
function namedAt(names: RegExp, s: string, q: number, header: string): boolean {
  const ls = s.lastIndexOf('\n', q - 1) + 1;
  if (names.test(s.slice(Math.max(ls, q - 24), q))) return true;
  if (!header) return false;
  const name = columnName(s, ls, q, header);
  return name !== undefined && names.test(name);
}

/** Names of a resident identity number (a register's 身份证号 column, `idcard=`). */
const RESIDENT_ID = /身份证|证件号|身份号|公民身份|idcard|id_card|id-card|id_no|idno|id number|sfz|identity|citizen/i;

/** Does a key or a column's name name a resident id (`idcard`, `身份证号`)? */
export function namesResidentId(name: string): boolean {
  return RESIDENT_ID.test(name);
}

/**
 * Is the number at s[q] named a resident id: an id's word in the 24 characters before it on its line
 * (`身份证：110105491231002`), or its column's name? For first-generation ids of 15 digits, which have no check.
 */
export function isResidentIdAt(s: string, q: number, header: string): boolean {
  return namedAt(RESIDENT_ID, s, q, header);
}

/** Characters of the previous chunk's last line put before a line that starts there. */
const LINE_MAX = 1024;

/**
 * Where a byte offset of the content is in the text being scanned: the
 * scanner's tokens carry byte offsets, the context is read in the decoded
 * chunk. One cursor, moved from the last place asked (numbers are asked for
 * in order, so a chunk is walked once); an ASCII chunk is a byte a character.
 * A line cut by a chunk's end is read whole: the previous chunk's last line
 * is put before it (a 1.3 MB statement sent in 4 KiB chunks had 77 serials
 * under its 流水号 column read as mobile numbers, their columns counted from
 * the chunk's start), and a number that starts in the previous chunk is
 * found there.
 */
export class ChunkPlaces {
  #s = '';
  #at = 0;
  #ascii = false;
  #widths: Uint8Array = new Uint8Array(0);
  #i = 0;
  #off = 0;
  #prev = '';
  #prevAt = 0;
  #prevAscii = false;

  /** The chunk s, whose first character is at byte offset `at`, decoded with the byte widths `widths`. */
  reset(s: string, at: number, ascii: boolean, widths: Uint8Array): void {
    this.#prev = this.#s;
    this.#prevAt = this.#at;
    this.#prevAscii = this.#ascii;
    this.#s = s;
    this.#at = this.#off = at;
    this.#ascii = ascii;
    this.#widths = widths;
    this.#i = 0;
  }

  /** The text around the character at byte offset off, and its index there (the line it is on whole, up to LINE_MAX before); null when it is not at hand. */
  at(off: number): { text: string; q: number } | null {
    const s = this.#s;
    if (off < this.#at) {
      // (A number that starts in the previous chunk: once a chunk at most, walked from its start.)
      const i = off < this.#prevAt ? -1 : walk(this.#prev, this.#prevAscii, this.#widths, 0, this.#prevAt, off);
      return i < 0 ? null : { text: this.#prev, q: i };
    }
    let i: number;
    if (this.#ascii) i = off - this.#at < s.length ? off - this.#at : -1;
    else {
      const w = this.#widths;
      i = this.#i;
      let o = this.#off;
      while (o > off && i > 0) o -= w[s.charCodeAt(--i)]!;
      while (o < off && i < s.length) o += w[s.charCodeAt(i++)]!;
      this.#i = i;
      this.#off = o;
      if (o !== off || i >= s.length) i = -1;
    }
    if (i < 0) return null;
    if (!this.#prev || s.lastIndexOf('\n', i - 1) >= 0) return { text: s, q: i };
    const prev = this.#prev;
    const head = prev.slice(Math.max(prev.lastIndexOf('\n') + 1, prev.length - LINE_MAX));
    return { text: head + s.slice(0, i + 1), q: head.length + i };
  }
}

/** The index in s (starting at byte offset at) of the character at byte offset off; -1 when none starts there. */
function walk(s: string, ascii: boolean, w: Uint8Array, i: number, at: number, off: number): number {
  if (ascii) return off - at < s.length ? off - at : -1;
  let o = at;
  while (o < off && i < s.length) o += w[s.charCodeAt(i++)]!;
  return o === off && i < s.length ? i : -1;
}
