// Regressions from the security review of the inspectors, one test per finding.
import t from 'tap';
import { parseFilename } from '../gateway/ingress/upload-headers.js';
import { inspectBytes, inspectChunks, kinds, tar, zip } from './inspect-fixtures.js';

const MARK = '密级：机密 秘密★1年';
const marked = (fs: Array<{ kind: string }>) => fs.some((f) => f.kind === 'classified-marking');

t.test('a long tag does not stall the scanner (was quadratic: ~6 s per 64 KiB chunk)', async (t) => {
  // 4 MiB inside one unclosed tag, in 64 KiB chunks: the quadratic scanner needed
  // over six minutes; this test's own timeout catches a regression without timing anything.
  t.setTimeout(120_000);
  const chunks = [Buffer.from('<?xml version="1.0"?><x'), ...Array.from({ length: 64 }, () => Buffer.alloc(65536, 0x61))];
  const r = await inspectChunks(chunks, {}, { filename: 'a.xml', declaredType: 'application/xml' });
  t.equal(r.size, 23 + 64 * 65536, 'the whole body was read');
  const html = Buffer.from(`<html><body><img src="data:image/png;base64,${Buffer.alloc(300_000, 7).toString('base64')}"><p>${MARK}</p></body></html>`);
  const chunked = Array.from({ length: Math.ceil(html.length / 65536) }, (_, i) => html.subarray(i * 65536, (i + 1) * 65536));
  t.ok(marked((await inspectChunks(chunked, {}, { filename: 'p.html', declaredType: 'text/html' })).findings), 'and an HTML page with a large inline image is read to its end');
});

t.test('markup does not hide text', async (t) => {
  t.ok(marked((await inspectBytes(`<<‹ 注意 ${MARK}`, {}, { filename: 'a.txt', declaredType: 'text/plain' })).findings), 'plain text starting with "<" is text');
  t.ok(marked((await inspectBytes(`<html><body><p>1 < 2 ${MARK}</p></body></html>`, {}, { filename: 'a.html', declaredType: 'text/html' })).findings), 'a bare "<" in HTML is text');
  t.ok(marked((await inspectBytes(`<?xml version="1.0"?><doc><![CDATA[${MARK}]]></doc>`, {}, { filename: 'a.xml', declaredType: 'application/xml' })).findings), 'CDATA is text');
  t.ok(marked((await inspectBytes(`<?xml version="1.0"?><w:p><w:r><w:t>秘</w:t></w:r><w:r><w:t>密★1年</w:t></w:r></w:p>`, {}, { filename: 'a.xml' })).findings), 'while a marking split across runs is still joined');
});

t.test('zip: a "directory" with data is inspected, and directories count as members', async (t) => {
  t.ok(marked((await inspectBytes(zip([{ name: 'a.txt/', data: Buffer.from(MARK) }]), {}, { filename: 'x.zip' })).findings), 'an entry named like a directory but carrying data');
  const many = zip([...Array.from({ length: 30 }, (_, i) => ({ name: `d${i}/`, data: Buffer.alloc(0), method: 0 })), { name: 'secret.txt', data: Buffer.from(MARK) }]);
  const r = await inspectBytes(many, { limits: { maxMembers: 10 } }, { filename: 'x.zip' });
  t.ok(r.findings.some((f) => f.kind === 'archive-limit'), 'past the member limit, a finding, never a silent stop');
});

t.test('tar: an unknown typeflag is read as a file (GNU tar extracts it)', async (t) => {
  const archive = tar([{ name: 'secret.txt', data: Buffer.from(MARK) }]);
  archive.write('8', 156);
  archive.write('        ', 148);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += archive[i]!;
  archive.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  t.ok(marked((await inspectBytes(archive, {}, { filename: 'x.tar' })).findings), kinds((await inspectBytes(archive, {}, { filename: 'x.tar' })).findings).join(',') || 'no findings');
});

t.test('base64 runs are decoded whatever their case', async (t) => {
  const payload = Buffer.from(`${'  @'.repeat(16)}\n${MARK}`).toString('base64');
  t.match(payload, /^ICBA/, 'the run starts in capitals only');
  t.ok(marked((await inspectBytes(`附件：\n${payload}\n`, {}, { filename: 'a.txt', declaredType: 'text/plain' })).findings));
});

t.test('file names that a receiver would save differently are refused', async (t) => {
  for (const name of ['evil.exe.', 'evil.exe ', 'evil.e%E2%80%8Exe', 'evil%E2%80%8B.exe', 'a%C2%ADb.exe']) {
    t.throws(() => parseFilename(name), { code: 'FERRY_FILENAME_INVALID' }, name);
  }
  t.equal(parseFilename('%E5%AD%A3%E5%BA%A6.csv'), '季度.csv', 'an ordinary name passes');
});

t.test('the encoded-token readers stay linear on their worst inputs (each was quadratic once)', async (t) => {
  // Bounded by the test's timeout and the inspection's own budget (30 s + 1 s a MiB): a linear reading takes a few seconds.
  t.setTimeout(180_000);
  const inputs: Record<string, string> = {
    'numbers apart': Array.from({ length: 75_000 }, (_, i) => String(1e12 + i * 7919)).join(' '),
    'a base64 run of one repeated quantum': `x ${'BwcH'.repeat(250_000)}`,
    'odd hex groups before a hex run': `${'a '.repeat(500_000)}e69cbae5af86e29885`,
    'upper-case hex pairs apart': 'B8 '.repeat(350_000),
  };
  for (const [name, text] of Object.entries(inputs)) {
    const b = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(b.length / 65536) }, (_, i) => b.subarray(i * 65536, (i + 1) * 65536));
    const r = await inspectChunks(chunks, {}, { filename: 'a.txt' });
    t.notOk(r.findings.some((f) => f.kind === 'inspection-limit'), `${name}: read to its end (${kinds(r.findings).join(', ')})`);
  }
});

t.test('"&page=" in a URL is no entity: a web log is read once, with no inspection limit (was: views nested to the depth limit)', async (t) => {
  const log = Array.from({ length: 200 }, (_, i) => `10.0.0.${i % 250} - - "GET /api/items?q=fox&page=${i}&sort=asc HTTP/1.1" 200 512\n`).join('');
  const r = await inspectBytes(log, {}, { filename: 'access.log', declaredType: 'text/plain' });
  t.notOk(r.findings.some((f) => f.kind === 'inspection-limit'), `no finding: ${kinds(r.findings).join(', ')}`);
  t.ok(marked((await inspectBytes(`${log}&#31192;&#23494;&starf;1年\n`, {}, { filename: 'access.log', declaredType: 'text/plain' })).findings), 'while real entities after such text are still decoded');
});
