// Text with control characters a viewer shows as nothing, and short UTF-16 of
// blank symbols (control-text-fixtures.ts; text-encoding.ts, text-fold.ts):
// each way through is reported whole and in chunks of 5 bytes; the ordinary
// content beside it (terminal recordings, NEL line ends, Braille and box
// drawing in UTF-16) gives no finding.
import t from 'tap';
import { controlTextCleanSamples, controlTextSamples } from './control-text-fixtures.js';
import { checkSamples } from './helpers/sample-checks.js';
import { guessText } from '../gateway/inspect/text/text-encoding.js';

await checkSamples(t, controlTextSamples(), controlTextCleanSamples());

t.test('UTF-8 with controls but no NUL is text; NUL or invalid UTF-8 is not', async (t) => {
  t.equal(guessText(Buffer.from(`机${'\x7f'.repeat(40)}密`), true)?.encoding, 'utf-8');
  t.equal(guessText(Buffer.from(`title\x07${'\x01\x02\x03'.repeat(30)}`), true)?.encoding, 'utf-8');
  t.equal(guessText(Buffer.from(`机\x00${'\x7f'.repeat(40)}密`), true), null, 'a NUL: binary');
  t.equal(guessText(Buffer.from([0xe6, 0x9c, 0xba, 0x7f, 0x7f, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f, 0x10]), true), null, 'controls and bytes in no UTF-8 character: binary');
});
