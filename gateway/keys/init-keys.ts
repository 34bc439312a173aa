import { join } from 'node:path';
import { writeVkeyFile } from '../audit/signed-note.js';
import { loadOrCreateGatewayKeys } from './gateway-keys.js';

// A gateway's keys made before its first start, so that its peers' configs
// (peers.<name>.key) can name its public key before any gateway runs. The
// gateway itself does the same at start: the keys made here are the ones it uses.

export interface InitializedKeys {
  /** the verifier key text, `ferry.gateway/<name>+<id>+<base64>` */
  vkey: string;
  /** where it was written: <data_dir>/keys/audit.vkey (0644) */
  vkeyPath: string;
}

export async function initGatewayKeys(dataDir: string, name: string): Promise<InitializedKeys> {
  const dir = join(dataDir, 'keys');
  const keys = await loadOrCreateGatewayKeys(dir, name);
  const vkeyPath = join(dir, 'audit.vkey');
  return { vkey: writeVkeyFile(vkeyPath, `ferry.gateway/${name}`, keys.signingPublicKey), vkeyPath };
}
