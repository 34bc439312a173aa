// The English catalogue: one object, one namespace per part of the product.
import { consoleUi } from './console.js';
import { findings } from './findings.js';

export const en = { findings, console: consoleUi };
