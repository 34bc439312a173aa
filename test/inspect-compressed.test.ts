import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { compressWith } from './evasion-fixtures.js';
import { xzUnsupported } from '../gateway/inspect/xz-options.js';

// Compressed streams the system's tools write (fourth red team, 1 Dec 2026):
// xz with other integrity checks and filters (F8).

const MARKED = Buffer.from(`关于召开会议的通知\n机密★10年\n${'正文'.repeat(200)}\n`);
const CLEAN = Buffer.from(`关于召开会议的通知\n${'正文'.repeat(200)}\n`);

const noXz = compressWith('xz', CLEAN) ? false : 'xz is not installed';

t.test('xz: checks the decoder reads are read; SHA-256 and BCJ/delta filters are archive-limit:unsupported, not broken', { skip: noXz }, async (t) => {
  for (const check of ['none', 'crc32', 'crc64']) {
    const clean = await inspectBytes(compressWith('xz', CLEAN, [`--check=${check}`])!, {}, { filename: 'notice.txt.xz', declaredType: 'application/x-xz' });
    t.same(kinds(clean.findings), [], `--check=${check}: clean`);
    const marked = await inspectBytes(compressWith('xz', MARKED, [`--check=${check}`])!, {}, { filename: 'notice.txt.xz' });
    t.same(kinds(marked.findings), ['classified-marking:机密'], `--check=${check}: read`);
  }
  const forms: [string[], RegExp][] = [
    [['--check=sha256'], /integrity check SHA-256/],
    [['--x86', '--lzma2'], /filter BCJ x86/],
    [['--arm64', '--lzma2'], /filter BCJ ARM64/],
    [['--arm', '--lzma2'], /filter BCJ ARM\b/],
    [['--delta=dist=2', '--lzma2'], /filter delta/],
    [['--check=sha256', '--x86', '--lzma2'], /integrity check SHA-256/],
  ];
  for (const [opts, detail] of forms) {
    const r = await inspectBytes(compressWith('xz', CLEAN, opts)!, {}, { filename: 'notice.txt.xz', declaredType: 'application/x-xz' });
    t.same(kinds(r.findings), ['archive-limit:unsupported'], `xz ${opts.join(' ')}: named unsupported`);
    t.match(r.findings[0]?.detail ?? '', detail, `xz ${opts.join(' ')}: ${r.findings[0]?.detail}`);
  }
  // Still broken: an xz stream whose data is damaged.
  const damaged = compressWith('xz', CLEAN)!;
  damaged.fill(0x55, 40, 60);
  const broken = await inspectBytes(damaged, {}, { filename: 'notice.txt.xz' });
  t.ok(broken.findings.some((f) => f.kind === 'archive-broken'), `damaged xz: ${kinds(broken.findings).join()}`);
});

t.test('xz headers read by hand: check types and a block\'s filter chain', async (t) => {
  const head = (check: number, block: number[]): Buffer => Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, check, 0, 0, 0, 0, ...block]);
  t.equal(xzUnsupported(head(1, [0x02, 0x00, 0x21, 0x01, 0x16, 0, 0, 0])), undefined, 'CRC32, LZMA2');
  t.equal(xzUnsupported(head(4, [0x02, 0x00, 0x21, 0x01, 0x16, 0, 0, 0])), undefined, 'CRC64, LZMA2');
  t.equal(xzUnsupported(head(10, [])), 'integrity check SHA-256');
  t.equal(xzUnsupported(head(7, [])), 'integrity check type 7', 'a reserved check');
  t.equal(xzUnsupported(head(4, [0x02, 0x01, 0x04, 0x00, 0x21, 0x01, 0x16, 0])), 'filter BCJ x86', 'x86 then LZMA2');
  t.equal(xzUnsupported(head(4, [0x02, 0xc1, 0x80, 0x01, 0x10, 0x0a, 0x00, 0x21, 0x01, 0x16])), 'filter BCJ ARM64', 'with both sizes present');
  t.equal(xzUnsupported(Buffer.from('not xz at all')), undefined);
});
