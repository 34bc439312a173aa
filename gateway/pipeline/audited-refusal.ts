import type { FerryError } from '../../protocol/errors.js';

/** A refusal whose audit records were already written; the router only answers it. */
export class AuditedRefusal extends Error {
  constructor(readonly refusal: FerryError) {
    super(refusal.message);
    this.name = 'AuditedRefusal';
  }
}
