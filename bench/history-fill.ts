// Synthetic history for bench:history (issue #19), written fast and directly
// into a stopped gateway's data directory, in the project's own formats:
//
// - queue rows: one `INSERT … SELECT` from a recursive CTE per million rows,
//   in the transfers table with its indexes and triggers set aside and made
//   again after (the indexes sorted once, state_counts counted once, as
//   schema step 1 does);
// - audit records: hashed and chained with the log's own canonical encoding
//   (canonical.ts), its Merkle frontier and tree nodes (merkle.ts), its
//   checkpoint writer (checkpoint-writer.ts: signed notes, checked against the
//   stored tree), in transactions of 100,000 records; each segment is sealed
//   as AuditLog.seal seals one (meta `sealed`, journal_mode DELETE,
//   placeSealed) and the next begins with its `segment-started` record. The
//   result verifies with `ferry log verify --db <data dir>`.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalRecord, recordHash, ZERO_HASH } from '../gateway/audit/canonical.js';
import { CheckpointWriter } from '../gateway/audit/checkpoint-writer.js';
import { prepareEntry, type PreparedEntry } from '../gateway/audit/entry.js';
import { leafHash, MerkleFrontier, type TreeNode } from '../gateway/audit/merkle.js';
import { createSchema } from '../gateway/audit/schema.js';
import { placeSealed, SEGMENT_STARTED, SEGMENTS_DIR } from '../gateway/audit/segments.js';
import type { NoteSigner } from '../gateway/audit/signed-note.js';
import { NODE_LEVEL } from '../gateway/audit/tree-store.js';
import type { AuditEntry } from '../protocol/audit-events.js';
import { uuidv7 } from '../protocol/ids.js';

const DAY = 86_400_000;
const quiet = { warn: () => {}, error: () => {} };

/** Sets aside a table's indexes and triggers (returns their DDL, to run again after the fill). */
export function setAside(db: Database.Database, table: string): string[] {
  const rows = db.prepare<[string], { type: string; name: string; sql: string }>(
    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
  ).all(table);
  for (const r of rows) db.exec(`DROP ${r.type.toUpperCase()} ${r.name}`);
  return rows.map((r) => r.sql);
}

export interface QueueFill { rows: number; retained: number; spoolFiles: number; ms: number }

/**
 * `rows` settled transfers over the last `keepDays` + 0.6 days (the oldest 2 %
 * past delivery.keep_settled, for the purge), oldest first; one in 100 denied,
 * expired or failed; `retained` delivered ones hold a spool file in the
 * fan-out, 1 in 20 of those due for the retention sweep. Ids are UUIDv7 of
 * the row's time (the trailing 48 bits a bijection of the row number, so the
 * fan-out directory is spread as random ids spread it).
 */
export async function fillQueue(dataDir: string, o: { rows: number; retained: number; keepDays: number; now?: number; onProgress?: (n: number) => void }): Promise<QueueFill> {
  const t0 = performance.now();
  const now = o.now ?? Date.now();
  const db = new Database(join(dataDir, 'queue.db'));
  db.pragma('journal_mode = MEMORY'); // OFF is refused (defensive mode); MEMORY keeps no journal on disk
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const ddl = setAside(db, 'transfers');
  const receipt = JSON.stringify({ type: 'accepted', transfer: uuidv7(), sha256: 'ab'.repeat(32), size: 4096, source: 'police/records', destination: 'extranet/archive', time: new Date(now).toISOString(), gateway: 'ferry://gateway/gw1', key_id: '1cfd7f39', signature: 'x'.repeat(88) });
  const retainEvery = Math.max(1, Math.floor(o.rows / Math.max(1, o.retained)));
  const ins = db.prepare(`INSERT INTO transfers (id, kind, state, principal, source, destination, label, filename, content_type, size, sha256, spool, delivery,
      created, updated, expires_at, attempts, next_attempt_at, receipt_accepted, receipt_delivered, retain_days, retain_until, delivered_at)
    WITH RECURSIVE p(t0, span, rows, every, now) AS (SELECT CAST(@t0 AS INTEGER), CAST(@span AS INTEGER), CAST(@rows AS INTEGER), CAST(@every AS INTEGER), CAST(@now AS INTEGER)),
    c(i) AS (SELECT CAST(@from AS INTEGER) UNION ALL SELECT i + 1 FROM c WHERE i + 1 < @to),
    r AS (SELECT i, t0 + (i * span) / rows AS created, every, now,
            CASE i % 100 WHEN 97 THEN 'denied' WHEN 98 THEN 'expired' WHEN 99 THEN 'failed' ELSE 'delivered' END AS state,
            printf('%012x', (i * 2654435761 + 40503) % 281474976710656) AS rnd FROM c, p),
    s AS (SELECT *, printf('%08x-%04x-7%03x-%x%03x-%s', created >> 16, created & 65535, i & 4095, 8 + ((i >> 12) & 3), (i >> 14) & 4095, rnd) AS id,
            (state = 'delivered' AND i % every = 0) AS retained FROM r)
    SELECT id, 'file', state, 'ferry://police/records', 'police/records', 'extranet/archive', 'internal', 'report.pdf', 'application/pdf', 4096, @sha,
      substr(id, -2) || '/' || id || '.spool', 'push', created, created + 800, created + 7 * ${DAY}, 1, created, @receipt,
      CASE WHEN state = 'delivered' THEN @receipt END,
      CASE WHEN retained THEN 30 END,
      CASE WHEN retained THEN CASE WHEN (i / every) % 20 = 0 THEN now - 1000 ELSE now + 30 * ${DAY} END END,
      CASE WHEN state = 'delivered' THEN created + 800 END
    FROM s`);
  const span = Math.floor(o.keepDays * DAY);
  const base = { t0: now - Math.floor((o.keepDays + 0.6) * DAY), span, rows: o.rows, every: retainEvery, sha: 'cd'.repeat(32), receipt, now };
  const STEP = 1_000_000;
  for (let from = 0; from < o.rows; from += STEP) {
    db.transaction(() => ins.run({ ...base, from, to: Math.min(o.rows, from + STEP) }))();
    o.onProgress?.(Math.min(o.rows, from + STEP));
  }
  db.transaction(() => {
    for (const sql of ddl) db.exec(sql);
    db.exec('DELETE FROM state_counts; INSERT INTO state_counts (state, n) SELECT state, COUNT(*) FROM transfers GROUP BY state;');
  })();
  const files = db.prepare<[], string>('SELECT spool FROM transfers INDEXED BY transfers_retain WHERE retain_until IS NOT NULL').pluck().all();
  db.pragma('journal_mode = WAL');
  db.close();
  const blob = Buffer.alloc(4096 + 64, 0x5a);
  for (let i = 0; i < files.length; i += 256) await Promise.all(files.slice(i, i + 256).map((f) => writeFile(join(dataDir, 'spool', f), blob, { mode: 0o600 })));
  return { rows: o.rows, retained: o.retained, spoolFiles: files.length, ms: performance.now() - t0 };
}

