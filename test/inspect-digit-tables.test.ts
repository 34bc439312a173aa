// Third red team, F4: a table of single digits apart by spaces (a survey's
// answers, a printed matrix) was read together (digit-forms.ts), the digits as
// hex, and the bytes opened as content: 78 01 at its start is a disk image to
// file-type (a zlib header at level 1), refused `uninspectable`. Decimal digits
// only are numbers, not hex of binary nor base64; a type that rests on two
// bytes is no evidence in decoded content. Hex and base64 of binary still are.
import { createCipheriv } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { inspectBytes, kinds, residentId } from './inspect-fixtures.js';

const ID = residentId('110105', '19491231', '002');
const MARKED = Buffer.from(`备注：机密★10年，请阅。${'季度工作总结各项任务按期完成'.repeat(3)}`.repeat(3));

/** Rows of `cols` numbers from a fixed generator, `first` written before the first row's. */
function table(rows: number, cols: number, cell: (r: number) => string, first = '', sep = ' '): string {
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return `${Array.from({ length: rows }, (_, r) => (r === 0 ? first : '') + Array.from({ length: cols }, () => cell(rnd())).join(sep)).join('\n')}\n`;
}
const digit = (x: number): string => String(Math.floor(x * 10));
const pair = (x: number): string => String(Math.floor(x * 100)).padStart(2, '0');
const hexLines = (b: Buffer): string => `dump:\n${b.toString('hex').replace(/.{64}/g, '$&\n')}\n`;

const inspect = (body: string | Buffer, filename = 'answers.txt', declaredType = 'text/plain') => inspectBytes(Buffer.from(body), {}, { filename, declaredType });

t.test('tables of digits are numbers: no disk image, no finding', async (t) => {
  const clean: Array<[string, string]> = [
    ['single digits apart by spaces, starting 7 8 0 1', table(800, 40, digit, '7 8 0 1 ')],
    ['the same, 3 KB', table(40, 40, digit, '7 8 0 1 ')],
    ['a matrix of zero-padded pairs starting 78 01', table(300, 20, pair, '78 01 ')],
    ['survey answers by commas', table(800, 30, (x) => String(1 + Math.floor(x * 5)), '', ',')],
  ];
  for (const [name, body] of clean) t.notOk((await inspect(body)).findings.some((f) => f.kind === 'uninspectable'), `${name}: not uninspectable`);
  t.same(kinds((await inspect(table(800, 40, digit, '7 8 0 1 '))).findings), [], 'and no finding at all on the 30 KB table');
});

t.test('hex and base64 of binary are still read or refused', async (t) => {
  const has = async (name: string, body: string, kind: string): Promise<void> => {
    const k = kinds((await inspect(body)).findings);
    t.ok(k.some((x) => x.startsWith(kind)), `${name}: ${kind} (${k.join(' ')})`);
  };
  // Refused before as a disk image (its marking unread); now inflated and read.
  await has('hex of a zlib stream at level 1 (78 01) holding a marking', hexLines(zlib.deflateSync(MARKED, { level: 1 })), 'classified-marking');
  await has('hex of 78 01 and encrypted bytes', hexLines(Buffer.concat([Buffer.from([0x78, 0x01]), createCipheriv('aes-256-ctr', Buffer.alloc(32, 3), Buffer.alloc(16)).update(Buffer.alloc(4000))])), 'uninspectable');
  await has('hex of an id number in ASCII, spelt digit by digit', `code: ${[...Buffer.from(ID).toString('hex')].join(' ')}\n`, 'personal-data:cn-resident-id');
  const record = Buffer.concat([Buffer.from([0, 1, 2, 3, 0x10, 0x11, 0x90, 0x99, 5, 6]), Buffer.from(`id=${ID};`), Buffer.from([1, 2, 3, 4, 0x95, 0x96, 0, 0]), Buffer.alloc(40, 1)]);
  await has('decimal-only hex of a binary record holding an id number', `rec ${record.toString('hex')}\n`, 'personal-data:cn-resident-id');
  await has('a row of digits, then base64 of a marking', `${'1234567890'.repeat(7)}${MARKED.toString('base64')}\n`, 'classified-marking');
  // Aligned with the digits, the marking's UTF-8 came after junk bytes that pair up with it as GB18030 (missed before).
  await has('72 digits, then base64 of a marking, aligned', `${'1234567890'.repeat(7)}12${MARKED.toString('base64')}\n`, 'classified-marking');
  await has('700 digits, then base64 of a marking', `${'1234567890'.repeat(70)}${MARKED.toString('base64')}\n`, 'classified-marking');
  // A real disk image sent as such, or as text, is refused as before.
  const dmg = zlib.deflateSync(createCipheriv('aes-256-ctr', Buffer.alloc(32, 4), Buffer.alloc(16)).update(Buffer.alloc(20000)), { level: 1 });
  t.same(kinds((await inspect(dmg, 'disk.dmg', 'application/x-apple-diskimage')).findings), ['uninspectable:application/x-apple-diskimage'], 'a disk image sent as one: uninspectable');
  t.same(kinds((await inspect(dmg, 'disk.txt', 'text/plain')).findings), ['type-mismatch:application/x-apple-diskimage', 'uninspectable:application/x-apple-diskimage'], 'a disk image declared as text: type-mismatch and uninspectable');
});
