// Runs fillAudit (history-fill.ts) in a worker thread, so that bench:history
// fills the audit log and the queue at once.
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import type { AuditEntry } from '../protocol/audit-events.js';
import { fillAudit } from './history-fill.js';

const o = workerData as { dataDir: string; name: string; records: number; sealed: number; templates: AuditEntry[]; from: number; to: number };
const keys = await loadOrCreateGatewayKeys(join(o.dataDir, 'keys'), o.name);
const origin = `ferry.gateway/${o.name}`;
let shown = 0;
const r = fillAudit(o.dataDir, {
  records: o.records, sealed: o.sealed, origin, signer: { keyName: origin, privateKey: keys.signingKey }, templates: o.templates, from: o.from, to: o.to,
  onProgress: (n) => { if (n - shown >= 1_000_000) { shown = n; process.stderr.write(`  audit: ${n.toLocaleString('en')} records\n`); } },
});
parentPort!.postMessage(r);
