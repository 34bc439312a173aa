// Issue 14, red team of 30 November: compressed data off byte 0 and short
// encoded compressed data, and the notations and encodings that crossed
// unread; and the second red team's radixes and notations (radix-fixtures.ts). Each way through is inspected in-process, whole and in chunks of
// 5 bytes (a header, a token or an escape cut at every place), and must be
// reported; the clean look-alikes (ordinary base58 addresses, Ascii85 in
// PostScript, punycode domains, octal numbers, ordinary images and binaries)
// must give no finding at all.
import t from 'tap';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { ID, jpegBody, MARK, pngImage } from './evasion-fixtures.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { notationCleanSamples, notationSamples } from './notation-fixtures.js';
import { radixCleanSamples, radixSamples } from './radix-fixtures.js';

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

t.test('each way through is reported, whole and in chunks of 5 bytes', async (t) => {
  for (const s of [...notationSamples(), ...radixSamples()]) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const whole = await inspectBytes(s.body, {}, ctx);
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}: ${s.expect} (${kinds(whole.findings).join(', ') || 'none'})`);
    const cut = await inspectChunks(chunked(s.body, 5), {}, ctx);
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ') || 'none'})`);
  }
});

t.test('clean look-alikes give no finding, whole and in chunks', async (t) => {
  for (const s of [...notationCleanSamples(), ...radixCleanSamples()]) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const r = await inspectBytes(s.body, {}, ctx);
    t.same(r.findings, [], `${s.name} (${r.sniffedType})`);
    const cut = await inspectChunks(chunked(s.body, 61), {}, ctx);
    t.same(cut.findings, [], `${s.name}, in chunks`);
  }
});

t.test('a zlib stream found off byte 0 is read whatever it holds, and found again after a first one', async (t) => {
  const doc = Buffer.from(`姓名,证件号\n王五,${ID}\n`);
  const body = Buffer.concat([Buffer.alloc(3000, 7), zlib.deflateSync(Buffer.from('nothing here\n')), Buffer.alloc(50, 0), zlib.deflateSync(doc), Buffer.alloc(3000, 0)]);
  const r = await inspectBytes(body, {}, { filename: 'a.bin', declaredType: 'application/octet-stream' });
  t.ok(r.findings.some((f) => f.kind === 'personal-data' && f.subkind === 'cn-resident-id' && /^zlib@/.test(f.path ?? '')), kinds(r.findings).join(', '));
});

t.test('an image with nothing after its end opens no trailer; one with text after it reads it', async (t) => {
  const plain = await inspectBytes(pngImage(), {}, { filename: 'a.png', declaredType: 'image/png' });
  t.same(plain.findings, []);
  const jpg = Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), zlib.deflateSync(Buffer.from(`${MARK}\n`))]);
  const r = await inspectBytes(jpg, {}, { filename: 'a.jpg', declaredType: 'image/jpeg' });
  t.ok(r.findings.some((f) => f.kind === 'classified-marking' && /trailer@/.test(f.path ?? '')), kinds(r.findings).join(', '));
});

t.test("pdf.js's worker, ordinary code full of identifiers, tables and escapes, gives no finding", async (t) => {
  // (The readings of the second red team refused it once: a table of Latin-1 letters read as GBK mojibake opened a view,
  // and a list of digits nested to the depth limit below it.)
  const worker = fs.readFileSync(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'));
  const r = await inspectBytes(worker, {}, { filename: 'pdf.worker.mjs', declaredType: 'text/javascript' });
  t.same(r.findings, []);
});
