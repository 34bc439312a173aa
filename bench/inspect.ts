import { createHash } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { inspectStream, type InspectOptions } from '../gateway/inspect/index.js';
import iconv from 'iconv-lite';
import { startClamd } from '../test/helpers/clamd.js';
import { stallPdf } from '../test/pdf-filter-fixtures.js';
import { seededRandom } from './seeded-random.js';

// npm run bench:inspect — MB/s of the full inspector set on 256 MiB of mixed
// text and binary, with and without clamd, beside a plain SHA-256 pass over
// the same bytes in the same run (the ceiling). Each "file" is streamed in
// 64 KiB chunks from a 1 MiB block generated once, so the bench itself holds
// little; the numbers are the inspectors', not the generator's. Then the
// worst cases' effect on other transfers: 100 small inspections alone and
// beside 24 MiB of nested base64, one heavy PDF and two, quiet runs between
// (BENCH_STALL_ONLY=1 runs only that part, BENCH_STALL=0 all but it).

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
const TOTAL_MIB = Number(process.env.BENCH_MIB ?? 256);

const rnd = seededRandom(12345);

const HANZI = '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从';

function chineseText(bytes: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    let s = '';
    const len = 20 + Math.floor(rnd() * 60);
    for (let i = 0; i < len; i++) s += HANZI[Math.floor(rnd() * HANZI.length)];
    const r = rnd();
    if (r < 0.05) s += ` 联系电话 1${3 + Math.floor(rnd() * 7)}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
    else if (r < 0.08) s += ' 商业秘密与工作秘密不属于密级标志';
    else if (r < 0.1) s += ` 订单号 ${String(Math.floor(rnd() * 1e16)).padStart(16, '0')}`;
    s += '。\n';
    parts.push(s);
    n += Buffer.byteLength(s);
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

function asciiCsv(bytes: number): Buffer {
  const lines: string[] = ['id,name,amount,email,note'];
  let n = 0;
  let i = 0;
  while (n < bytes) {
    const l = `${i++},user${Math.floor(rnd() * 1e6)},${(rnd() * 1e5).toFixed(2)},u${Math.floor(rnd() * 1e4)}@example.com,the quick brown fox jumps over the lazy dog`;
    lines.push(l);
    n += l.length + 1;
  }
  return Buffer.from(lines.join('\n')).subarray(0, bytes);
}

function asciiJsonLog(bytes: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  let i = 0;
  while (n < bytes) {
    const l = JSON.stringify({ ts: 1700000000 + i, level: i % 7 ? 'info' : 'warn', msg: 'request served', path: `/v1/items/${i++}`, status: 200, ms: Math.floor(rnd() * 900) / 10 });
    lines.push(l);
    n += l.length + 1;
  }
  return Buffer.from(lines.join('\n')).subarray(0, bytes);
}

function htmlWithEntities(bytes: number): Buffer {
  const parts: string[] = ['<html><body>'];
  let n = 0;
  while (n < bytes) {
    const p = `<p class="c${Math.floor(rnd() * 9)}" title="&#x5173;&#x4e8e;">${chineseText(200).toString()} R&amp;D &copy; 2024</p>\n`;
    parts.push(p);
    n += Buffer.byteLength(p);
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

function randomBinary(bytes: number, magic: number[]): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4) b.writeUInt32LE(Math.floor(rnd() * 0xffffffff) >>> 0, i);
  Buffer.from(magic).copy(b, 0);
  return b;
}

/**
 * A zip like an office document with pictures: one deflated text member and
 * one stored member of incompressible bytes, streamed (local header, data,
 * central directory).
 */
function* zipOf(text: Buffer, picture: Buffer, pictureRepeats: number): Generator<Buffer> {
  const members: { name: Buffer; method: number; crc: number; csize: number; usize: number; offset: number }[] = [];
  let offset = 0;
  const header = (name: Buffer, method: number, crc: number, csize: number, usize: number): Buffer => {
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(csize, 18);
    lh.writeUInt32LE(usize, 22);
    lh.writeUInt16LE(name.length, 26);
    return Buffer.concat([lh, name]);
  };
  const deflated = zlib.deflateRawSync(text);
  const tname = Buffer.from('word/document.txt');
  const tcrc = zlib.crc32(text);
  members.push({ name: tname, method: 8, crc: tcrc, csize: deflated.length, usize: text.length, offset });
  const th = header(tname, 8, tcrc, deflated.length, text.length);
  yield th;
  for (let p = 0; p < deflated.length; p += CHUNK) yield deflated.subarray(p, p + CHUNK);
  offset += th.length + deflated.length;
  let pcrc = 0;
  for (let i = 0; i < pictureRepeats; i++) pcrc = zlib.crc32(picture, pcrc);
  const psize = picture.length * pictureRepeats;
  const pname = Buffer.from('media/image1.png');
  members.push({ name: pname, method: 0, crc: pcrc, csize: psize, usize: psize, offset });
  const ph = header(pname, 0, pcrc, psize, psize);
  yield ph;
  yield* repeat(picture, pictureRepeats);
  offset += ph.length + psize;
  const central: Buffer[] = [];
  for (const m of members) {
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(m.method, 10);
    ch.writeUInt32LE(m.crc, 16);
    ch.writeUInt32LE(m.csize, 20);
    ch.writeUInt32LE(m.usize, 24);
    ch.writeUInt16LE(m.name.length, 28);
    ch.writeUInt32LE(m.offset, 42);
    central.push(ch, m.name);
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  yield Buffer.concat([cd, eocd]);
}

interface BenchFile {
  name: string;
  kind: string;
  chunks: () => Iterable<Buffer>;
  bytes: number;
}

function* repeat(block: Buffer, times: number): Generator<Buffer> {
  for (let t = 0; t < times; t++) for (let p = 0; p < block.length; p += CHUNK) yield block.subarray(p, p + CHUNK);
}

function corpus(): BenchFile[] {
  const per = TOTAL_MIB / 8; // eight files of equal size (and three more by format)
  const zh = chineseText(MiB);
  const csv = asciiCsv(MiB);
  const png = randomBinary(MiB, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const bin = randomBinary(MiB, [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  const zipBytes = (() => {
    let n = 0;
    for (const c of zipOf(zh, png, per - 1)) n += c.length;
    return n;
  })();
  const f = (name: string, kind: string, block: Buffer): BenchFile => ({ name, kind, chunks: () => repeat(block, per), bytes: per * MiB });
  return [
    f('a.txt', 'text (UTF-8 Chinese)', zh),
    f('b.txt', 'text (UTF-8 Chinese)', zh),
    f('c.txt', 'text (UTF-8 Chinese)', zh),
    f('d.csv', 'text (ASCII CSV)', csv),
    f('e.png', 'binary (PNG-like)', png),
    f('f.png', 'binary (PNG-like)', png),
    f('g.bin', 'binary (ELF-like)', bin),
    { name: 'h.zip', kind: 'zip (text + stored picture)', chunks: () => zipOf(zh, png, per - 1), bytes: zipBytes },
    f('i.json', 'text (ASCII JSON log)', asciiJsonLog(MiB)),
    f('j.html', 'HTML with entities', htmlWithEntities(MiB)),
    f('k.txt', 'text (GB18030 Chinese)', gb18030(zh)),
  ];
}

function gb18030(utf8: Buffer): Buffer {
  const s = utf8.toString('utf8');
  return iconv.encode(s + s, 'gb18030').subarray(0, MiB);
}

/** The worst case of issue 14: base64 nested four deep around escapes, 24 MiB. */
function pathological(): Buffer {
  let inner = Buffer.from(`${'&#26426;%E5%AF%86 \\u673a '.repeat(4000)}机密★10年\n`);
  while (inner.length < 24 * MiB) inner = Buffer.from(`${inner.toString('base64')}\n${inner.toString('base64')}\n`);
  return inner;
}

interface Heavy {
  body: Buffer;
  filename: string;
  declaredType: string;
}

interface SmallLatency {
  p50: number;
  p99: number;
  /** The longest the event loop was held (monitorEventLoopDelay, 10 ms resolution) while the small ones ran. */
  loopMaxMs: number;
  /** Each heavy inspection: how long it took and what it found. */
  heavy: string[];
}

/**
 * p50 and p99 of 100 small inspections, one after another, while the `heavy` ones run (none: the quiet
 * baseline, in the same run). Each heavy one is started first and given 300 ms to reach its costly part.
 */
async function smallLatency(heavy: Heavy[]): Promise<SmallLatency> {
  const small = Buffer.from('note: an ordinary line of text\n');
  const t0 = performance.now();
  const outcomes: string[] = [];
  const running = heavy.map((h, i) =>
    inspectStream(Readable.from(repeat(h.body, 1), { objectMode: true }), { transferId: `heavy${i}`, label: 'internal', filename: h.filename, declaredType: h.declaredType }, {}).then((r) => {
      const found = [...new Set(r.findings.map((f) => `${f.kind}${f.subkind ? `:${f.subkind}` : ''}`))].join(' ') || 'no finding';
      outcomes.push(`${((performance.now() - t0) / 1000).toFixed(1)} s, ${found}`);
    }),
  );
  if (heavy.length) await new Promise((r) => setTimeout(r, 300));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const lat: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = performance.now();
    await inspectStream(Readable.from([small]), { transferId: `s${i}`, label: 'internal', filename: 'n.txt' }, {});
    lat.push(performance.now() - s);
  }
  loop.disable();
  await Promise.all(running);
  lat.sort((a, b) => a - b);
  return { p50: lat[49]!, p99: lat[98]!, loopMaxMs: loop.max / 1e6, heavy: outcomes };
}

/** The worst cases' effect on other transfers: small inspections alone, then beside each, interleaved with quiet runs. */
async function stallReport(): Promise<void> {
  const b64: Heavy = { body: pathological(), filename: 'heavy.txt', declaredType: 'text/plain' };
  const pdf: Heavy = { body: stallPdf(), filename: 'heavy.pdf', declaredType: 'application/pdf' };
  const cases: Array<[string, Heavy[]]> = [
    ['alone (quiet baseline)', []],
    [`beside 24 MiB of nested base64`, [b64]],
    ['alone (quiet baseline)', []],
    [`beside a ${(pdf.body.length / 1024).toFixed(0)} KB PDF of 32 MB of text operators`, [pdf]],
    ['beside two such PDFs', [pdf, pdf]],
    ['alone (quiet baseline)', []],
  ];
  process.stdout.write(`100 small inspections, one after another (load average ${os.loadavg()[0]!.toFixed(1)}, ${os.cpus().length} cores):\n`);
  for (const [name, heavy] of cases) {
    const r = await smallLatency(heavy);
    const fig = `p50 ${r.p50.toFixed(1).padStart(6)} ms, p99 ${r.p99.toFixed(1).padStart(6)} ms, event loop held ${r.loopMaxMs.toFixed(0).padStart(3)} ms at most`;
    process.stdout.write(`  ${name.padEnd(50)} ${fig}${r.heavy.length ? ` (heavy: ${r.heavy.join('; ')})` : ''}\n`);
  }
  process.stdout.write(`  (load average ${os.loadavg()[0]!.toFixed(1)} at the end)\n`);
}

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function mbps(bytes: number, s: number): string {
  return (bytes / 1e6 / s).toFixed(0).padStart(6);
}

async function main(): Promise<void> {
  if (process.env.BENCH_STALL_ONLY === '1') return stallReport();
  const files = corpus();
  const total = files.reduce((n, f) => n + f.bytes, 0);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const run = async (opts: InspectOptions | 'sha256'): Promise<{ s: number; per: Map<string, { bytes: number; s: number }>; findings: number }> => {
    const per = new Map<string, { bytes: number; s: number }>();
    let findings = 0;
    const s = await timeIt(async () => {
      for (const f of files) {
        const fs = await timeIt(async () => {
          if (opts === 'sha256') {
            const h = createHash('sha256');
            for (const c of f.chunks()) h.update(c);
            h.digest();
          } else {
            const r = await inspectStream(Readable.from(f.chunks(), { objectMode: true }), { transferId: 'bench', label: 'internal', filename: f.name }, opts);
            findings += r.findings.length;
          }
        });
        const p = per.get(f.kind) ?? { bytes: 0, s: 0 };
        p.bytes += f.bytes;
        p.s += fs;
        per.set(f.kind, p);
      }
    });
    return { s, per, findings };
  };
  // Warm-up: builds the folding tables, JIT. Then the best of RUNS, each
  // side, so that other work on a shared machine weighs less.
  await run({ keywords: ['内部资料'] });
  const RUNS = Number(process.env.BENCH_RUNS ?? 3);
  const best = async (opts: InspectOptions | 'sha256'): Promise<Awaited<ReturnType<typeof run>>> => {
    let b: Awaited<ReturnType<typeof run>> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const r = await run(opts);
      if (!b || r.s < b.s) b = r;
    }
    return b!;
  };
  const sha = await best('sha256');
  const insp = await best({ keywords: ['内部资料', '项目代号'] });
  process.stdout.write(`corpus: ${(total / MiB).toFixed(0)} MiB in ${files.length} files (Node ${process.version}, one core; best of ${RUNS}; load average ${os.loadavg()[0]!.toFixed(1)})\n`);
  process.stdout.write(`sha256 pass                     ${mbps(total, sha.s)} MB/s\n`);
  process.stdout.write(`inspectors, no clamd            ${mbps(total, insp.s)} MB/s   (${insp.findings} findings)\n`);
  for (const [kind, p] of insp.per) process.stdout.write(`  ${kind.padEnd(30)}${mbps(p.bytes, p.s)} MB/s\n`);
  if (process.env.BENCH_CLAMD !== '0') {
    let clamd;
    try {
      clamd = await startClamd();
    } catch (e) {
      process.stdout.write(`inspectors + clamd              skipped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    }
    if (clamd) {
      try {
        const av = await run({ keywords: ['内部资料', '项目代号'], clamd: { port: clamd.port, timeoutMs: 120_000 } });
        process.stdout.write(`inspectors + clamd (concurrent) ${mbps(total, av.s)} MB/s   (clamd with the one test signature)\n`);
      } finally {
        await clamd.stop();
      }
    }
  }
  if (process.env.BENCH_STALL !== '0') await stallReport();
  clearInterval(sampler);
  process.stdout.write(`inspection without clamd takes ${(insp.s / sha.s).toFixed(1)}× the time of the SHA-256 pass the relay makes anyway\n`);
  process.stdout.write(`peak RSS ${(peakRss / MiB).toFixed(0)} MiB (corpus blocks held by the bench: ~${files.length + 8} MiB)\n`);
}

await main();
