// Regressions from the security review of the inspectors, one test per finding.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { parseFilename } from '../gateway/ingress/upload-headers.js';
import { inspectBytes, inspectChunks, kinds, luhnComplete, residentId, tar, zip } from './inspect-fixtures.js';

const MARK = '密级：机密 秘密★1年';
const CAPS = 'CUSTOMER ACCOUNT NUMBER TRANSACTION AMOUNT BALANCE STATUS PENDING APPROVED REJECTED BRANCH REGION'.split(' ');
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
    // A register in capitals: each word's base64 trigger walked the line of words after it to its end (wrapped
    // base64, base45): 40 s a MiB.
    'upper-case words of four letters or more apart by spaces': Array.from({ length: 110_000 }, (_, i) => `${CAPS[(i * 7919) % CAPS.length]}${i % 12 === 11 ? '\n' : ' '}`).join(''),
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

t.test('base64 of an archive in JSON: a view that cuts the run short reads a broken archive, which is no finding', async (t) => {
  // Found by the red team (30 Nov): base64 holds '+', which the UTF-7 reading of the view resolves, so the view's
  // copy of the run ends early and its archive breaks; 19 JSON bodies of 20 with a base64 .docx were refused.
  const refused: string[] = [];
  for (let i = 0; i < 12; i++) {
    const words = Array.from({ length: 40 + i * 30 }, (_, k) => `word${(k * 7919 + i) % 1000} item ${k}`).join(' ');
    const docx = zip([{ name: 'word/document.xml', data: Buffer.from(`<w:document><w:body><w:p><w:t>${words}</w:t></w:p></w:body></w:document>`) }]);
    const gz = gzipSync(Buffer.from(`${words}\n`));
    for (const [name, body] of [['docx', docx], ['gzip', gz]] as const) {
      const json = JSON.stringify({ name: `a.${name}`, content: body.toString('base64') });
      const r = await inspectBytes(json);
      if (r.findings.length) refused.push(`${name} ${i}: ${kinds(r.findings).join(' ')}`);
    }
  }
  t.same(refused, [], 'no finding on any of 24 JSON bodies carrying a base64 .docx or .gz');
  // The archive in the real run is still read: a marking inside it is found.
  const marked1 = zip([{ name: 'word/document.xml', data: Buffer.from(`<w:t>${'ordinary words '.repeat(200)}${MARK}</w:t>`) }]);
  const r = await inspectBytes(JSON.stringify({ content: marked1.toString('base64') }));
  t.ok(marked(r.findings), 'a marking inside the base64 .docx is found');
  // A broken archive outside any view is still a finding.
  const whole = gzipSync(Buffer.from(Array.from({ length: 400 }, (_, k) => `word${(k * 7919) % 1000} item ${k}`).join(' ')));
  const cut = whole.subarray(0, whole.length >> 1);
  const r2 = await inspectBytes(JSON.stringify({ content: cut.toString('base64') }));
  t.ok(r2.findings.some((f) => f.kind === 'archive-broken'), `a gzip cut short in the run itself is archive-broken (${kinds(r2.findings).join(' ')})`);
});

