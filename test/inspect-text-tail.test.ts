// Content typed text from its head, with regions that are not text after it
// (text-tail-fixtures.ts): each region of encrypted or compressed bytes is
// judged as binary content is, block by block (opaque-regions.ts), and the
// content is refused `uninspectable`; the text it looks like stays clean.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { ascii85, deflated, encrypted, printable, prose, textTailCleanSamples, textTailSamples } from './text-tail-fixtures.js';

t.test('regions that are not text after a text head are uninspectable', async (t) => {
  for (const s of textTailSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
  const r = await inspectBytes(Buffer.concat([prose(4100), encrypted(100_000)]), {}, { filename: 'memo.txt', declaredType: 'text/plain' });
  t.same(kinds(r.findings), ['uninspectable:text/plain'], 'the red team\'s sample: uninspectable, typed text');
  const f = r.findings.find((x) => x.kind === 'uninspectable');
  t.equal(f?.offset, 4096, 'the finding gives the first 4 KiB block that is not text');
});

t.test('a region that is not text, wherever it sits', async (t) => {
  // 5 KiB of encrypted bytes is caught at any offset (measured at every 128 bytes of a 4 KiB stride, in prose
  // and in Chinese): here at 16 offsets of that stride, between two parts of prose.
  let refused = 0;
  const starts = Array.from({ length: 16 }, (_, k) => 8192 + k * 256 + (k % 3));
  for (const at of starts) {
    const r = await inspectBytes(Buffer.concat([prose(at), encrypted(5120, at & 255), prose(20_000)]), {}, { filename: 'a.txt' });
    if (r.findings.some((x) => x.kind === 'uninspectable')) refused++;
  }
  t.equal(refused, starts.length, '5 KiB encrypted between text parts, at each offset');
});

// Found 1 Dec: a region under 4 KiB (encrypted) or 5 KiB (deflate), which two 4 KiB blocks share and neither held
// enough of, crossed at most offsets; random characters of 7 bits (no byte at or above 0x80) crossed as text.
const ZH = Buffer.from('本季度各部门按照年度工作计划推进重点任务，预算执行情况良好，人员培训按期完成。下一阶段将继续加强档案管理和数据交换工作，确保各项制度落实到位。\n'.repeat(200));
const texts: Array<[string, (n: number) => Buffer]> = [
  ['prose', prose],
  ['Chinese', (n) => ZH.subarray(0, n)],
];
/** How many of 16 offsets, across a 4 KiB block and its edges, refuse text, region, text. */
async function refusedAt(text: (n: number) => Buffer, region: (k: number) => Buffer): Promise<number> {
  let refused = 0;
  for (let k = 0; k < 16; k++) {
    const at = 8192 + k * 256 + (k % 3);
    const r = await inspectBytes(Buffer.concat([text(at), region(k), text(12_000)]), {}, { filename: 'a.txt' });
    if (r.findings.some((x) => x.kind === 'uninspectable')) refused++;
  }
  return refused;
}

t.test('a region under a block between text parts, wherever it sits', async (t) => {
  for (const [name, text] of texts) {
    t.equal(await refusedAt(text, (k) => encrypted(1024, k + 1)), 16, `1 KiB encrypted in ${name}, at each offset`);
    t.equal(await refusedAt(text, () => deflated(1536)), 16, `1.5 KiB of deflate in ${name}, at each offset`);
  }
  const r = await inspectBytes(Buffer.concat([prose(10_300), encrypted(1024), prose(10_000)]), {}, { filename: 'a.txt' });
  const f = r.findings.find((x) => x.kind === 'uninspectable');
  t.ok(f?.offset !== undefined && f.offset > 10_300 - 256 && f.offset <= 10_300, `the finding gives where the region starts, to 256 bytes (${f?.offset})`);
});

t.test('random characters of 7 bits between text parts, wherever they sit', async (t) => {
  for (const [name, text] of texts) {
    t.equal(await refusedAt(text, (k) => printable(1024, k + 1)), 16, `1 KiB of random printable ASCII in ${name}, at each offset`);
    t.equal(await refusedAt(text, (k) => ascii85(encrypted(820, k + 1))), 16, `Ascii85 of 820 encrypted bytes (1 KiB) in ${name}, at each offset`);
  }
  const r = await inspectBytes(printable(4096), {}, { filename: 'key.txt' });
  t.same(kinds(r.findings), ['uninspectable:text/plain'], '4 KiB of random printable ASCII alone');
});

t.test('what follows a gzip stream\'s end is read as content of its own', async (t) => {
  const g = zlib.gzipSync(prose(30_000));
  const marked = await inspectBytes(Buffer.concat([prose(6000), g, Buffer.alloc(3), Buffer.from('附件：机密★10年 会议纪要\n')]), {}, { filename: 'a.txt' });
  t.ok(kinds(marked.findings).includes('classified-marking:机密'), `text after zeros after an embedded gzip: ${kinds(marked.findings).join(', ')}`);
  const top = await inspectBytes(Buffer.concat([g, Buffer.alloc(1), encrypted(20_000)]), {}, { filename: 'a.txt.gz' });
  t.ok(kinds(top.findings).some((k) => k.startsWith('uninspectable')), `a gzip, a zero, 20 KB encrypted: ${kinds(top.findings).join(', ')}`);
});

t.test('text that looks like it stays clean', async (t) => {
  for (const s of textTailCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], `${s.name}: clean`);
  }
  const worker = readFileSync(new URL('../../node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs', import.meta.url));
  t.same(kinds((await inspectBytes(worker, {}, { filename: 'pdf.worker.mjs', declaredType: 'text/javascript' })).findings), [], 'the pdf.js worker: clean');
});

t.test('base64 of random bytes in JSON is judged as before: the decoded run, as binary', async (t) => {
  const json = Buffer.from(JSON.stringify({ name: 'report', data: randomBytes(30_000).toString('base64') }));
  t.same(kinds((await inspectBytes(json, {}, { filename: 'a.json', declaredType: 'application/json' })).findings), ['uninspectable:application/octet-stream']);
});
