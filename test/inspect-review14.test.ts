import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { base64EdgeCleanSamples, base64EdgeSamples, hzCleanSamples, hzSamples, mixedWordCleanSamples, mixedWordSamples, rtfHiddenCleanSamples, rtfHiddenSamples, svgBidiCleanSamples, svgBidiSamples, vbaCleanSamples, vbaSamples } from './review14-fixtures.js';
import { residentId } from './inspect-fixtures.js';

// review14: HZ (RFC 1843) was decoded with every ~ dropped, so a character whose trail byte is ~ (件, the last column
// of every GB2312 row) put the rest of its run a byte off, and an empty shift or a continuation between a marking's
// characters left `~{~}` or a line break in the view. review14-fixtures.ts; probes/review14/mail-probe.mjs.
t.setTimeout(120_000);

t.test('HZ text is read pair by pair: the marking is found', (t) => expectFound(t, hzSamples()));
t.test('HZ and HZ-looking text without a marking stays clean', (t) => expectClean(t, hzCleanSamples()));

// review14: a VBA project's module source is stored compressed (MS-OVBA): read raw, a macro's strings are cut by
// flag bytes and copy tokens, and a marking, phone numbers or an id in a macro crossed in an .xlsm or a .doc.
t.test('VBA macro source is decompressed and read', (t) => expectFound(t, vbaSamples(residentId('440305', '19900307', '457'))));
t.test('ordinary macros stay clean', (t) => expectClean(t, vbaCleanSamples()));

// review14: encoded words of different charsets side by side were joined as one run of bytes and read as GB18030.
t.test('encoded words in different charsets are decoded each in its own', (t) => expectFound(t, mixedWordSamples()));
t.test('ordinary subjects in mixed encoded words stay clean', (t) => expectClean(t, mixedWordCleanSamples()));

// review14: base64 of 46 or 47 bytes (64 characters with its padding) was neither a token (counted with its
// padding, over 63) nor a run (62 or 63 characters of data, under 64): read by neither, a memo so encoded crossed.
t.test('base64 of 64 characters with padding is read', (t) => expectFound(t, base64EdgeSamples()));
t.test('ordinary base64 of that length stays clean', (t) => expectClean(t, base64EdgeCleanSamples()));

// review14: SVG's direction and unicode-bidi presentation attributes were not applied (only a style's).
t.test('SVG text reversed by presentation attributes is read as shown', (t) => expectFound(t, svgBidiSamples()));
t.test('SVG text reversed to an ordinary title, or rtl without an override, stays clean', (t) => expectClean(t, svgBidiCleanSamples()));

// review14: RTF hidden text (\v) was read where it stands and split the text Word shows around it.
t.test('RTF hidden text is read beside, not between', (t) => expectFound(t, rtfHiddenSamples()));
t.test('RTF with ordinary hidden notes stays clean', (t) => expectClean(t, rtfHiddenCleanSamples()));
