import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { pdfFormStateCleanSamples, pdfFormStateSamples, pdfUpdate } from './form-control-fixtures.js';
import { pdfPage, pdfStream } from './markup-fixtures.js';
import { PdfObjectIndex } from '../gateway/inspect/pdf/pdf-object-index.js';

// R6, still open until 2 Dec: a PDF radio button is read as a viewer draws it (its own /AS) as well as by its
// group's /V, and a tick laid over a printed level word leaves the word. Questionnaires and blank forms stay clean.
t.test('R6: a level a PDF form shows chosen by /AS, or says by /V, is found', (t) => expectFound(t, pdfFormStateSamples()));
t.test('R6: PDF forms choosing no level (blank, 公开, a questionnaire) stay clean', (t) => expectClean(t, pdfFormStateCleanSamples()));

// A PDF's objects as its bytes define them: each definition an incremental update appends, and objects in an
// object stream (through its filter), whose /V pdf.js does not hand on for a check box (pdf-box-values.ts).
t.test('the object index reads every definition, and objects in object streams', async (t) => {
  const [a, b] = ['<</V/Yes/AS/Off>>', '<</Parent 20 0 R>>'];
  const head = `20 0 21 ${a.length + 1} `;
  const objStm = pdfStream(`/Type/ObjStm/N 2/First ${head.length}`, Buffer.from(`${head}${a} ${b}`, 'latin1'));
  const pdf = pdfUpdate(pdfPage('表', (g) => `BT /F1 12 Tf 72 700 Td ${g('表')} Tj ET`, { extra: [objStm, '<</FT/Btn/V/Off/AS/Off>>'] }), 10, '<</FT/Btn/V/Yes/AS/Off>>');
  const index = new PdfObjectIndex(pdf);
  t.same(index.defs(10).map((d) => d.trim()), ['<</FT/Btn/V/Off/AS/Off>>', '<</FT/Btn/V/Yes/AS/Off>>']);
  t.same(index.defs(20).map((d) => d.trim()), ['<</V/Yes/AS/Off>>']);
  t.same(index.defs(21).map((d) => d.trim()), ['<</Parent 20 0 R>>']);
  t.same(index.defs(99), []);
});
