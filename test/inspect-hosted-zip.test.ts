// A zip found inside another file's bytes ends at its own end of central directory record (red team 1 Dec (c)
// G1): what follows is the host's, read as the host's, not "data after the end of central directory".
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { inspectBytes, inspectChunks, kinds, zip } from './inspect-fixtures.js';
import { hostedZipCleanSamples, hostedZipSamples } from './hosted-zip-fixtures.js';
import { expectClean, expectRefused } from './sample-checks.js';

const MARKED = Buffer.from('会议纪要\n密级：机密\n内容略');
const CLEAN = Buffer.from('会议纪要\n本次会议讨论了年度预算。\n');
const PROSE = Buffer.from('说明文字，附件如下。\n'.repeat(200));

t.test('ordinary documents holding a zip-based document in their bytes cross with no finding', (t) => expectClean(t, hostedZipCleanSamples()));
t.test('the zip inside is still walked: a marked document in it is found', (t) => expectRefused(t, hostedZipSamples()));

t.test('after a zip ends in the host, the next one is found and walked, wherever the chunks cut', async (t) => {
  const first = zip([{ name: 'a.txt', data: CLEAN }]);
  const second = zip([{ name: 'b.txt', data: MARKED, method: 8 }]);
  const body = Buffer.concat([PROSE, first, Buffer.from('\n'), second, PROSE]);
  for (const size of [body.length, 4096, 1000, 37]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
    const r = await inspectChunks(chunks, {}, { filename: 'notes.txt', declaredType: 'text/plain' });
    const at = PROSE.length + first.length + 1;
    t.ok(r.findings.some((f) => f.kind === 'classified-marking' && f.path?.startsWith(`embedded@${at}`)), `chunks of ${size}: ${kinds(r.findings).join(', ')}`);
    t.notOk(r.findings.some((f) => f.kind === 'archive-broken'), `chunks of ${size}: no break`);
  }
});

t.test('an encrypted member of a zip inside a host is still refused', async (t) => {
  const z = zip([{ name: 'secret.txt', data: Buffer.from('ciphertext, as far as we know'), method: 0, encrypted: true }]);
  const r = await inspectBytes(Buffer.concat([PROSE, z, PROSE]), {}, { filename: 'notes.txt', declaredType: 'text/plain' });
  t.ok(kinds(r.findings).includes('archive-encrypted:zipcrypto'), kinds(r.findings).join(', '));
});

t.test('encrypted bytes after a zip inside a text are judged as the text\'s own', async (t) => {
  const z = zip([{ name: 'a.txt', data: CLEAN }]);
  const r = await inspectBytes(Buffer.concat([PROSE, z, randomBytes(16 << 10)]), {}, { filename: 'notes.txt', declaredType: 'text/plain' });
  t.ok(r.findings.some((f) => f.kind === 'uninspectable'), kinds(r.findings).join(', '));
});

t.test('past the number of archives opened in one content, the next one is a limit, not passed over', async (t) => {
  const zips = Array.from({ length: 17 }, (_, i) => zip([{ name: `${i}.txt`, data: CLEAN }]));
  const r = await inspectBytes(Buffer.concat([PROSE, ...zips.flatMap((z) => [z, Buffer.from('\n')])]), {}, { filename: 'notes.txt', declaredType: 'text/plain' });
  t.ok(kinds(r.findings).includes('archive-limit:members'), kinds(r.findings).join(', '));
});

t.test('a zip that is the content itself still may not carry data after its end record', async (t) => {
  const r = await inspectBytes(Buffer.concat([zip([{ name: 'a.txt', data: CLEAN }]), Buffer.from('hello')]), {}, { filename: 'a.zip', declaredType: 'application/zip' });
  t.ok(r.findings.some((f) => f.kind === 'archive-broken'), kinds(r.findings).join(', '));
});
