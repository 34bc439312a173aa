import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { bracketHeaderCleanSamples, bracketHeaderSamples, ebcdicCleanSamples, ebcdicSamples, iccSplitCleanSamples, iccSplitSamples, pstCleanSamples, pstSamples, signedByteCleanSamples, signedByteSamples, signedFileCleanSamples, signedFileSamples } from './bytes-misc-fixtures.js';

// Seventh red team of 1 Dec, the rest of its rows on bytes and headers (bytes-misc-fixtures.ts). The same samples go
// through a gateway in gateway-evasions.test.ts.
t.setTimeout(120_000);

t.test('R16: a level in other brackets as a header line is a marking', (t) => expectFound(t, bracketHeaderSamples()));
t.test('R16: the same brackets in prose, titles and citations stay clean', (t) => expectClean(t, bracketHeaderCleanSamples()));
t.test('R20: UTF-8 as Java signed bytes is read', (t) => expectFound(t, signedByteSamples()));
t.test('R20: negative numbers of amounts, temperatures and ordinary byte arrays stay clean', (t) => expectClean(t, signedByteCleanSamples()));
t.test('R17: a JPEG ICC profile cut over APP2 chunks is joined before it is read', (t) => expectFound(t, iccSplitSamples()));
t.test('R17: ordinary ICC profiles over APP2 chunks stay clean', (t) => expectClean(t, iccSplitCleanSamples()));
t.test('R18: EBCDIC exports are read', (t) => expectFound(t, ebcdicSamples()));
t.test('R18: EBCDIC ledgers and logs stay clean', (t) => expectClean(t, ebcdicCleanSamples()));
t.test('R27: a signed .p7m whose content is a file is inspected as that file', (t) => expectFound(t, signedFileSamples()));
t.test('R27: signed PDFs, zips and gzips of ordinary documents stay clean', (t) => expectClean(t, signedFileCleanSamples()));
t.test('R12: an Outlook PST with compressible encryption is read back; high encryption is uninspectable', (t) => expectFound(t, pstSamples()));
t.test('R12: ordinary PSTs, unencrypted or not, stay clean', (t) => expectClean(t, pstCleanSamples()));
