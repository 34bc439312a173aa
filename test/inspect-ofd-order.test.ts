import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { ID } from './evasion-fixtures.js';
import { ofd, ofdCleanSamples, ofdSamples } from './ofd-fixtures.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { MAX_GLYPHS } from '../gateway/inspect/markup/ofd-text-order.js';

// Seventh red team, R9 (ofd-fixtures.ts): OFD text read in drawing order as well as storage order (markup/ofd-text-order.ts).
t.setTimeout(120_000);

t.test('R9: OFD text stored out of drawing order is read by position', (t) => expectFound(t, ofdSamples(ID)));
t.test('R9: ordinary OFD pages stay clean', (t) => expectClean(t, ofdCleanSamples()));

t.test('R9: a page placing more characters than are placed, or a TextCode longer than is carried, is refused', async (t) => {
  const objects = Array.from({ length: MAX_GLYPHS / 64 + 1 }, (_, i) => ({ x: 10, y: 10 + i * 0.01, text: '数'.repeat(64), size: 0.01 }));
  const many = await inspectBytes(ofd(objects), {}, { filename: 'big.ofd', declaredType: 'application/ofd' });
  t.ok(kinds(many.findings).includes('inspection-limit:ofd-text'), `more than ${MAX_GLYPHS} characters: ${kinds(many.findings).join(', ')}`);
  // (Read whole when it comes in one chunk, the marking is found; cut over chunks, it is refused as not placed.)
  const long = await inspectBytes(ofd([{ x: 10, y: 10, text: `${'数'.repeat(200_000)}年01★密机`, codeX: 200_005, deltaX: 'g 200005 -1' }]), {}, { filename: 'long.ofd', declaredType: 'application/ofd' });
  t.ok(kinds(long.findings).some((k) => k === 'inspection-limit:ofd-text' || k === 'classified-marking:机密'), `a TextCode of 600 KB drawn backwards: ${kinds(long.findings).join(', ')}`);
});
