// npm run docs:errors — regenerate docs/errors.md and docs/zh-CN/errors.md from protocol/errors.ts and the catalogues.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc, renderErrorsDocZh } from './errors-doc.js';

writeFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), renderErrorsDoc());
mkdirSync(fileURLToPath(new URL('../../docs/zh-CN/', import.meta.url)), { recursive: true });
writeFileSync(fileURLToPath(new URL('../../docs/zh-CN/errors.md', import.meta.url)), renderErrorsDocZh());