export interface AuditFill { records: number; segments: number; ms: number }

/**
 * `records` audit records over [from, to) (evenly spaced times), in `sealed`
 * sealed segments of equal size and the live data/audit.db after them. The
 * records are `templates` over and over, each pass with new transfer ids (a
 * template transfer's records share one). Replaces any audit log there.
 */
export function fillAudit(dataDir: string, o: {
  records: number; sealed: number; origin: string; signer: NoteSigner; templates: AuditEntry[]; from: number; to: number; onProgress?: (n: number) => void;
}): AuditFill {
  const t0 = performance.now();
  const live = join(dataDir, 'audit.db');
  const segmentsDir = join(dataDir, SEGMENTS_DIR);
  for (const s of ['', '-wal', '-shm']) rmSync(live + s, { force: true });
  rmSync(segmentsDir, { recursive: true, force: true });
  const templates = o.templates.map(prepareEntry);
  const step = (o.to - o.from) / o.records;
  const perSegment = Math.ceil(o.records / (o.sealed + 1));
  let written = 0;
  let ids = new Map<string, string>();
  let previous: Record<string, unknown> | null = null;
  for (let segment = 1; segment <= o.sealed + 1; segment++) {
    const db = new Database(live);
    db.pragma('journal_mode = MEMORY'); // OFF is refused (defensive mode); MEMORY keeps no journal on disk
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    createSchema(db);
    db.prepare("INSERT INTO meta (key, value) VALUES ('origin', ?)").run(o.origin);
    db.prepare("INSERT INTO meta (key, value) VALUES ('segment', ?)").run(String(segment));
    const ddl = setAside(db, 'records');
    const insert = db.prepare('INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, sha256, verdict, rule, policy_hash, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertNode = db.prepare('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
    const checkpoints = new CheckpointWriter(db, { origin: o.origin, signer: o.signer, logger: quiet });
    const frontier = new MerkleFrontier(0, [], NODE_LEVEL);
    let prev: Buffer = ZERO_HASH;
    let seq = 0;
    let time = '';
    const end = segment === o.sealed + 1 ? o.records : Math.min(o.records, written + perSegment);
    const append = (e: PreparedEntry, nodes: TreeNode[]): void => {
      seq += 1;
      time = new Date(o.from + Math.floor(written * step)).toISOString();
      const h = recordHash(prev, canonicalRecord({ ...e, seq, time }));
      insert.run(seq, time, e.transferId, e.event, e.principal, e.source, e.destination, e.size, e.sha256, e.verdict, e.rule, e.policyHash, e.details, prev.toString('hex'), h.toString('hex'));
      frontier.push(leafHash(h), nodes);
      prev = h;
      written += 1;
      if (seq % 1000 === 0) {
        for (const n of nodes.splice(0)) insertNode.run(n.level, n.idx, n.hash);
        checkpoints.write(frontier);
      }
    };
    while (written < end) {
      db.transaction(() => {
        const nodes: TreeNode[] = [];
        if (seq === 0 && previous) append(prepareEntry({ event: SEGMENT_STARTED, principal: null, details: { segment, previous } }), nodes);
        for (let k = 0; k < 100_000 && written < end; k++) {
          const i = written % templates.length;
          if (i === 0) ids = new Map();
          const tpl = templates[i]!;
          let transferId = tpl.transferId;
          if (transferId !== null) {
            transferId = ids.get(transferId) ?? uuidv7(o.from + Math.floor(written * step));
            ids.set(tpl.transferId!, transferId);
          }
          append({ ...tpl, transferId }, nodes);
        }
        for (const n of nodes) insertNode.run(n.level, n.idx, n.hash);
      })();
      o.onProgress?.(written);
    }
    db.transaction(() => {
      for (const sql of ddl) db.exec(sql);
    })();
    const cp = checkpoints.write(frontier);
    if (segment <= o.sealed) {
      const sealed = { size: cp.size, root: cp.root.toString('base64'), time };
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('sealed', ?)").run(JSON.stringify(sealed));
      db.pragma('journal_mode = DELETE');
      db.close();
      placeSealed(live, segmentsDir, segment);
      previous = { segment, ...sealed, checkpoint: cp.note };
    } else {
      db.pragma('journal_mode = WAL');
      db.close();
    }
  }
  return { records: written, segments: o.sealed + 1, ms: performance.now() - t0 };
}
