import t from 'tap';
import net from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { compressWith, pngImage, zstdRaw } from './evasion-fixtures.js';
import { gifWithComment, gifWithPlainText } from './views-fixtures.js';
import { iccJpeg, iccProfile, pstFile } from './bytes-misc-fixtures.js';
import { commentPayload, id3Frame, id3Tag, mp3WithTag } from './container-fixtures.js';
import { EICAR, inspectBytes, inspectChunks, kinds, zip } from './inspect-fixtures.js';
import { startClamd, type Clamd } from './helpers/clamd.js';
import { eicarBehindPredictor, filterCleanSamples } from './pdf-filter-fixtures.js';
import { requires } from './helpers/requires.js';
import { inspectorStages } from '../gateway/inspect/index.js';

// Antivirus against a real clamd (started once for this file) loading the
// project's own signature (test/fixtures/clamav/ferry-test.ndb); and every way
// clamd can fail us, each of which must be av-unavailable, never clean.

const noClamd = requires('clamd');
let clamd: Clamd;
t.before(async () => {
  if (!noClamd) clamd = await startClamd();
});
t.teardown(async () => {
  await clamd?.stop();
});

function randomText(n: number): string {
  let seed = 7;
  let out = '';
  while (out.length < n) out += String.fromCharCode(0x4e00 + ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % 2000));
  return out;
}

function chunks(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < b.length; p += size) out.push(b.subarray(p, p + size));
  return out;
}

const av = () => ({ clamd: { host: '127.0.0.1', port: clamd.port, timeoutMs: 20_000 } });

