// A PDF stopped by its CPU budget was reported sniffed application/octet-stream (`ferry inspect`, the audit's
// sniffed_type): the content stage knew only the worker's last answer, which never came. The worker now names the
// type as soon as it is sniffed, before the reading (inspect-worker.ts, content-stage.ts); the transfer is still
// refused inspection-limit:time.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { stallPdf } from './pdf-filter-fixtures.js';

t.test('a PDF over its budget is still application/pdf, and still refused', async (t) => {
  t.setTimeout(600_000);
  // Seconds of pdf.js: stopped by the PDF reading's own CPU budget (pdf-text.ts), as in inspect-pdf-filters N10;
  // the transfer's budget made 10 minutes, so that only that one can stop it.
  const r = await inspectBytes(stallPdf(), { budget: { baseMs: 600_000 } }, { filename: 'n.pdf', declaredType: 'application/pdf' });
  t.same(kinds(r.findings), ['inspection-limit:time'], 'stopped over its budget');
  t.match(r.findings[0]!.detail, /^reading the PDF took more than its budget/, 'by the PDF reading\'s budget');
  t.equal(r.sniffedType, 'application/pdf', 'sniffed application/pdf');
});
