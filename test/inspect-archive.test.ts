import t from 'tap';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { docx, inspectBytes, inspectChunks, kinds, overlapBomb, peExecutable, tar, tarLongName, zip, zip64 } from './inspect-fixtures.js';
import { shiftOffsets, storedNoSignature, withSigningBlock } from './archive-fp-fixtures.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Archives and types: zip (stored, deflated, data descriptors), gzip, tar,
// docx; nesting; limits (depth, members, expanded size, ratio); Fifield's
// overlapping bomb; encrypted and broken archives; executables in disguise.

const MARKED = Buffer.from('会议纪要\n密级：机密\n内容略');
const CLEAN = Buffer.from('会议纪要\n本次会议讨论了年度预算。\n');

function chunked(b: Buffer, size = 1000): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < b.length; p += size) out.push(b.subarray(p, p + size));
  return out;
}

t.test('zip members are inspected, stored, deflated or with data descriptors, at any chunking', async (t) => {
  const z = zip([
    { name: 'readme.txt', data: CLEAN, method: 0 },
    { name: 'docs/minutes.txt', data: MARKED, method: 8 },
    { name: 'docs/streamed.txt', data: Buffer.from('联系人电话 13812345678'), method: 8, descriptor: true },
  ]);
  for (const size of [1, 7, 100, 65536]) {
    const r = await inspectChunks(chunked(z, size), {}, { filename: 'bundle.zip', declaredType: 'application/zip' });
    t.same(kinds(r.findings), ['classified-marking:机密', 'personal-data:cn-mobile'], `chunks of ${size}`);
    t.equal(r.findings.find((f) => f.kind === 'classified-marking')!.path, 'docs/minutes.txt');
    t.equal(r.findings.find((f) => f.kind === 'personal-data')!.path, 'docs/streamed.txt');
    t.equal(r.sniffedType, 'application/zip');
  }
});

t.test('a docx whose marking Word split across runs', async (t) => {
  const d = docx(['关于', '秘', '密★', '1年', '事项的通知']);
  const r = await inspectBytes(d, {}, { filename: 'notice.docx', declaredType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  t.same(kinds(r.findings), ['classified-marking:秘密']);
  t.equal(r.findings[0]!.path, 'word/document.xml');
  t.equal(r.findings[0]!.sample, '秘密★1年');
  const clean = await inspectBytes(docx(['关于', '年度预算', '的通知']), {}, { filename: 'budget.docx' });
  t.same(clean.findings, [], 'a clean docx has no findings');
});

t.test('nested archives: tar.gz holding a zip holding a docx', async (t) => {
  const inner = zip([{ name: 'report.docx', data: docx(['【绝密】']), method: 0 }]);
  const tgz = zlib.gzipSync(tar([{ name: 'readme.txt', data: CLEAN }, { name: 'inner.zip', data: inner }]));
  const r = await inspectChunks(chunked(tgz, 4096), {}, { filename: 'bundle.tar.gz' });
  t.same(kinds(r.findings), ['classified-marking:绝密']);
  t.equal(r.findings[0]!.path, 'bundle.tar!/inner.zip!/report.docx!/word/document.xml');
});

t.test('depth limit', async (t) => {
  let z = zip([{ name: 'deep.txt', data: MARKED }]);
  for (let i = 0; i < 7; i++) z = zip([{ name: `level${i}.zip`, data: z, method: 0 }]);
  const r = await inspectBytes(z, { limits: { maxDepth: 3 } });
  t.ok(r.findings.some((f) => f.kind === 'archive-limit' && f.subkind === 'depth'), kinds(r.findings).join());
  t.notOk(r.findings.some((f) => f.kind === 'classified-marking'), 'nothing past the limit is claimed');
});

t.test('member and expanded-size limits', async (t) => {
  const many = zip(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, data: CLEAN })));
  const r = await inspectBytes(many, { limits: { maxMembers: 5 } });
  t.ok(r.findings.some((f) => f.kind === 'archive-limit' && f.subkind === 'members'));
  const big = zip([{ name: 'big.txt', data: Buffer.alloc(300_000, '年度预算。') }]);
  const r2 = await inspectBytes(big, { limits: { maxExpandedBytes: 100_000, maxRatio: 10_000 } });
  t.ok(r2.findings.some((f) => f.kind === 'archive-limit' && f.subkind === 'expanded-size'), kinds(r2.findings).join());
});