t.test('an identity number in 6-8-4 groups apart by other spaces than the ASCII one is joined', async (t) => {
  // Red team, 30 Nov: NBSP, thin and ideographic spaces between the groups crossed; a space or a tab did not.
  const id = residentId('110105', '19491231', '002');
  for (const sep of ['\u00a0', '\u2002', '\u2009', '\u202f', '\u3000']) {
    const body = Buffer.from(`身份证号 ${id.slice(0, 6)}${sep}${id.slice(6, 14)}${sep}${id.slice(14)}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += 5) chunks.push(body.subarray(i, i + 5));
    for (const [how, r] of [['whole', await inspectBytes(body)], ['in 5-byte chunks', await inspectChunks(chunks)]] as const) {
      t.ok(kinds(r.findings).includes('personal-data:cn-resident-id'), `U+${sep.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} between the groups, ${how}`);
    }
  }
  const clean = await inspectBytes(Buffer.from('共 110105\u00a0户，比上年增加 2024\u3000户。\n'));
  t.same(kinds(clean.findings), [], 'numbers apart by such a space that make no identity number stay clean');
});

t.test('tokens found again through escapes nested four deep are no reason to refuse (read-decodings.ts); new ones at the limit are', async (t) => {
  // Was: pdf.js's sandbox and minified worker, node-forge and this log were refused decode-depth. Each view that resolves
  // one level of escapes is a copy of the text around them, so the session tokens were found again at every level and,
  // at the fifth, refused though they had been read at the first.
  const nest = (s: string, n: number): string => Array.from({ length: n }).reduce<string>((v) => encodeURIComponent(v), s);
  const tokens = 'token=aGVsbG8gd29ybGQ= sid=Zm9vYmFyYmF6 csrf=c2Vzc2lvbi1rZXk=';
  const log = Array.from({ length: 40 }, (_, i) => `GET /login?next=${nest(`https://example.org/a?b=c d&n=x${i}`, 4)} 302 ${tokens}\n`).join('');
  const whole = await inspectBytes(log, {}, { filename: 'access.log', declaredType: 'text/plain' });
  t.same(kinds(whole.findings), [], 'a redirect URL escaped four times beside base64 session tokens: no finding');
  const b = Buffer.from(log);
  const chunked = await inspectChunks(Array.from({ length: Math.ceil(b.length / 1000) }, (_, i) => b.subarray(i * 1000, (i + 1) * 1000)), {}, { filename: 'access.log' });
  t.same(kinds(chunked.findings), [], 'and in chunks of 1,000 bytes');
  // What the limit is for stays refused.
  const deeper = await inspectBytes(`GET /login?next=${nest('https://example.org/a?b=c d', 5)} 302 ${tokens}\n`, {}, { filename: 'access.log' });
  t.ok(kinds(deeper.findings).includes('inspection-limit:decode-depth'), `escapes five deep: ${kinds(deeper.findings).join(' ')}`);
  const hidden = nest(Buffer.from('机密★10年').toString('base64'), 4);
  const attack = await inspectBytes(`${log}GET /x?q=${hidden} 200 ${tokens}\n`, {}, { filename: 'access.log' });
  t.ok(kinds(attack.findings).some((k) => k === 'inspection-limit:decode-depth' || k.startsWith('classified-marking')), `a marking's token escaped four times among them: ${kinds(attack.findings).join(' ')}`);
});

t.test('hex content found again through escapes nested three deep is no reason to refuse; new hex at the limit is', async (t) => {
  // Was: groff's PDF of 150 manual pages held, in its compressed streams read as bytes, two 64-byte hex runs that each
  // view of escapes found again; at the fourth level they were new to the check of repeats (which knew only decoded
  // text) and the PDF was refused decode-depth (2 December).
  const hex = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff)).toString('hex');
  for (const [name, escaped] of [['percent', '%25252541'], ['references', '&amp;amp;amp;#65;']] as const) {
    const r = await inspectBytes(`see ${escaped} here\n${hex}\n`, {}, { filename: 'notes.txt', declaredType: 'text/plain' });
    t.same(kinds(r.findings), [], `${name} three deep beside 64 bytes of hex: no finding`);
  }
  // Hex that no shallower view read stays refused at the limit: a hex run whose digits are percent-escaped three
  // deep appears first in the deepest view.
  const other = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 3) & 0xff)).toString('hex');
  const hidden = [...other].map((c) => `%252525${c.charCodeAt(0).toString(16)}`).join('');
  const deep = await inspectBytes(`see here\n${hidden}\n`, {}, { filename: 'notes.txt' });
  t.ok(kinds(deep.findings).includes('inspection-limit:decode-depth'), `new hex at the limit is still refused: ${kinds(deep.findings).join(' ')}`);
  const marked3 = await inspectBytes(`see %25252541 here\n${hex}\n${Buffer.from('机密★10年').toString('hex')}\n`, {}, { filename: 'notes.txt' });
  t.ok(marked(marked3.findings), 'a marking in hex beside them is found');
});

