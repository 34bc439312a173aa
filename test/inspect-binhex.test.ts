import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { binhex, binhexCleanSamples, binhexSamples } from './binhex-fixtures.js';
import { uuencode } from './evasion-fixtures.js';

// BinHex 4.0 (fourth red team, 1 Dec 2026, N26): a memo in BinHex crossed. Its forks are read as files.

const MARKED = Buffer.from(`关于工作的通知\n机密★10年\n${'正文'.repeat(20)}\n`);

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < b.length; p += size) out.push(b.subarray(p, p + size));
  return out;
}

t.test('BinHex forks are decoded and read, at any chunking; look-alikes stay clean', async (t) => {
  for (const s of binhexSamples()) {
    for (const size of [1, 5, 64, 65536]) {
      const r = await inspectChunks(chunked(s.body, size), {}, { filename: s.filename, declaredType: s.type });
      t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}, chunks of ${size}: ${kinds(r.findings).join()}`);
    }
  }
  // Runs of 0x90 and of other bytes, and 0x90 itself, decode as written.
  const runs = Buffer.concat([Buffer.from([0x90, 0x90, 0x90, 0x90, 0x90, 1, 0x90]), Buffer.alloc(300, 0x41), MARKED]);
  const r = await inspectBytes(binhex('runs.bin', runs), {}, { filename: 'runs.hqx' });
  t.ok(r.findings.some((f) => f.kind === 'classified-marking' && f.path === 'runs.bin'), `coded runs: ${kinds(r.findings).join()}`);
  // A second block after a clean one, and a block after a banner left open, are read too.
  const clean = binhex('a.txt', Buffer.from('正文\n'));
  const two = Buffer.concat([clean, Buffer.from('\n'), binhex('b.txt', MARKED)]);
  const decoy = Buffer.concat([Buffer.from('(This file must be converted with BinHex' + ' x'.repeat(40) + '\n'), binhex('b.txt', MARKED)]);
  for (const [name, b] of [['a second block', two], ['after a decoy banner', decoy]] as const) {
    for (const size of [7, 65536]) {
      const x = await inspectChunks(chunked(b, size), {}, { filename: 'm.hqx' });
      t.ok(x.findings.some((f) => f.kind === 'classified-marking' && f.path === 'b.txt'), `${name}, chunks of ${size}: ${kinds(x.findings).join()}`);
    }
  }
  for (const s of binhexCleanSamples()) {
    const c = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(c.findings), [], `${s.name}: clean`);
  }
});

t.test('BinHex written by Python\'s binhex module, where a Python that has it is installed', async (t) => {
  const py = ['/root/.pyenv/versions/3.10.13/bin/python', 'python3.10', 'python3.9', 'python3.8'].find((p) => spawnSync(p, ['-W', 'ignore', '-c', 'import binhex'], { stdio: 'ignore' }).status === 0);
  if (!py) return void t.pass('no Python with binhex: the written fixtures stand for it');
  const dir = mkdtempSync(join(tmpdir(), 'ferry-hqx-'));
  try {
    writeFileSync(join(dir, 'memo.txt'), MARKED);
    t.equal(spawnSync(py, ['-W', 'ignore', '-c', `import binhex; binhex.binhex(${JSON.stringify(join(dir, 'memo.txt'))}, ${JSON.stringify(join(dir, 'memo.hqx'))})`]).status, 0);
    const r = await inspectBytes(readFileSync(join(dir, 'memo.hqx')), {}, { filename: 'memo.hqx', declaredType: 'application/octet-stream' });
    t.same(kinds(r.findings), ['classified-marking:机密'], 'read');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Review of 1 Dec: BinHex and uuencode shared the member being decoded, so a BinHex block that opened while a
// uuencoded file was still open (its `end` in the next chunk) dropped that file unread.
t.test('a BinHex block after a uuencoded file still open across a chunk boundary', async (t) => {
  const KW = 'ZEBRAPLUTONIUM';
  const uu = uuencode('memo.txt', Buffer.from(`memo: the code word is ${KW}, do not share\n`));
  const cut = uu.lastIndexOf('`\nend');
  const first = `${'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n'.repeat(2000)}Notes follow.\n${uu.slice(0, cut)}`;
  const second = Buffer.concat([Buffer.from(uu.slice(cut)), binhex('b.txt', Buffer.from('hello world, nothing here\n'))]);
  const r = await inspectChunks([Buffer.from(first), second], { keywords: [KW] }, { filename: 'n.txt', declaredType: 'text/plain' });
  t.ok(r.findings.some((f) => f.kind === 'keyword' && f.path === 'memo.txt'), `the uuencoded file is read (${kinds(r.findings).join(' ') || 'none'})`);
});

// Review of 1 Dec: the decoder called itself once a banner, so text with 100,000 banners ran out of stack and
// was refused archive-broken.
t.test('text of many BinHex banners is read, not a stack overflow', async (t) => {
  const text = Buffer.from('(This file must be converted with BinHex 4.0)\nnot a block\n'.repeat(100_000));
  const r = await inspectBytes(text, {}, { filename: 'notes.txt', declaredType: 'text/plain' });
  t.same(kinds(r.findings), [], 'no finding');
});
