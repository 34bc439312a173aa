import { stablePort } from '../../simulator/stable-port.js';

/** A port free right now on 127.0.0.1, outside the ephemeral range (see stable-port.ts). */
export function freePort(): Promise<number> {
  return stablePort('127.0.0.1');
}
