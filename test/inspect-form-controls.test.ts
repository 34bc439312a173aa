import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { markupFormCleanSamples, markupFormSamples, pdfFormCleanSamples, pdfFormSamples, strikeCleanSamples, strikeSamples } from './form-control-fixtures.js';

// Seventh red team of 1 Dec, R6 and G8: a level chosen by a form control is read as the control shows it; a
// form left blank stays clean. The same samples go through a gateway in gateway-evasions.test.ts.
t.test('R6: a level chosen by a PDF form control is found', (t) => expectFound(t, pdfFormSamples()));
t.test('R6, G8: PDF forms left blank, and ordinary forms filled, stay clean', (t) => expectClean(t, pdfFormCleanSamples()));
t.test('R6: a level chosen by an HTML or ODF form control is found', (t) => expectFound(t, markupFormSamples()));
t.test('R6: HTML and ODF forms left blank, and ordinary forms filled, stay clean', (t) => expectClean(t, markupFormCleanSamples()));
t.test('R15: a level struck through is still read', (t) => expectFound(t, strikeSamples()));
t.test('R15: struck-through look-alikes stay clean', (t) => expectClean(t, strikeCleanSamples()));
