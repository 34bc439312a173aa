// Is an 11-digit number that looks like a mobile number an amount? Mobile
// numbers have no check digit: 1[3-9] and 11 digits is all they carry, and
// so do amounts in fen of 130 million yuan and more, byte counts and sizes.
// The context says which: the key before the number on its line (amount=,
// "total_fen":, 金额：) or the name of its column in the content's header
// line (a CSV, a tab-separated table, or columns apart by spaces as `df`
// prints them). Read only for ASCII text (the scanner's direct path), where
// such tables are.

const AMOUNT = /amount|amt|fen|yuan|price|total|sum|balance|fee|cost|money|paid|size|bytes|blocks|used|avail|count|qty|quantity|金额|价格|费用|余额|数量|字节|大小|总额/i;
const KEY_BEFORE = /([A-Za-z_\u4e00-\u9fff]+)["']?\s*[=:：]\s*["']?$/;

/** The header line of a table: the first line, when it holds names and no long numbers. */
export function headerLine(s: string): string {
  const nl = s.indexOf('\n');
  const line = (nl < 0 ? s : s.slice(0, nl)).replace(/\r$/, '');
  return line.length <= 1024 && !/\d{6}/.test(line) ? line : '';
}

/** Does the number at s[q, e) stand where an amount or a size does? */
export function isAmountAt(s: string, q: number, header: string): boolean {
  const ls = s.lastIndexOf('\n', q - 1) + 1;
  const before = s.slice(Math.max(ls, q - 32), q);
  const key = KEY_BEFORE.exec(before);
  if (key) return AMOUNT.test(key[1]!);
  if (!header) return false;
  const prefix = s.slice(ls, q);
  for (const sep of [',', '\t', ';']) {
    if (!header.includes(sep)) continue;
    const col = prefix.split(sep).length - 1;
    const name = header.split(sep)[col];
    return name !== undefined && AMOUNT.test(name);
  }
  // Columns apart by spaces: the column's name is the header's word at the same index.
  const col = prefix.trim() === '' ? 0 : prefix.trimEnd().split(/\s+/).length;
  const name = header.trim().split(/\s+/)[col];
  return name !== undefined && AMOUNT.test(name);
}
