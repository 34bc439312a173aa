import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { compressWith } from './evasion-fixtures.js';

// Compressed streams the system's tools write (fourth red team, 1 Dec 2026):
// xz with other integrity checks and filters (F8).

const MARKED = Buffer.from(`关于召开会议的通知\n机密★10年\n${'正文'.repeat(200)}\n`);
const CLEAN = Buffer.from(`关于召开会议的通知\n${'正文'.repeat(200)}\n`);

const noXz = compressWith('xz', CLEAN) ? false : 'xz is not installed';

t.test('xz: every check and the BCJ and delta filters xz writes are read (F8, closed 1 Dec); damaged xz is broken', { skip: noXz }, async (t) => {
  for (const check of ['none', 'crc32', 'crc64']) {
    const clean = await inspectBytes(compressWith('xz', CLEAN, [`--check=${check}`])!, {}, { filename: 'notice.txt.xz', declaredType: 'application/x-xz' });
    t.same(kinds(clean.findings), [], `--check=${check}: clean`);
    const marked = await inspectBytes(compressWith('xz', MARKED, [`--check=${check}`])!, {}, { filename: 'notice.txt.xz' });
    t.same(kinds(marked.findings), ['classified-marking:机密'], `--check=${check}: read`);
  }
  // Refused archive-limit:unsupported before (the decoder reads neither SHA-256 nor a filter before LZMA2): now walked.
  const forms = [['--check=sha256'], ['-9e', '--check=sha256'], ['--x86', '--lzma2'], ['--arm64', '--lzma2'], ['--arm', '--lzma2'], ['--armthumb', '--lzma2'], ['--powerpc', '--lzma2'], ['--sparc', '--lzma2'], ['--delta=dist=2', '--lzma2'], ['--check=sha256', '--x86', '--lzma2'], ['--block-size=300', '--check=sha256', '--x86', '--lzma2']];
  for (const opts of forms) {
    const clean = await inspectBytes(compressWith('xz', CLEAN, opts)!, {}, { filename: 'notice.txt.xz', declaredType: 'application/x-xz' });
    t.same(kinds(clean.findings), [], `xz ${opts.join(' ')}: clean`);
    const marked = await inspectBytes(compressWith('xz', MARKED, opts)!, {}, { filename: 'notice.txt.xz', declaredType: 'application/x-xz' });
    t.same(kinds(marked.findings), ['classified-marking:机密'], `xz ${opts.join(' ')}: read`);
  }
  // Still broken: an xz stream whose data is damaged.
  const damaged = compressWith('xz', CLEAN)!;
  damaged.fill(0x55, 40, 60);
  const broken = await inspectBytes(damaged, {}, { filename: 'notice.txt.xz' });
  t.ok(broken.findings.some((f) => f.kind === 'archive-broken'), `damaged xz: ${kinds(broken.findings).join()}`);
});
