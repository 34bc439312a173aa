// The error table in docs/errors.md is the one the gateway answers from.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ERROR_CODES, FerryError } from '../protocol/errors.js';
import { renderErrorsDoc } from '../tools/errors-doc.js';

t.test('docs/errors.md is generated from protocol/errors.ts', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), 'utf8');
  t.equal(doc, renderErrorsDoc(), 'run `npm run docs:errors` after changing protocol/errors.ts');
});

t.test('every code has a fitting status, a sentence and an action', async (t) => {
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    t.match(code, /^FERRY_[A-Z_]+$/);
    t.ok(spec.status >= 400 && spec.status < 600, `${code}: an error status`);
    t.match(spec.title, /\.$/, `${code}: the title is a sentence`);
    t.match(spec.action, /\.$/, `${code}: the action is a sentence`);
    const p = new FerryError(code as keyof typeof ERROR_CODES).toProblem();
    t.equal(p.code, code);
    t.equal(p.status, spec.status);
  }
});
