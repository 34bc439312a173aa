// Table cells and paragraphs read apart in the markup view and PDF lines (red team 1 Dec (c) G2).
import t from 'tap';
import { tableCellCleanSamples, tableCellSamples } from './table-cell-fixtures.js';
import { expectClean, expectRefused } from './sample-checks.js';

t.test('tables and paragraphs whose neighbouring cells only look like a mobile or a marking cross', (t) => expectClean(t, tableCellCleanSamples()));
t.test('runs of one paragraph, a marking over two cells, digit boxes and adjacent PDF runs are still read together', (t) => expectRefused(t, tableCellSamples()));
