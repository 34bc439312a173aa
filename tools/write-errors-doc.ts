// npm run docs:errors — regenerate docs/errors.md from protocol/errors.ts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc } from './errors-doc.js';

writeFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), renderErrorsDoc());