t.test('zip bombs: a high-ratio member, and Fifield overlapping entries', async (t) => {
  const ratio = zip([{ name: 'zeros.bin', data: Buffer.alloc(64 * 1024 * 1024) }]);
  t.ok(ratio.length < 100_000, `bomb is ${ratio.length} bytes`);
  const r = await inspectBytes(ratio);
  t.same(kinds(r.findings), ['archive-limit:ratio']);
  t.equal(r.findings[0]!.path, 'zeros.bin');
  const bomb = overlapBomb(200, 2 * 1024 * 1024);
  const r2 = await inspectBytes(bomb);
  t.ok(r2.findings.some((f) => f.kind === 'archive-broken'), `overlap: ${kinds(r2.findings).join()}`);
  const gz = zlib.gzipSync(Buffer.alloc(32 * 1024 * 1024));
  const r3 = await inspectBytes(gz, {}, { filename: 'zeros.gz' });
  t.same(kinds(r3.findings), ['archive-limit:ratio'], 'gzip bomb');
});

t.test('encrypted zip members are findings', async (t) => {
  const z = zip([{ name: 'secret.txt', data: Buffer.from('ciphertext, as far as we know'), method: 0, encrypted: true }, { name: 'ok.txt', data: MARKED }]);
  const r = await inspectBytes(z);
  t.same(kinds(r.findings), ['archive-encrypted:zipcrypto', 'classified-marking:机密'], 'the members after it are still inspected');
  t.equal(r.findings[0]!.path, 'secret.txt');
  const aes = await inspectBytes(zip([{ name: 'a.bin', data: Buffer.alloc(40, 7), method: 99, encrypted: true }]));
  t.same(kinds(aes.findings), ['archive-encrypted:aes']);
});

t.test('members that cannot be inspected in a stream are archive-limit:unsupported', async (t) => {
  const bzip2 = await inspectBytes(zip([{ name: 'a.bz', data: Buffer.from('BZh91AY&SY not really'), method: 12 }, { name: 'b.txt', data: MARKED }]));
  t.same(kinds(bzip2.findings), ['archive-limit:unsupported', 'classified-marking:机密'], 'method 12 is skipped by its size, the rest inspected');
  // A stored member whose data descriptor has no signature cannot be delimited (with one, it is walked: below).
  const stored = await inspectBytes(storedNoSignature(CLEAN));
  t.same(kinds(stored.findings), ['archive-limit:unsupported'], 'stored with a data descriptor without its signature');
});

t.test('broken zips: central directory disagreeing, duplicated entries, truncation, bad CRC, trailing data, garbage', async (t) => {
  const ok = [{ name: 'a.txt', data: CLEAN }, { name: 'b.txt', data: CLEAN }];
  const forms: [string, Buffer][] = [
    ['csize in central directory', zip(ok, { cdSizeDelta: 1 })],
    ['extra central entry (overlap)', zip(ok, { extraCdEntry: true })],
    ['trailing data', zip(ok, { trailing: Buffer.from('hello') })],
    ['truncated', zip(ok).subarray(0, 60)],
    ['truncated in the central directory', zip(ok).subarray(0, zip(ok).length - 30)],
  ];
  const crc = zip([{ name: 'a.txt', data: CLEAN, method: 0 }]);
  crc[30 + 5 + 3] = crc[30 + 5 + 3]! ^ 0x01; // a stored byte changed
  forms.push(['bad crc', crc]);
  const deflate = zip([{ name: 'a.txt', data: Buffer.alloc(5000, 'abc') }]);
  deflate.fill(0xff, 40, 60);
  forms.push(['corrupt deflate', deflate]);
  for (const [name, b] of forms) {
    const r = await inspectBytes(b);
    t.ok(r.findings.some((f) => f.kind === 'archive-broken'), `${name}: ${kinds(r.findings).join()}`);
  }
  const clean = await inspectBytes(zip(ok));
  t.same(clean.findings, [], 'the untampered zip is clean');
});