t.test('minified JavaScript of our own dependencies is read with no finding (was: decode-depth)', async (t) => {
  t.setTimeout(120_000);
  const files = ['pdfjs-dist/legacy/build/pdf.sandbox.mjs', 'pdfjs-dist/legacy/build/pdf.worker.min.mjs', 'node-forge/dist/forge.min.js'];
  for (const f of files) {
    const r = await inspectBytes(readFileSync(fileURLToPath(new URL(`../../node_modules/${f}`, import.meta.url))), {}, { filename: f.split('/').pop()!, declaredType: 'text/javascript' });
    t.same(kinds(r.findings), [], f);
  }
});

t.test('11 digits in a prefix no mobile number has are no mobile number (was: an Intel workaround id in the kernel changelog)', async (t) => {
  const log = '    - [x86] drm/i915/tgl: Add Wa_14010477008:tgl\n    - iot: card 14410477008 and 14810477008, range 16010477008-16910477008\n';
  t.same(kinds((await inspectBytes(log)).findings), [], 'no finding');
  t.same(kinds((await inspectBytes('联系电话：13912345678，备用：19912345678，卫星电话：17400012345\n')).findings), ['personal-data:cn-mobile'], 'numbers in use still are');
});

t.test('lists of file paths are no base64 (path-runs.ts): read once, not as thousands of decoded runs', async (t) => {
  // Was: 11,000 paths refused archive-limit:members (each path of 64 base64 characters or more a decoded "member"),
  // and a Debian copyright file of 2 MiB took 6 s of CPU.
  const paths = Array.from({ length: 11_000 }, (_, i) => `/usr/lib/python3/dist-packages/numpy/core/include/numpy/random${i}/bitgen.h`).join('\n');
  t.same(kinds((await inspectBytes(`${paths}\n`, {}, { filename: 'files.list' })).findings), [], 'a list of 11,000 paths: no finding');
  const copyright = Array.from({ length: 300 }, (_, i) => `Files:\n libs/spirit/include/boost/spirit/repository/home/qi/primitive/advance${i}\nCopyright:\n Joel de Guzman\nLicense: BSL-1.0\n`).join('\n');
  t.same(kinds((await inspectBytes(copyright, {}, { filename: 'copyright' })).findings), [], 'a copyright file: no finding');
  // Base64 that is not a path is read as before, in a list of paths or alone.
  const b64 = Buffer.from(`附件：${MARK}，请按规定保管，不得外传。${'补充说明'.repeat(8)}`).toString('base64');
  t.ok(b64.length >= 64, 'a run the scanner decodes');
  t.ok(marked((await inspectBytes(`${paths.split("\n").slice(0, 60).join("\n")}\nbody: ${b64}\n`)).findings), 'base64 of a marking among paths');
  const gz = gzipSync(Buffer.from(`${MARK}\n`)).toString('base64');
  t.ok(marked((await inspectBytes(`libs/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z ${gz}\n`)).findings), 'base64 of gzip after a path');
});

t.test('a base64 block read out of alignment is read again shifted (base64-alignment.ts)', async (t) => {
  // Found on 30 Nov: a line of base64 letters before a block (after a blank line), or a name glued to it by '-' or
  // '_', made one run decoded from the wrong character: every byte noise, the marking inside not read.
  const b64 = Buffer.from(`附件：${MARK}，请按规定保管，不得外传。${'补充说明'.repeat(8)}`).toString('base64');
  const gz = gzipSync(Buffer.from(`${MARK}\n${'补充说明'.repeat(40)}\n`)).toString('base64');
  const cases: Array<[string, string]> = [
    ['after a path line and a blank line', `/usr/lib/python3/dist-packages/numpy/core/include/numpy/random1/bitgen.h\n\n${b64}\n`],
    ['after seventy letters and a blank line', `${'x'.repeat(70)}\n\n${b64}\n`],
    ['after three letters and a blank line, in detail', `${'x'.repeat(70)}.hhh\n\n${b64}\n`],
    ['after a long run of paths and a blank line', `${'abcdefgh/'.repeat(8).slice(0, 71)}\n\n${b64}\n`],
    ['glued to a name by an underscore', `file: report_v${b64}\n`],
    ['glued to a name by a hyphen', `id: x-${b64}\n`],
    ['gzip after a short line', `${'y'.repeat(66)}.gz\n\n${gz}\n`],
  ];
  for (const [name, body] of cases) {
    const r = await inspectBytes(body);
    t.ok(marked(r.findings), `${name}: ${kinds(r.findings).join(' ')}`);
  }
  // Base64 of random bytes (a key, an image) is read once, as it is: no shifted reading reads better.
  const random = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 2654435761) >>> 13 & 0xff)).toString('base64');
  const r = await inspectBytes(`key: x${random}\n`);
  t.notOk(r.findings.some((f) => f.kind === 'classified-marking' || f.kind === 'personal-data'), kinds(r.findings).join(' '));
});

