import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { paintedCleanSamples13, paintedSamples13 } from './review13-fixtures.js';

// review13: the painted reading of a PDF (tiling patterns and soft masks, pdf-painted.ts) is asked for when the
// objects' bytes name one; a name written with #xx escapes (`/PatternT#79pe 1`, `/S/Lumin#6Fsity`), which pdf.js
// reads as the name, kept it off and the marking drawn in the pattern or the mask crossed. review13-fixtures.ts.
t.setTimeout(300_000);

t.test('a tiling pattern or a soft mask named with #xx escapes is read', (t) => expectFound(t, paintedSamples13()));
t.test('ordinary painted PDFs with escaped names stay clean', (t) => expectClean(t, paintedCleanSamples13()));