t.test('mutated zips never crash and always finish', async (t) => {
  const base = zip([{ name: 'a.txt', data: MARKED }, { name: 'b.txt', data: CLEAN, method: 0, descriptor: false }, { name: 'c.txt', data: CLEAN, descriptor: true }]);
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  let done = 0;
  for (let i = 0; i < 300; i++) {
    const m = Buffer.from(base);
    for (let k = 0; k <= rnd(4); k++) m[rnd(m.length)] = rnd(256);
    const r = await inspectChunks(chunked(m, 1 + rnd(64)));
    t.ok(Array.isArray(r.findings));
    done++;
  }
  t.equal(done, 300);
});

t.test('Zip64 records and long tar names', async (t) => {
  const z = zip64([{ name: 'a.txt', data: CLEAN }, { name: 'b/minutes.txt', data: MARKED }]);
  for (const size of [3, 65536]) {
    const r = await inspectChunks(chunked(z, size), {}, { filename: 'big.zip' });
    t.same(kinds(r.findings), ['classified-marking:机密'], `zip64, chunks of ${size}`);
    t.equal(r.findings[0]!.path, 'b/minutes.txt');
  }
  const long = `${'very-long-directory-name/'.repeat(6)}minutes.txt`;
  for (const form of ['pax', 'gnu'] as const) {
    const r = await inspectBytes(tarLongName(long, MARKED, form), {}, { filename: 'x.tar' });
    t.same(kinds(r.findings), ['classified-marking:机密'], form);
    t.equal(r.findings[0]!.path, long, `${form}: the long name is the path`);
  }
});

t.test('a zlib header is two bytes: binary content that only starts like one is judged as binary, not as a broken archive', async (t) => {
  const real = await inspectBytes(zlib.deflateSync(MARKED), {}, { filename: 'blob.bin', declaredType: 'application/octet-stream' });
  t.ok(real.findings.length > 0 && kinds(real.findings).every((k) => k === 'classified-marking:机密'), 'a zlib stream is read');
  t.ok(real.findings.some((f) => f.path?.endsWith('(zlib)')), 'inflated');
  // Random bytes behind a valid zlib header (CMF 0x78, FLG 0x9c): as any random binary, uninspectable.
  let looked = 0;
  for (let i = 0; i < 20; i++) {
    const random = Buffer.concat([Buffer.from([0x78, 0x9c]), randomBytes(4094)]);
    const r = await inspectBytes(random, {}, { filename: 'blob.bin', declaredType: 'application/octet-stream' });
    t.notOk(r.findings.some((f) => f.kind === 'archive-broken'), 'not a broken archive');
    if (r.findings.some((f) => f.kind === 'uninspectable')) looked++;
  }
  t.equal(looked, 20, 'each judged as the random binary it is: uninspectable');
  // A real stream cut short (what it held so far, then garbage): not waved through either.
  const cut = Buffer.concat([zlib.deflateSync(Buffer.concat([MARKED, randomBytes(8192)])).subarray(0, 6000), randomBytes(2000)]);
  t.ok((await inspectBytes(cut, {}, { filename: 'blob.bin', declaredType: 'application/octet-stream' })).findings.some((f) => f.kind === 'uninspectable' || f.kind === 'classified-marking'), 'a damaged stream is refused, as unreadable or for what it held');
});

