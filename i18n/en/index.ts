// The English catalogue: one object, one namespace per part of the product.
import { findings } from './findings.js';

export const en = { findings };
