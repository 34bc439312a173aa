import { randomBytes } from 'node:crypto';

// UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, then random bits, so ids
// sort by creation time in the queue and the audit log.
let lastMs = 0;
let seq = 0;

export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  // Keep ids from one process monotonic within a millisecond (method 1 of §6.2: a 12-bit counter in rand_a).
  if (now <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    now = lastMs;
  } else {
    lastMs = now;
    seq = b.readUInt16BE(6) & 0x7ff;
  }
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