t.test('gzip and tar', async (t) => {
  const r = await inspectBytes(zlib.gzipSync(MARKED), {}, { filename: 'minutes.txt.gz', declaredType: 'application/gzip' });
  t.same(kinds(r.findings), ['classified-marking:机密']);
  t.equal(r.findings[0]!.path, 'minutes.txt');
  const full = zlib.gzipSync(Buffer.from(Array.from({ length: 3000 }, (_, i) => `第${i}行 ${(i * 7919) % 10007}`).join('\n')));
  const truncated = full.subarray(0, full.length >> 1);
  t.ok((await inspectBytes(truncated)).findings.some((f) => f.kind === 'archive-broken'), 'truncated gzip');
  const tr = tar([{ name: 'a/b.txt', data: MARKED }]);
  const r2 = await inspectBytes(tr, {}, { filename: 'x.tar' });
  t.same(kinds(r2.findings), ['classified-marking:机密']);
  t.equal(r2.findings[0]!.path, 'a/b.txt');
  const bad = Buffer.from(tr);
  bad[600] = 0x41; // inside the member: content changes, the header still matches
  t.same(kinds((await inspectBytes(bad)).findings), ['classified-marking:机密'], 'a changed member byte is not a broken archive');
  const badHeader = Buffer.concat([Buffer.from(tr.subarray(0, 10)), Buffer.from('X'), tr.subarray(11)]);
  t.ok((await inspectBytes(badHeader, {}, { filename: 'x.tar' })).findings.some((f) => f.kind === 'archive-broken'), 'a header that fails its checksum');
});

