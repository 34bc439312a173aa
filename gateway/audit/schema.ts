// The audit database layout. Triggers make records, checkpoints and tree
// nodes append-only for anyone going through SQLite; verify is what catches
// someone who goes around them.
import type Database from 'better-sqlite3';

/**
 * 2: segments (meta `segment`, `sealed`; events segment-started, segments-pruned). A file of version 1 is segment 1.
 * 3: the `accepted` event, one record for an accepted transfer where there were `decided` (twice), `inspected` and
 * `queued`. The tables and the encoding are unchanged: a file of version 2 is raised to 3 and holds records of both forms.
 * 4: the `handed-out` event (content sent to its destination system before any acknowledgement). Nothing else
 * changes: a file of version 3 is raised to 4 and goes on with the new event among the old.
 */
export const SCHEMA_VERSION = '4';

const DDL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS records (
  seq         INTEGER PRIMARY KEY,
  time        TEXT NOT NULL,
  transfer_id TEXT,
  event       TEXT NOT NULL,
  principal   TEXT,
  source      TEXT,
  destination TEXT,
  size        INTEGER,
  sha256      TEXT,
  verdict     TEXT,
  rule        TEXT,
  policy_hash TEXT,
  details     TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);

-- Complete, aligned Merkle subtrees of 256 leaves and up (level >= 8), so that
-- proofs need at most a few hundred leaf hashes whatever the log's size.
CREATE TABLE IF NOT EXISTS tree_nodes (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checkpoints (
  size     INTEGER PRIMARY KEY,
  time     TEXT NOT NULL,
  root     TEXT NOT NULL,
  note     TEXT NOT NULL,
  -- the right frontier of the tree at this size, so the writer reopens fast
  frontier BLOB NOT NULL
);

-- Partial indexes: most columns are null for some events (verdict and rule
-- for all but 'decided'), and a null row costs an insert nothing. A query
-- 'col = ?' implies 'col IS NOT NULL', so SQLite still uses them
-- (https://www.sqlite.org/partialindex.html §2.2).
CREATE INDEX IF NOT EXISTS records_transfer    ON records (transfer_id, seq) WHERE transfer_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_time        ON records (time);
CREATE INDEX IF NOT EXISTS records_source      ON records (source, seq) WHERE source IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_destination ON records (destination, seq) WHERE destination IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_principal   ON records (principal, seq) WHERE principal IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_event       ON records (event, seq);
CREATE INDEX IF NOT EXISTS records_verdict     ON records (verdict, seq) WHERE verdict IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_rule        ON records (rule, seq) WHERE rule IS NOT NULL;
-- A sender's refusals, newest first, without walking every record of the sender (issue #19).
CREATE INDEX IF NOT EXISTS records_denied      ON records (principal, transfer_id) WHERE event = 'denied' AND transfer_id IS NOT NULL;
`;

const APPEND_ONLY = ['records', 'tree_nodes', 'checkpoints'];

export function createSchema(db: Database.Database): void {
  db.exec(DDL);
  for (const t of APPEND_ONLY) {
    db.exec(`
CREATE TRIGGER IF NOT EXISTS ${t}_no_update BEFORE UPDATE ON ${t}
BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ${t}_no_delete BEFORE DELETE ON ${t}
BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END;`);
  }
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value < excluded.value').run('schema', SCHEMA_VERSION);
}
