// The storage ports' conformance suites (test/conformance/), run against the
// embedded backends: SQLite files in a temporary directory. A new backend
// (PostgreSQL for several nodes) adds its factory here and must pass the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';
import { FileSpoolStore } from '../gateway/store/files/file-spool-store.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import { loadSodium } from '../gateway/spool/sodium.js';
import { spoolStoreConformance } from './conformance/spool-store.js';
import { transferStoreConformance } from './conformance/transfer-store.js';

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