t.test('types: a PE renamed .pdf, members that lie about their type, honest files', async (t) => {
  const pe = peExecutable();
  const r = await inspectBytes(pe, {}, { filename: 'invoice.pdf', declaredType: 'application/pdf' });
  t.same(kinds(r.findings), ['type-mismatch:application/x-msdownload']);
  t.equal(r.sniffedType, 'application/x-msdownload');
  const byName = await inspectBytes(pe, {}, { filename: 'invoice.pdf' });
  t.match(byName.findings[0]!.detail, /extension \.pdf/);
  const member = await inspectBytes(zip([{ name: 'scan.pdf', data: pe }]), {}, { filename: 'scans.zip' });
  t.same(kinds(member.findings), ['type-mismatch:application/x-msdownload']);
  t.equal(member.findings[0]!.path, 'scan.pdf');
  const textAsPdf = await inspectBytes('just text', {}, { filename: 'a.pdf' });
  t.same(kinds(textAsPdf.findings), ['type-mismatch:text/plain']);
  const honest: [string, Buffer | string, string, string][] = [
    ['notes.txt', '普通文本', 'text/plain; charset=utf-8', 'text/plain'],
    ['data.csv', 'a,b\n1,2\n', 'text/csv', 'text/plain'],
    ['data.json', '{"a":1}', 'application/json', 'text/plain'],
    ['bundle.zip', zip([{ name: 'a.txt', data: CLEAN }]), 'application/zip', 'application/zip'],
    ['pic.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(100)]), 'image/png', 'image/png'],
    ['blob.bin', Buffer.from([0, 1, 2, 3, 250, 251, 252]), 'application/octet-stream', 'application/octet-stream'],
  ];
  for (const [filename, data, declaredType, sniffed] of honest) {
    const h = await inspectBytes(data, {}, { filename, declaredType });
    t.same(h.findings, [], filename);
    t.equal(h.sniffedType, sniffed, `${filename} sniffed`);
  }
});

t.test('the type sniffer is fenced: a parser that never answers is cut off, and the next call works', async (t) => {
  const { SniffWorker } = await import('../gateway/inspect/type-sniff.js');
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sniff-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // A stand-in for a parser stuck in a loop: it answers the first message, then spins forever.
  const script = join(dir, 'stuck.mjs');
  await writeFile(script, "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage({ ready: true });\nlet n = 0;\nparentPort.on('message', (m) => { if (n++ === 0) parentPort.postMessage({ id: m.id, mime: 'x/first', ext: 'x' }); else for (;;) {} });\n");
  const w = new SniffWorker(pathToFileURL(script), 500);
  t.same(await w.ask(new Uint8Array([1])), { mime: 'x/first', ext: 'x' });
  t.equal(await w.ask(new Uint8Array([2])), 'timeout', 'the looping call is abandoned');
  t.same(await w.ask(new Uint8Array([3])), { mime: 'x/first', ext: 'x' }, 'a fresh worker answers the next call');
});

t.test('a zip appended after binary content is found wherever a chunk boundary cuts its signature (the seam is searched apart from the chunk)', async (t) => {
  // Random bytes, then a zip whose marked member is deflated.
  // Past the 64 KiB that go to the worker whole, so that the cut chunks reach the text handler apart;
  // no first byte of any signature in it (P 7 ý B ( 0x1f R), so that nothing else is found.
  const head = randomBytes(100_000).map((b) => ([0x50, 0x37, 0xfd, 0x42, 0x28, 0x1f, 0x52].includes(b) ? 0x99 : b));
  const body = Buffer.concat([head, zip([{ name: 'n.txt', data: MARKED, method: 8 }])]);
  for (const cut of [head.length - 40, head.length - 32, head.length - 3, head.length - 1, head.length, head.length + 1, head.length + 2, head.length + 31]) {
    const chunks = [body.subarray(0, 70_000), body.subarray(70_000, cut), body.subarray(cut)];
    const r = await inspectChunks(chunks, {}, { filename: 'a.bin', declaredType: 'application/octet-stream' });
    t.ok(r.findings.some((f) => f.kind === 'classified-marking' && f.path?.startsWith('embedded@100000')), `cut at ${cut - head.length} from the signature: ${kinds(r.findings).join(', ')}`);
  }
});

t.test('zips behind a prefix whose offsets count it (zipapp, zip -A) and APKs with a signing block are walked', async (t) => {
  const members = [{ name: '__main__.py', data: Buffer.from('print("hello")\n') }, { name: 'data/minutes.txt', data: MARKED, method: 0 }];
  const cleanMembers = [{ name: '__main__.py', data: Buffer.from('print("hello")\n') }, { name: 'data/minutes.txt', data: CLEAN, method: 0 }];
  const shebang = Buffer.from('#!/usr/bin/env python3\n');
  const stub = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  const forms: [string, (m: typeof members) => Buffer, string][] = [
    ['zipapp (offsets count the shebang)', (m) => Buffer.concat([shebang, shiftOffsets(zip(m), shebang.length)]), 'tool.pyz'],
    ['zip -A self-extractor (offsets count the stub)', (m) => Buffer.concat([stub, shiftOffsets(zip(m), stub.length)]), 'setup.exe'],
    ['APK with a v2 signing block', (m) => withSigningBlock(zip(m)), 'app.apk'],
    ['APK with a signing block behind a prefix', (m) => Buffer.concat([shebang, shiftOffsets(withSigningBlock(zip(m)), shebang.length)]), 'app.apk'],
  ];
  for (const [name, make, filename] of forms) {
    for (const size of [1, 13, 65536]) {
      const clean = await inspectChunks(chunked(make(cleanMembers), size), {}, { filename });
      t.same(kinds(clean.findings), [], `${name}, chunks of ${size}: clean`);
      const marked = await inspectChunks(chunked(make(members), size), {}, { filename });
      t.ok(marked.findings.some((f) => f.kind === 'classified-marking' && f.path?.endsWith('data/minutes.txt')), `${name}, chunks of ${size}: the member is read`);
      t.notOk(marked.findings.some((f) => f.kind === 'archive-broken'), `${name}, chunks of ${size}: not broken`);
    }
  }
  // Look-alikes that are still broken: offsets shifted for one entry only, a block without the magic, sizes that disagree.
  const broken: [string, Buffer][] = [
    ['one entry shifted, not the others', Buffer.concat([shebang, shiftOffsets(zip(cleanMembers), shebang.length, true)])],
    ['end record shifted by another amount', (() => { const b = Buffer.concat([shebang, shiftOffsets(zip(cleanMembers), shebang.length)]); b.writeUInt32LE(b.readUInt32LE(b.length - 6) + 1, b.length - 6); return b; })()],
    ['a block without the APK magic', withSigningBlock(zip(cleanMembers), { magic: 'APK Sig Block 43' })],
    ['a signing block whose two sizes disagree', (() => { const b = withSigningBlock(zip(cleanMembers)); const cd = b.readUInt32LE(b.length - 6); b.writeUInt32LE(b.readUInt32LE(cd - 24) + 8, cd - 24); return b; })()],
  ];
  for (const [name, b] of broken) {
    const r = await inspectBytes(b, {}, { filename: 'a.zip', declaredType: 'application/zip' });
    t.ok(r.findings.some((f) => f.kind === 'archive-broken'), `${name}: ${kinds(r.findings).join()}`);
  }
});

t.test('stored members with data descriptors (a zip written to a pipe) are walked to their descriptor', async (t) => {
  const forged = Buffer.concat([Buffer.from('会议纪要\n'), Buffer.from([0x50, 0x4b, 0x07, 0x08]), Buffer.alloc(12, 0), MARKED]);
  const z = zip([
    { name: 'a.txt', data: CLEAN, method: 0, descriptor: true },
    { name: 'b.bin', data: forged, method: 0, descriptor: true },
    { name: 'c.txt', data: Buffer.from('联系人电话 13812345678'), method: 0, descriptor: true },
    { name: 'd.txt', data: CLEAN, method: 8, descriptor: true },
  ]);
  for (const size of [1, 3, 17, 65536]) {
    const r = await inspectChunks(chunked(z, size), {}, { filename: 'bundle.zip', declaredType: 'application/zip' });
    t.same(kinds(r.findings), ['classified-marking:机密', 'personal-data:cn-mobile'], `chunks of ${size}: a false signature in the data does not end it`);
    t.equal(r.findings.find((f) => f.kind === 'classified-marking')!.path, 'b.bin');
    const clean = await inspectChunks(chunked(zip([{ name: 'a.txt', data: CLEAN, method: 0, descriptor: true }, { name: 'e.txt', data: Buffer.alloc(0), method: 0, descriptor: true }]), size));
    t.same(kinds(clean.findings), [], `chunks of ${size}: clean, an empty member too`);
  }
  // A forged descriptor that matches the bytes before it ends the member early: the central directory disagrees.
  const head = Buffer.from('会议纪要\n');
  const dd = Buffer.alloc(16);
  dd.writeUInt32LE(0x08074b50, 0);
  dd.writeUInt32LE(zlib.crc32(head), 4);
  dd.writeUInt32LE(head.length, 8);
  dd.writeUInt32LE(head.length, 12);
  const early = await inspectBytes(zip([{ name: 'a.txt', data: Buffer.concat([head, dd, MARKED]), method: 0, descriptor: true }]));
  t.ok(early.findings.some((f) => f.kind === 'archive-broken'), `a descriptor forged inside the data: ${kinds(early.findings).join()}`);
  // What Info-ZIP writes to a pipe, where it is installed.
  let piped: Buffer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-zip0-'));
  try {
    writeFileSync(join(dir, 'notice.txt'), MARKED);
    writeFileSync(join(dir, 'plain.txt'), CLEAN);
    piped = execFileSync('sh', ['-c', 'zip -q -0 -r - . | cat'], { cwd: dir });
  } catch {
    piped = undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (piped) {
    t.equal(piped.readUInt16LE(6) & 8, 8, 'zip -0 to a pipe writes data descriptors');
    const r = await inspectBytes(piped, {}, { filename: 'bundle.zip', declaredType: 'application/zip' });
    t.same(kinds(r.findings), ['classified-marking:机密'], 'zip -0 -r - | cat: walked, the marked member read');
  } else t.comment('zip is not installed: the written fixtures above stand for it');
});

// Review of 1 Dec: the APK Signing Block (up to 16 MiB) was passed over unread, and a zip local header's extra
// field and a gzip header's FEXTRA were judged by entropy only, never read as text.
t.test('what zip and gzip readers pass over is read: an APK Signing Block, a local extra field, a gzip FEXTRA', async (t) => {
  const KW = 'ZEBRAPLUTONIUM';
  const opts = { keywords: [KW] };
  const ctx = { filename: 'x.zip', declaredType: 'application/zip' };
  const readme = zip([{ name: 'readme.txt', data: Buffer.from('just a readme\n') }]);
  const pairOf = (value: Buffer): Buffer => {
    const pair = Buffer.alloc(12);
    pair.writeBigUInt64LE(BigInt(4 + value.length), 0);
    pair.writeUInt32LE(0x7109871a, 8);
    return Buffer.concat([pair, value]);
  };
  const text = await inspectBytes(withSigningBlock(readme, { pairs: pairOf(Buffer.from(`the code word is ${KW}\n`.repeat(10))) }), opts, ctx);
  t.ok(kinds(text.findings).includes(`keyword:${KW}`), `a keyword in the signing block (${kinds(text.findings).join(' ') || 'none'})`);
  const random = await inspectBytes(withSigningBlock(readme, { pairs: pairOf(randomBytes(40 * 1024)) }), opts, ctx);
  t.ok(random.findings.some((f) => f.kind === 'uninspectable'), `40 KiB of random bytes in the signing block (${kinds(random.findings).join(' ') || 'none'})`);
  const big = await inspectBytes(withSigningBlock(readme, { pairs: pairOf(randomBytes(1 << 20)) }), opts, ctx);
  t.ok(big.findings.length > 0, `1 MiB in the signing block is refused (${kinds(big.findings).join(' ')})`);
  t.same(kinds((await inspectBytes(withSigningBlock(readme), opts, ctx)).findings), [], 'an ordinary signing block stays clean');
  // A stored member whose local extra field holds a memo.
  const z = zip([{ name: 'a.txt', data: Buffer.from('hello\n'), method: 0 }]);
  const memo = Buffer.from(`memo: code word ${KW} here\n`.repeat(30));
  const extra = Buffer.concat([Buffer.from([0x99, 0x99, memo.length & 255, memo.length >> 8]), memo]);
  const nameLen = z.readUInt16LE(26);
  const lh = Buffer.from(z.subarray(0, 30));
  lh.writeUInt16LE(extra.length, 28);
  const out = Buffer.concat([lh, z.subarray(30, 30 + nameLen), extra, z.subarray(30 + nameLen)]);
  out.writeUInt32LE(out.readUInt32LE(out.length - 22 + 16) + extra.length, out.length - 22 + 16);
  t.ok(kinds((await inspectBytes(out, opts, ctx)).findings).includes(`keyword:${KW}`), 'a keyword in a local extra field');
  // A gzip whose FEXTRA holds a memo (gunzip ignores it).
  const gz = zlib.gzipSync(Buffer.from('hello\n'));
  const fextra = Buffer.from(`memo: code word ${KW} here\n`.repeat(30));
  const withExtra = Buffer.concat([gz.subarray(0, 3), Buffer.from([gz[3]! | 0x04]), gz.subarray(4, 10), Buffer.from([fextra.length & 255, fextra.length >> 8]), fextra, gz.subarray(10)]);
  t.equal(zlib.gunzipSync(withExtra).toString(), 'hello\n', 'gunzip reads it');
  t.ok(kinds((await inspectBytes(withExtra, opts, { filename: 'x.gz', declaredType: 'application/gzip' })).findings).includes(`keyword:${KW}`), 'a keyword in a gzip FEXTRA');
});

// Review of 1 Dec: bytes after a gzip stream's padding that began the next chunk were written to zlib, which
// took them for a broken member (at the top: archive-broken; in a decoded view: unread).
t.test('what follows a gzip stream\'s padding in a later chunk is read as the trailer', async (t) => {
  const gz = zlib.gzipSync(Buffer.from('hello\n'));
  const tail = Buffer.from('机密★10年 memo after the padding\n');
  for (const [name, chunks] of [['padding, then the memo in the next chunk', [Buffer.concat([gz, Buffer.alloc(4)]), tail]], ['the stream, the padding and the memo each a chunk', [gz, Buffer.alloc(3), tail]]] as const) {
    const r = await inspectChunks([...chunks], {}, { filename: 'a.gz', declaredType: 'application/gzip' });
    t.same(kinds(r.findings), ['classified-marking:机密'], `${name} (${kinds(r.findings).join(' ')})`);
  }
});
