// The error table in docs/errors.md is the one the gateway answers from.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { messages } from '../i18n/catalogue.js';
import { localizedProblem } from '../i18n/refusal.js';
import { ERROR_CODES, FerryError, type ErrorCode } from '../protocol/errors.js';
import { renderErrorsDoc, renderErrorsDocZh } from '../tools/errors-doc.js';

t.test('docs/errors.md is generated from protocol/errors.ts', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), 'utf8');
  t.equal(doc, renderErrorsDoc(), 'run `npm run docs:errors` after changing protocol/errors.ts');
  const zh = readFileSync(fileURLToPath(new URL('../../docs/zh-CN/errors.md', import.meta.url)), 'utf8');
  t.equal(zh, renderErrorsDocZh(), 'docs/zh-CN/errors.md too (npm run docs:errors)');
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

t.test('every code has a title and an action in Simplified Chinese, beside the English in the doc', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), 'utf8');
  const zh = messages('zh-CN').errors;
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    const c = zh[code as ErrorCode];
    t.match(c.title, /[\u4e00-\u9fff].*。$/, `${code}: the Chinese title is a sentence`);
    t.match(c.action, /[\u4e00-\u9fff].*。$/, `${code}: the Chinese action is a sentence`);
    t.ok(doc.includes(`| \`${code}\` | ${spec.status} | ${spec.title} | ${c.title} |`), `${code}: the doc's row has both titles`);
    const p = localizedProblem(new FerryError(code as ErrorCode), 'zh-CN');
    t.same([p.code, p.status, p.title, p.action, p.lang], [code, spec.status, c.title, c.action, 'zh-CN'], `${code}: a Chinese problem keeps its code`);
    t.equal(messages('en').errors[code as ErrorCode].title, spec.title, `${code}: the English catalogue is the table itself`);
  }
});
