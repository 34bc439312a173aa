import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { pdfFormStateCleanSamples, pdfFormStateSamples } from './form-control-fixtures.js';

// R6, still open until 2 Dec: a PDF radio button is read as a viewer draws it (its own /AS) as well as by its
// group's /V, and a tick laid over a printed level word leaves the word. Questionnaires and blank forms stay clean.
t.test('R6: a level a PDF form shows chosen by /AS, or says by /V, is found', (t) => expectFound(t, pdfFormStateSamples()));
t.test('R6: PDF forms choosing no level (blank, 公开, a questionnaire) stay clean', (t) => expectClean(t, pdfFormStateCleanSamples()));