/** A TCP server that does what clamd must not: never answers, closes at once, or answers nonsense. */
async function fakeClamd(behaviour: 'silent' | 'close' | 'refuse-size' | 'garbage'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    if (behaviour === 'close') s.destroy();
    else if (behaviour === 'refuse-size') s.once('data', () => s.end('INSTREAM size limit exceeded. ERROR\0'));
    else if (behaviour === 'garbage') s.once('data', () => s.end('what is this\0'));
    else s.on('data', () => undefined); // silent: reads, never answers
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

t.test('EICAR plain, zipped, gzipped and base64 in text is malware with the signature name', { skip: noClamd }, async (t) => {
  const plain = await inspectBytes(EICAR, av());
  t.same(kinds(plain.findings), ['malware:Ferry.Test.EICAR.UNOFFICIAL']);
  const zipped = await inspectBytes(zip([{ name: 'docs/readme.com', data: Buffer.from(EICAR) }]), av());
  t.ok(zipped.findings.some((f) => f.kind === 'malware'), kinds(zipped.findings).join());
  const gz = await inspectBytes(zlib.gzipSync(EICAR), av(), { filename: 'a.gz' });
  t.ok(gz.findings.some((f) => f.kind === 'malware'), kinds(gz.findings).join());
  const prefix = 'attachment follows:\n';
  const b64 = await inspectBytes(`${prefix}${Buffer.from(EICAR).toString('base64')}\nend\n`, av());
  const m = b64.findings.find((f) => f.kind === 'malware');
  t.ok(m, kinds(b64.findings).join());
  t.equal(m?.path, `base64@${prefix.length}`);
});

t.test('clamd also sees what only the inspectors decode: escapes resolved, zstd', { skip: noClamd }, async (t) => {
  const pct = [...Buffer.from(EICAR)].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('');
  const ent = [...EICAR].map((c) => `&#${c.charCodeAt(0)};`).join('');
  const json = JSON.stringify({ note: EICAR }).replace(/[!-~]/g, (c) => (/[A-Z]/.test(c) ? `\\u00${c.charCodeAt(0).toString(16)}` : c));
  const cases: Array<[string, Buffer | string, { filename?: string }]> = [
    ['percent-encoded', `GET /?q=${pct} HTTP/1.1\n`, {}],
    ['HTML character references', `<html><body><p>${ent}</p></body></html>`, { filename: 'a.html' }],
    ['JSON \\u escapes', json, { filename: 'a.json' }],
    ['zstd', zstdRaw(Buffer.from(`${EICAR}\n`)), { filename: 'a.txt.zst' }],
    // Red team 1 Dec b, A10: clamd reads a PNG's zTXt compressed.
    ['PNG zTXt', pngImage([['zTXt', Buffer.concat([Buffer.from('Comment\u0000\u0000', 'latin1'), zlib.deflateSync(EICAR)])]]), { filename: 'a.png' }],
    ['PNG private chunk holding a zlib stream', pngImage([['prVt', zlib.deflateSync(EICAR)]]), { filename: 'a.png' }],
    // A24: an MP3's ID3v2.3 frame compressed with zlib (clamd does not inflate it), as an object and as a comment.
    ['ID3v2.3 GEOB frame compressed', mp3WithTag(id3Tag(3, [id3Frame(3, 'GEOB', Buffer.from(EICAR), { compress: true })])), { filename: 'a.mp3' }],
    ['ID3v2.3 comment compressed', mp3WithTag(id3Tag(3, [id3Frame(3, 'COMM', commentPayload(EICAR, 3), { compress: true })])), { filename: 'a.mp3' }],
    // A11: a GIF comment's sub-blocks joined (clamd reads the length bytes between them).
    ['GIF comment in 16-byte sub-blocks', gifWithComment(Buffer.from(EICAR), 16), { filename: 'a.gif' }],
    // Seventh red team (1 Dec c), V1: a plain text extension's sub-blocks.
    ['GIF plain text extension in 16-byte sub-blocks', gifWithPlainText(Buffer.from(EICAR), 16), { filename: 'a.gif' }],
    // V2: a JPEG's ICC profile cut over two APP2 chunks inside EICAR (ICC.1 B.4), joined.
    // V13: EICAR as an Outlook PST's message body under compressible encryption ([MS-PST] 5.1).
    ['Outlook PST body under compressible encryption', pstFile([Buffer.from(EICAR)]), { filename: 'a.pst' }],
    ['JPEG ICC profile cut over two APP2 chunks', iccJpeg(Buffer.concat([iccProfile('sRGB'), Buffer.from(EICAR), Buffer.alloc(40)]), [iccProfile('sRGB').length + 30]), { filename: 'a.jpg' }],
    // Seventh red team (1 Dec c), V5 and V12: EICAR's backslash escaped is the string's only escape, which made no view.
    ['a JSON string whose only escape is its backslash (JSON.stringify)', `${JSON.stringify({ path: 'C:\\tools', note: EICAR })}\n`, { filename: 'a.json' }],
    ['a Python bytes literal', `payload = b'${EICAR.replace(/\\/g, '\\\\')}'\n`, { filename: 'a.py' }],
  ];
  for (const [name, body, o] of cases) {
    const r = await inspectBytes(body, av(), o);
    const m = r.findings.find((f) => f.kind === 'malware');
    t.ok(m, `${name}: ${kinds(r.findings).join(', ')}`);
  }
  const cut = await inspectChunks(chunks(Buffer.from(`${'{"log": "ok"}\n'.repeat(40)}${JSON.stringify({ note: EICAR })}\n`), 7), av(), { filename: 'a.json' });
  t.ok(cut.findings.some((f) => f.kind === 'malware'), `the JSON string cut in chunks of 7 bytes, across its escapes: ${kinds(cut.findings).join(', ')}`);
  const config = await inspectBytes(`${JSON.stringify({ paths: ['C:\\Program Files\\Ferry', 'D:\\data\\in'], note: 'ordinary' })}\n`, av(), { filename: 'a.json' });
  t.same(config.findings, [], 'an ordinary JSON config with Windows paths is clean');
  const page = await inspectBytes('<html><body><p>R&amp;D 投入 &lt;12%&gt;，&#20108;&#23395;度。</p></body></html>', av(), { filename: 'a.html' });
  t.same(page.findings, [], 'an ordinary page with entities is clean');
  const photo = await inspectBytes(pngImage([['zTXt', Buffer.concat([Buffer.from('Comment\u0000\u0000', 'latin1'), zlib.deflateSync('Taken at the annual meeting, 2026.')])]]), av(), { filename: 'a.png' });
  t.same(photo.findings, [], 'a PNG with an ordinary zTXt comment is clean');
  const song = await inspectBytes(mp3WithTag(id3Tag(3, [id3Frame(3, 'COMM', commentPayload('Recorded at the annual meeting, 2026.', 3), { compress: true })])), av(), { filename: 'a.mp3' });
  t.same(song.findings, [], 'an MP3 with an ordinary compressed ID3 comment is clean');
});

// Red team of 1 December (A7): clamd undoes a PDF's Flate, not a predictor; Ferry's decoding of the attachment goes to it.
// Eighth red team (1 Dec d), V2: clamd got UTF-16 text as its bytes, two to a character, which no signature written as text matches.
t.test('clamd also sees UTF-16 and UTF-32 text as Ferry read it: Notepad "Unicode", a .ps1, a PowerShell -EncodedCommand', { skip: noClamd }, async (t) => {
  const bom16 = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const be16 = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
  const le32 = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...s].map((c) => { const b = Buffer.alloc(4); b.writeUInt32LE(c.codePointAt(0)!); return b; })]);
  const command = `Set-Content -Path $env:TEMP\\e.com -Value '${EICAR.replace(/'/g, "''")}'`;
  const cases: Array<[string, Buffer | string, { filename?: string }]> = [
    ['a Notepad "Unicode" text file (UTF-16LE, BOM)', bom16(EICAR), { filename: 'e.txt' }],
    ['a .ps1 in UTF-16LE with a BOM (PowerShell ISE)', bom16(`$s = '${EICAR}'\r\nSet-Content -Path e.com -Value $s\r\n`), { filename: 'run.ps1' }],
    ['UTF-16BE without a BOM', be16(`note: ${EICAR}\n`), { filename: 'e.txt' }],
    ['UTF-32LE with a BOM', le32(`${EICAR}\n`), { filename: 'e.txt' }],
    ['a PowerShell -EncodedCommand (base64 of UTF-16LE) in a .bat', `@echo off\r\npowershell.exe -NoProfile -EncodedCommand ${Buffer.from(command, 'utf16le').toString('base64')}\r\n`, { filename: 'run.bat' }],
  ];
  for (const [name, body, o] of cases) {
    const r = await inspectBytes(body, av(), o);
    t.ok(r.findings.some((f) => f.kind === 'malware'), `${name}: ${kinds(r.findings).join(', ')}`);
  }
  const clean: Array<[string, Buffer | string, { filename?: string }]> = [
    ['an ordinary UTF-16LE note', bom16('会议纪要：二〇二六年十二月一日，出席 12 人。\r\nMinutes of the meeting, 1 Dec 2026.\r\n'), { filename: 'note.txt' }],
    ['an ordinary -EncodedCommand', `powershell.exe -EncodedCommand ${Buffer.from('Get-ChildItem -Path C:\\data | Measure-Object', 'utf16le').toString('base64')}\r\n`, { filename: 'run.bat' }],
  ];
  for (const [name, body, o] of clean) t.same((await inspectBytes(body, av(), o)).findings, [], `${name} is clean`);
});

