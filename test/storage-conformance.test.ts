// The storage ports' conformance suites (test/conformance/), run against the
// embedded backends: SQLite files in a temporary directory. A new backend
// (PostgreSQL for several nodes) adds its factory here and must pass the same.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';
import { FileSpoolStore } from '../gateway/store/files/file-spool-store.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import { loadSodium } from '../gateway/spool/sodium.js';
import { SealThread } from '../gateway/spool/seal-thread.js';
import { spoolStoreConformance } from './conformance/spool-store.js';
import { transferStoreConformance } from './conformance/transfer-store.js';
import { auditStorageConformance } from './conformance/audit-storage.js';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { openAuditStorage } from '../gateway/audit/open-audit-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-conformance-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

transferStoreConformance(t, {
  name: 'SQLite transfer store',
  async create() {
    const path = join(dir, `queue-${++n}.db`);
    return { store: new SqliteTransferStore(path), reopen: async () => new SqliteTransferStore(path) };
  },
});

const sodium = await loadSodium();
const keys = await loadOrCreateGatewayKeys(join(dir, 'keys'), 'gw-conformance');
spoolStoreConformance(t, {
  name: 'encrypted spool files',
  async create() {
    const store = new FileSpoolStore(join(dir, `spool-${++n}`), sodium, () => keys);
    await store.prepare();
    return store;
  },
});

// The same store with its content sealed on a thread of its own (spool.seal_thread).
const seal = new SealThread(sodium.name);
t.teardown(() => seal.stop());
spoolStoreConformance(t, {
  name: 'encrypted spool files, sealed on a thread',
  async create() {
    const store = new FileSpoolStore(join(dir, `spool-${++n}`), sodium, () => keys, seal);
    await store.prepare();
    return store;
  },
});

auditStorageConformance(t, {
  name: 'SQLite audit log',
  async create({ origin, now }) {
    const location = join(dir, `audit-${++n}.db`);
    // Checkpoints only when the suite asks: none by count or by timer.
    const writer = openAuditLog(location, { origin, now, checkpointEvery: 1e9, checkpointIntervalMs: 3_600_000 });
    return { writer, location };
  },
  open: openAuditStorage,
  async notLogs() {
    const text = join(dir, 'records.csv');
    writeFileSync(text, 'seq,time,event\n1,2026-11-01T00:00:00Z,received\n');
    const queue = join(dir, 'queue.db');
    const q = new Database(queue);
    q.exec('CREATE TABLE transfers (id TEXT)');
    q.close();
    const folder = join(dir, 'data');
    mkdirSync(folder, { recursive: true });
    return [text, queue, folder, join(dir, 'missing.db')];
  },
});
