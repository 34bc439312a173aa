// Red team of 1 December 2026, PDF: text in a standard CJK font through
// a predefined CMap (N4: pdf.js was opened without its CMaps, so the page text
// was lost), streams behind LZW, ASCIIHex, ASCII85, RunLength or a predictor,
// UTF-16 XMP and LZW object streams (N15: only Flate was undone), a filter not
// decoded here (a finding), and the decoders themselves against what writers
// produce. Each way is found whole and in small chunks; ordinary documents
// written the same way give no finding. In-process: no gateway.
import t, { type Test } from 'tap';
import zlib from 'node:zlib';
import { inspectBytes, inspectChunks, kinds, residentId } from './inspect-fixtures.js';
import { cjkCMapCleanSamples, cjkCMapSamples, filterCleanSamples, filterSamples, filtered, lzwEncode, manualPdf, stallPdf } from './pdf-filter-fixtures.js';
import type { MarkupSample } from './markup-fixtures.js';
import { decodeStream, lzw } from '../gateway/inspect/pdf/pdf-filters.js';
import { PackagedCMaps } from '../gateway/inspect/pdf/pdf-cmaps.js';
import { threadCpuMs, withCpuBudget } from '../gateway/inspect/context/reading-budget.js';

// pdf.js's child processes run at nice 19 (the heavy lane): beside CI's other test files this file took 241 s
// of wall time on 2 Dec (20 s alone), near tap's 300 s.
t.setTimeout(900_000);

type Sample = MarkupSample & { expect: string };

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

async function found(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const whole = await inspectBytes(s.body, {}, ctx);
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(whole.findings).join(', ')})`);
    const cut = await inspectChunks(chunked(s.body, 97), {}, ctx);
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ')})`);
  }
}

async function clean(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
}

t.test('N4: text in STSong-Light or MSung-Light through each predefined CMap is read (pdf.js with its packaged CMaps)', async (t) => {
  const samples = cjkCMapSamples();
  t.equal(samples.length, 10);
  await found(t, samples);
});

t.test('N4: ordinary reports in the same fonts give no finding', async (t) => {
  await clean(t, cjkCMapCleanSamples());
});

t.test('N4: the packaged CMaps are read from the package folder only; one that cannot be read is remembered', async (t) => {
  const c = new PackagedCMaps();
  const gb = await c.fetch({ kind: 'cMapUrl', filename: 'UniGB-UCS2-H.bcmap' });
  t.ok(gb.length > 1000, 'UniGB-UCS2-H is in the package');
  t.same([...c.missing], []);
  await t.rejects(c.fetch({ kind: 'cMapUrl', filename: '../package.json' }));
  await t.rejects(c.fetch({ kind: 'cMapUrl', filename: 'No-Such-CMap-H.bcmap' }));
  await t.rejects(c.fetch({ kind: 'standardFontDataUrl', filename: 'FoxitSans.pfb' }), 'nothing but CMaps');
  t.same([...c.missing].sort(), ['../package.json', 'No-Such-CMap-H']);
});

t.test('N15: streams behind LZW, ASCIIHex, ASCII85, RunLength and predictors, UTF-16 XMP, LZW object streams are read; other filters are a finding', async (t) => {
  const samples = filterSamples();
  t.equal(samples.length, 22);
  await found(t, samples);
  const crypt = samples.find((s) => /Crypt/.test(s.name))!;
  const r = await inspectBytes(crypt.body, {}, { filename: 'a.pdf', declaredType: 'application/pdf' });
  t.ok(r.findings.some((f) => f.kind === 'inspection-limit' && f.subkind === 'pdf-filter' && /Crypt \(\/Secret\)/.test(f.detail ?? '')), JSON.stringify(r.findings));
});

t.test('N15: ordinary documents with the same filters, and pictures behind image filters, give no finding', async (t) => {
  await clean(t, filterCleanSamples());
});