t.test('clamd sees a PDF attachment as Ferry decoded it: Flate with a PNG or TIFF predictor', { skip: noClamd }, async (t) => {
  for (const predictor of [12, 2, 15] as const) {
    const r = await inspectBytes(eicarBehindPredictor(predictor), av(), { filename: 'a.pdf' });
    const m = r.findings.find((f) => f.kind === 'malware');
    t.ok(m, `predictor ${predictor}: ${kinds(r.findings).join(', ')}`);
    t.equal(m?.path, '(decoded content)', 'found in what only Ferry decoded');
  }
  for (const s of filterCleanSamples()) t.same(kinds((await inspectBytes(s.body, av(), { filename: 'a.pdf' })).findings), [], `${s.name}: clean`);
});

t.test('clamd sees the later streams of a bzip2 file, which its own bzip2 reader does not (pbzip2, lbzip2)', { skip: noClamd || (compressWith('bzip2', Buffer.from('x')) ? false : 'bzip2 is not installed') }, async (t) => {
  const bz = (b: Buffer | string) => compressWith('bzip2', Buffer.from(b))!;
  const second = Buffer.concat([bz('hello\n'.repeat(100)), bz(`${EICAR}\n`)]);
  const r = await inspectBytes(second, av(), { filename: 'e.bz2', declaredType: 'application/x-bzip2' });
  t.ok(r.findings.some((f) => f.kind === 'malware'), `EICAR in the second stream: ${kinds(r.findings).join(', ')}`);
  const third = Buffer.concat([bz('a'), bz(randomText(300_000)), bz(`${EICAR}\n`)]);
  const r3 = await inspectChunks(chunks(third, 4096), av(), { filename: 'e.bz2' });
  t.ok(r3.findings.some((f) => f.kind === 'malware'), `EICAR in the third stream, after 300 kB, in chunks: ${kinds(r3.findings).join(', ')}`);
  const first = await inspectBytes(Buffer.concat([bz(`${EICAR}\n`), bz('hello\n')]), av(), { filename: 'e.bz2' });
  t.ok(first.findings.some((f) => f.kind === 'malware'), `EICAR in the first stream: ${kinds(first.findings).join(', ')}`);
  const clean = await inspectBytes(Buffer.concat([bz('hello\n'.repeat(100)), bz('会议纪要\n')]), av(), { filename: 'notes.txt.bz2' });
  t.same(clean.findings, [], 'two clean streams are clean');
});

