import t from 'tap';
import { inspectBytes, inspectChunks, kinds, luhnComplete, residentId } from './inspect-fixtures.js';

// Issue 14, red team of 30 Nov: identity numbers in the forms people and
// programs write them (other separators, digit by digit, other numerals,
// split over cells), and the ordinary tables that must not be taken for
// identifiers (statistics in 6-8-4 columns, matrices of 4-digit numbers,
// order and trace numbers, amounts in fen, letters with a few addresses).
// In-process; every fixture is written here.

const ID = residentId('110105', '19491231', '002'); // check character X
const ID2 = residentId('440305', '19900307', '457');

/** A seeded generator (the same file every run). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}

/** Inspected whole and in small chunks: the kinds found each way. */
async function both(body: string | Buffer, ctx: { filename?: string; declaredType?: string } = {}): Promise<[string[], string[]]> {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const chunks: Buffer[] = [];
  const size = b.length < 4096 ? 5 : 997; // (a large file in 5-byte chunks takes seconds; 997 bytes cut every line somewhere)
  for (let i = 0; i < b.length; i += size) chunks.push(b.subarray(i, i + size));
  return [kinds((await inspectBytes(b, {}, ctx)).findings), kinds((await inspectChunks(chunks, {}, ctx)).findings)];
}

t.test('ordinary tables of numbers are not registers of identifiers', async (t) => {
  const rnd = seeded(20261130);
  const digits = (n: number): string => Array.from({ length: n }, (_, i) => Math.floor(rnd() * (i === 0 ? 9 : 10)) + (i === 0 ? 1 : 0)).join('');
  const pad = (v: number, n: number): string => String(v).padStart(n, '0');
  const regions = ['110105', '310104', '440305', '320106', '510107'];
  const files: Array<[string, string]> = [
    // A region code, a date and a count in fixed-width columns: a 6-8-4 id number's shape, whose check fits 1 row in 11.
    ['statistics 6-8-4', `代码 日期 数量\n${Array.from({ length: 300 }, (_, i) => `${regions[i % 5]} 2024${pad(1 + (i % 12), 2)}${pad(1 + (i % 28), 2)} ${pad(Math.floor(rnd() * 10000), 4)}`).join('\n')}\n`],
    ['matrix of 4-digit numbers', `${Array.from({ length: 200 }, () => Array.from({ length: 8 }, () => String(1000 + Math.floor(rnd() * 9000))).join(' ')).join('\n')}\n`],
    ['18-digit order numbers', `order_no,amount\n${Array.from({ length: 1000 }, () => `${digits(18)},${Math.floor(rnd() * 10000)}.00`).join('\n')}\n`],
    ['16-digit trace ids', `${Array.from({ length: 800 }, () => `trace=${digits(16)} span=${digits(16)} ok`).join('\n')}\n`],
    ['a letter with two addresses', `From: 张三 <zhangsan@example.gov.cn>\r\nTo: lisi@example.gov.cn\r\nSubject: 会议通知\r\n\r\n请准时参加。\r\n`],
  ];
  for (const [name, body] of files) {
    const [whole, chunked] = await both(body);
    t.same(whole, [], `${name}: no finding`);
    t.same(chunked, [], `${name}, in chunks: no finding`);
  }
});

t.test('registers are still found: id numbers in groups, cards, addresses in bulk', async (t) => {
  const ids = Array.from({ length: 30 }, (_, i) => residentId(['110105', '440305', '320106'][i % 3]!, `19${50 + i}0${1 + (i % 9)}1${i % 10}`, String(100 + i)));
  const grouped = `${ids.map((id) => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`).join('\n')}\n`;
  t.same((await both(grouped))[0], ['personal-data:cn-resident-id'], 'id numbers in 6-8-4 groups, one a line');
  const cards = `${Array.from({ length: 20 }, (_, i) => luhnComplete(`62220202001122${String(1000 + i)}`)).join('\n')}\n`;
  t.same((await both(cards))[0], ['personal-data:bank-card'], 'a list of card numbers');
  // One id number in groups among ordinary text: its check passing is the only value of that shape.
  t.same((await both(`身份证号 ${ID2.slice(0, 6)} ${ID2.slice(6, 14)} ${ID2.slice(14)}\n`))[0], ['personal-data:cn-resident-id'], 'one id number in 6-8-4 groups');
  const book = `${Array.from({ length: 12 }, (_, i) => `name${i} <user${i}@example.com>`).join('\n')}\n`;
  const r = await inspectBytes(book);
  t.same(kinds(r.findings), ['personal-data:email'], 'twelve different addresses: a contact list');
  t.equal(r.findings[0]!.sample, 'u****@example.com', 'masked');
  t.ok(r.findings[0]!.count! >= 12, 'every occurrence counted');
  t.ok(ID.endsWith('X'));
});
