// A queue.db written before the kind, channel and retain_days columns existed
// opens, gains them, and takes new transfers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import type { Receipt } from '../protocol/receipt.js';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';

t.test('an older queue.db is brought up to date in place', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-queue-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'queue.db');
  const old = new Database(path);
  old.exec(`CREATE TABLE transfers (id TEXT PRIMARY KEY, state TEXT NOT NULL, principal TEXT NOT NULL, source TEXT NOT NULL,
    destination TEXT NOT NULL, label TEXT NOT NULL, filename TEXT, content_type TEXT, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    spool TEXT NOT NULL, delivery TEXT NOT NULL, idempotency_key TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,
    expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, reason TEXT,
    receipt_accepted TEXT, receipt_delivered TEXT, retain_until INTEGER, delivered_at INTEGER) STRICT`);
  old.prepare(`INSERT INTO transfers VALUES ('old', 'queued', 'p', 's', 'd', 'public', NULL, NULL, 1, 'x', 'old.spool', 'pull', NULL, 1, 1, 9e12, 0, 1, NULL, NULL, NULL, NULL, NULL)`).run();
  old.close();

  const q = new SqliteTransferStore(path);
  t.teardown(() => q.close());
  t.equal((await q.get('old'))?.kind, 'file', 'an older row reads as a file');
  await q.insertAccepted({
    id: 'new', kind: 'message', channel: 'notices', principal: 'p', source: 's', destination: 'd', label: 'public', filename: null,
    contentType: null, size: 1, sha256: 'x', spool: 'new.spool', delivery: 'push', idempotencyKey: null, created: 1,
    expiresAt: 9e12, receiptAccepted: null, retainDays: 30,
  });
  t.equal((await q.get('new'))?.channel, 'notices', 'new columns take new rows');
  await q.markQueued('new');
  t.ok(await q.markDelivered('new', {} as Receipt, 1000), 'delivered');
  t.equal((await q.get('new'))?.retainUntil, 1000 + 30 * 86_400_000, 'retention runs from delivery');
});