t.test('int64 bounds, big-number test values and byte arrays of minified code are no cards or id numbers', async (t) => {
  // Found by the lead's scan of ordinary files (30 Nov, evening), after the weighing counted each value once.
  const sqlite = '- Fix overflow on 9223372036854775807 + 1 (now 9223372036854775808 is an error); -9223372036854775808 is the smallest.\n';
  t.same(kinds((await inspectBytes(sqlite, {}, { filename: 'changelog' })).findings), [], 'the int64 bounds');
  const perl = 'ok(Math::BigInt->new("99999999999999990001")->bstr(), "99999999999999990001");\n';
  t.same(kinds((await inspectBytes(perl, {}, { filename: 'Calc.pm' })).findings), [], 'a big-number test value');
  const js = `var w=[${'32,80,80,20,20,02,02,70,20,'.repeat(8)}1];\n`;
  t.same(kinds((await inspectBytes(js, {}, { filename: 'a.min.js' })).findings), [], 'pairs of a byte array in a prefecture no id has');
  // Cards and ids in use still are.
  t.same(kinds((await inspectBytes(`卡号 ${luhnComplete('955880020012345678')}\n`)).findings), ['personal-data:bank-card'], 'an ICBC 9558 card');
  t.same(kinds((await inspectBytes(`身份证 ${residentId('469001', '19900307', '123')}\n`)).findings), ['personal-data:cn-resident-id'], "an id of Hainan's county-level city (90)");
});

t.test("the evening red team's ways around the day's readings (probes/redteam-2026-11-30-evening on branch redteam3)", async (t) => {
  const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
  // 1. Two decodings read apart at the top, put side by side past the depth limit: read there, one level down.
  const nest = (s: string, n: number): string => Array.from({ length: n }).reduce<string>((v) => encodeURIComponent(v), s);
  const A = b64('本文件属于机');
  const B = b64(' 密★10年整');
  const filler = Array.from({ length: 60 }, (_, i) => `f${i}=${b64(`harmless line number ${i}`)}`).join(' ');
  const pair = await inspectBytes(`first=${A} ${filler} second=${B}\nGET /x?next=${nest(`${A} ${B}`, 4)} 200\n`);
  t.ok(marked(pair.findings), `decodings side by side past the limit: ${kinds(pair.findings).join(' ')}`);
  // 2. A marking placed in a segment of a path-shaped run, decoding cleanly between the slashes' noise.
  const path = `usr/lib/node/modules/pkg/dist/srcab/${b64('机密★')}/share/doc/packages/readme/files/index`;
  const inPath = await inspectBytes(`files:\n${path}\n`);
  t.ok(marked(inPath.findings), `a marking in a path-shaped run: ${kinds(inPath.findings).join(' ')}`);
  // 3. Plain text, one stray character, then the secret: only a shifted reading of the rest is text.
  const decoy = Buffer.from('The quarterly report of the transport bureau lists the routes, timetables and budgets. '.repeat(12));
  const pad = decoy.subarray(0, decoy.length - (decoy.length % 3));
  const secret = Buffer.from('文件密级：机密★10年。本文件属于绝密。\n'.repeat(6));
  const stray = `${pad.toString('base64')}Q${b64(secret).replace(/=+$/, '')}`;
  for (const [name, body] of [['one line', `${stray}\n`], ['76 columns', `${stray.match(/.{1,76}/g)!.join('\n')}\n`], ['a JSON field', `${JSON.stringify({ id: 7, attachment: stray })}\n`]]) {
    const r = await inspectBytes(body!);
    t.ok(marked(r.findings), `a stray character after plain text, ${name}: ${kinds(r.findings).join(' ')}`);
  }
});
