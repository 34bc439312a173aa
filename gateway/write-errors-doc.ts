// npm run docs:errors — regenerate docs/errors.md from gateway/errors.ts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc } from '../gateway/errors-doc.js';

writeFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), renderErrorsDoc());
