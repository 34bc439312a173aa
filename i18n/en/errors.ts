// The refusal sentences in English are protocol/errors.ts's own: written once,
// there, beside the code and status; this namespace only exposes them to lookup.
import { ERROR_CODES, type ErrorCode } from '../../protocol/errors.js';

export interface RefusalText {
  /** What the code means, one sentence. */
  title: string;
  /** What the sender should do now, one sentence. */
  action: string;
}

export const errors = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, s]) => [code, { title: s.title, action: s.action }]),
) as Record<ErrorCode, RefusalText>;
