import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { paintedCleanSamples, paintedSamples } from './pdf-painted-fixtures.js';

// Seventh red team, R10 (pdf-painted-fixtures.ts): text drawn in tiling patterns and soft-mask groups (pdf/pdf-painted.ts).
t.setTimeout(180_000);

t.test('R10: text drawn in a tiling pattern or a soft mask is read', (t) => expectFound(t, paintedSamples()));
t.test('R10: ordinary PDFs with patterns and soft masks stay clean', (t) => expectClean(t, paintedCleanSamples()));
