import type { ErrorCode } from '../../../protocol/errors.js';

// WebSocket close codes of a subscription (docs/channels.md has the table).
// 4000 + the HTTP status that says the same thing, so that they read alike;
// 1001 and 1009 are RFC 6455's own.

export const CLOSE = {
  /** The gateway stops; reconnect later. */
  GOING_AWAY: 1001,
  /** A frame past the size limit; ws closes before reading it (no reason text). */
  TOO_BIG: 1009,
  FRAME_INVALID: 4400,
  HEARTBEAT_TIMEOUT: 4408,
  SUPERSEDED: 4409,
  ACK_AHEAD: 4416,
  DOWNLOAD_LIMIT: 4429,
} as const;

export const CLOSE_CODE_FOR: Partial<Record<ErrorCode, number>> = {
  FERRY_FRAME_INVALID: CLOSE.FRAME_INVALID,
  FERRY_HEARTBEAT_TIMEOUT: CLOSE.HEARTBEAT_TIMEOUT,
  FERRY_SUBSCRIPTION_SUPERSEDED: CLOSE.SUPERSEDED,
  FERRY_ACK_AHEAD: CLOSE.ACK_AHEAD,
  FERRY_DOWNLOAD_LIMIT: CLOSE.DOWNLOAD_LIMIT,
};

/** A close reason: the code and a sentence, within RFC 6455's 123 bytes. */
export function closeReason(code: ErrorCode, detail: string): string {
  const s = `${code}: ${detail}`;
  if (Buffer.byteLength(s) <= 123) return s;
  let cut = s.slice(0, 120);
  while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1);
  return cut + '...';
}