t.test('clean content and large content pass with back-pressure; EICAR at the end of 24 MiB is found', { skip: noClamd }, async (t) => {
  const clean = await inspectBytes('普通文本 ordinary text', av());
  t.same(clean.findings, []);
  const chunks: Buffer[] = [];
  for (let i = 0; i < 24 * 16; i++) chunks.push(Buffer.alloc(64 * 1024, i % 251));
  chunks.push(Buffer.from(EICAR));
  const big = await inspectChunks(chunks, av());
  t.same(kinds(big.findings), ['malware:Ferry.Test.EICAR.UNOFFICIAL']);
  t.equal(big.size, 24 * 1024 * 1024 + EICAR.length);
});

t.test('no antivirus configured: no av stage and no finding, even for EICAR', { skip: noClamd }, async (t) => {
  const r = await inspectBytes(EICAR, { clamd: null });
  t.same(r.findings, []);
  t.equal(inspectorStages({ transferId: 'x', label: 'internal' }, {}).length, 1);
  t.equal(inspectorStages({ transferId: 'x', label: 'internal' }, av()).length, 2);
});

t.test('every failure of clamd is av-unavailable, never clean', { skip: noClamd }, async (t) => {
  // nothing listening
  const gone = await fakeClamd('close');
  await gone.close();
  const refused = await inspectBytes('hello', { clamd: { port: gone.port, timeoutMs: 5000 } });
  t.same(kinds(refused.findings), ['av-unavailable:connect']);
  for (const [behaviour, subkind] of [['silent', 'timeout'], ['close', 'io'], ['refuse-size', 'too-large'], ['garbage', 'error']] as const) {
    const fake = await fakeClamd(behaviour);
    const r = await inspectBytes('hello', { clamd: { port: fake.port, timeoutMs: 1500 } });
    t.same(kinds(r.findings), [`av-unavailable:${subkind}`], behaviour);
    await fake.close();
  }
  const tooBig = await inspectChunks([Buffer.alloc(1000), Buffer.alloc(1000)], { clamd: { port: clamd.port, maxBytes: 1500 } });
  t.same(kinds(tooBig.findings), ['av-unavailable:too-large']);
});

t.test('a stalled clamd holds the pass (back-pressure) and then times out as av-unavailable', async (t) => {
  const fake = await fakeClamd('silent');
  // The fake reads everything, so force a stall with a server that pauses its socket.
  await fake.close();
  const sockets: net.Socket[] = [];
  const srv = net.createServer((s) => {
    sockets.push(s);
    s.pause();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  // '.' is outside the base64 alphabet: only the stream itself goes to clamd, not a decoded copy.
  const chunks = Array.from({ length: 64 }, () => Buffer.alloc(1024 * 1024, 0x2e));
  const r = await inspectChunks(chunks, { clamd: { port, timeoutMs: 1500 } });
  t.same(kinds(r.findings), ['av-unavailable:timeout']);
  for (const s of sockets) s.destroy();
  await new Promise<void>((res) => srv.close(() => res()));
});

t.test('an aborted transfer releases the clamd connection', { skip: noClamd }, async (t) => {
  const ac = new AbortController();
  const stages = inspectorStages({ transferId: 'x', label: 'internal', signal: ac.signal }, av());
  for (const s of stages) await s.update(Buffer.from('partial'));
  ac.abort();
  for (const s of stages) s.abort(new Error('client went away'));
  const input = Readable.from([Buffer.from('next transfer still scans')]);
  t.ok(input);
  const after = await inspectBytes(EICAR, av());
  t.same(kinds(after.findings), ['malware:Ferry.Test.EICAR.UNOFFICIAL'], 'clamd still serves the next scan');
});
