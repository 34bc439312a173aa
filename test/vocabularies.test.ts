// One source of truth per vocabulary: the reference pages list exactly the
// finding kinds and audit event names that protocol/ defines, as docs/errors.md
// does the error codes (errors-doc.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { AUDIT_EVENTS } from '../protocol/audit-events.js';
import { FINDING_KINDS, PERSONAL_DATA_SUBKINDS } from '../protocol/findings.js';

const doc = (name: string) => readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), 'utf8');

// The English page and its Chinese version (docs/zh-CN/findings.md) are held to the same vocabulary.
for (const page of ['findings.md', 'zh-CN/findings.md']) {
  t.test(`docs/${page} documents every finding kind, in order, and no other`, async (t) => {
    const text = doc(page);
    const kinds = [...text.matchAll(/^### `([a-z-]+)`$/gm)].map((m) => m[1]);
    t.same(kinds, [...FINDING_KINDS], 'the ### headings under "The kinds" are protocol/findings.ts FINDING_KINDS');
  });

  t.test(`docs/${page} lists every personal-data sub-kind`, async (t) => {
    const text = doc(page);
    const section = text.slice(text.indexOf('### `personal-data`'), text.indexOf('### `archive-limit`'));
    const subkinds = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    t.same(subkinds, [...PERSONAL_DATA_SUBKINDS]);
  });
}

t.test('docs/audit-log.md names every audit event, in order, and no other', async (t) => {
  const row = /^\| `event` \| text \| one of `([^`]+)`/m.exec(doc('audit-log.md'));
  t.ok(row, 'the event row of the record table');
  t.same(row![1]!.split(' '), [...AUDIT_EVENTS], 'protocol/audit-events.ts AUDIT_EVENTS');
});