t.test('the decoders: LZW round trips across code widths and table resets, and the example of the standard; the others; bounded output', async (t) => {
  const text = Buffer.from(Array.from({ length: 4000 }, (_, i) => `第${i}行 row ${i * 7919} 数据`).join('\n'));
  const noise = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) >>> 24));
  for (const data of [Buffer.from('a'), Buffer.from('TOBEORNOTTOBEORTOBEORNOT'), text, noise, Buffer.alloc(100_000, 0x41)]) {
    t.ok(lzw(lzwEncode(data), 1, 1 << 24).equals(data), `LZW round trip of ${data.length} bytes`);
  }
  // The example of ISO 32000-1 §7.4.4.2.
  t.same([...lzw(Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]), 1, 100)], [45, 45, 45, 45, 45, 65, 45, 45, 45, 66]);
  t.throws(() => lzw(lzwEncode(Buffer.alloc(100_000, 0x41)), 1, 1000));
  const over = decodeStream(lzwEncode(Buffer.alloc(100_000, 0x41)), '<</Filter/LZWDecode>>', 1000);
  t.same(over, { over: true }, 'past the bound: over, not the bytes');
  const hex = decodeStream(Buffer.from('48 65 6c\n6C 6f 2>'), '<</Filter/ASCIIHexDecode>>', 100);
  t.same(hex, { bytes: Buffer.from('Hello ') }, 'ASCIIHex: white space skipped, an odd last digit followed by 0');
  const a85 = decodeStream(Buffer.from('<~87cURD]i,"Ebo80~>'), '<</Filter/A85>>', 100);
  t.same(a85, { bytes: Buffer.from('Hello World!') });
  const rl = decodeStream(Buffer.from([2, 0x61, 0x62, 0x63, 0xfe, 0x7a, 128, 0x30]), '<</Filter/RL>>', 100);
  t.same(rl, { bytes: Buffer.from('abczzz') });
  t.same(decodeStream(Buffer.alloc(4), '<</Filter[/FlateDecode/DCTDecode]>>', 100), { image: true });
  t.same(decodeStream(Buffer.alloc(4), '<</Filter/JBIG2Decode>>', 100), { image: true });
  t.same(decodeStream(Buffer.alloc(4), '<</Filter/FooDecode>>', 100), { unread: 'FooDecode' });
  t.same(decodeStream(Buffer.alloc(4), '<</Filter 12 0 R>>', 100), { unread: 'a filter given by reference' });
  t.same(decodeStream(Buffer.from('ab'), '<</Filter/Crypt>>', 100), { bytes: Buffer.from('ab') }, 'Crypt without a name is Identity');
  const png = decodeStream(Buffer.from(zlib.deflateSync(Buffer.from([2, 1, 2, 3, 2, 1, 1, 1]))), '<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 3>>>>', 100);
  t.same(png, { bytes: Buffer.from([1, 2, 3, 2, 3, 4]) }, 'PNG Up rows');
  // A whole stream object as written by the fixtures' writer, decoded through its own dictionary.
  const obj = filtered('', Buffer.from('ordinary words'), ['ASCII85Decode', 'FlateDecode'], { predictor: 2, columns: 4 }).toString('latin1');
  const dict = obj.slice(0, obj.indexOf('stream'));
  const data = Buffer.from(obj.slice(obj.indexOf('stream\n') + 7, obj.lastIndexOf('\nendstream')), 'latin1');
  t.same(decodeStream(data, dict, 100), { bytes: Buffer.from('ordinary words') });
});

t.test('N10: a reading past its CPU budget is reported, one within it is not (thread CPU, not wall time)', async (t) => {
  const burn = async (ms: number): Promise<number> => {
    const start = threadCpuMs();
    let x = 0;
    while (threadCpuMs() - start < ms) for (let i = 0; i < 100_000; i++) x += Math.sqrt(i);
    return x;
  };
  const over = await withCpuBudget('reading the test', 100, () => burn(300));
  t.match(over.over, /^reading the test took more than its budget of 0\.1 s of CPU/);
  const within = await withCpuBudget('reading the test', 60_000, () => burn(30));
  t.equal(within.over, null);
  t.ok(within.result > 0);
});

t.test('N10: a small PDF of seconds of pdf.js is refused by the PDF reading budget, not let through within the transfer budget', async (t) => {
  t.setTimeout(600_000);
  const pdf = stallPdf();
  t.ok(pdf.length < 64 * 1024, `a small (batched) body: ${pdf.length} bytes`);
  // The transfer's own budget (wall time while busy) made 10 minutes: only the PDF's CPU budget can refuse it.
  const r = await inspectBytes(pdf, { budget: { baseMs: 600_000 } }, { filename: 'report.pdf', declaredType: 'application/pdf' });
  const limit = r.findings.find((f) => f.kind === 'inspection-limit' && f.subkind === 'time');
  t.match(limit?.detail, /^reading the PDF took more than its budget of 2\.\d s of CPU/, JSON.stringify(r.findings));
});

t.test('a manual of many dense pages is read within the PDF budget (was: refused inspection-limit:time at 1 s a MiB)', async (t) => {
  t.setTimeout(600_000);
  // groff's PDF of 150 manual pages (895 pages, 1.8 MB) took pdf.js 6-7 s and was refused (2 December).
  const pdf = manualPdf(500);
  const r = await inspectBytes(pdf, { budget: { baseMs: 600_000 } }, { filename: 'manual.pdf', declaredType: 'application/pdf' });
  t.same(r.findings.map((f) => `${f.kind}:${f.subkind ?? ''}`), [], `${pdf.length} bytes, 500 pages: ${JSON.stringify(r.findings)}`);
  // Read to its last page: a resident id there is found.
  const id = await inspectBytes(manualPdf(40, `ID ${residentId('110105', '19900307', '457')}`), { budget: { baseMs: 600_000 } }, { filename: 'manual.pdf', declaredType: 'application/pdf' });
  t.same(id.findings.map((f) => `${f.kind}:${f.subkind ?? ''}`), ['personal-data:cn-resident-id'], 'an id on its last page is found');
});
