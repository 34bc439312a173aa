import type Database from 'better-sqlite3';

// Schema steps for a queue.db that already exists, numbered by PRAGMA
// user_version: each runs once, in its own transaction, in order. A fresh
// queue.db runs them too (after the base schema), so old and new databases
// end up alike. Issue #19: what runs on the event loop must cost what the
// work in flight costs, not what months of history cost; each step here backs
// a periodic or hot query with an index or a counter.

/** States a transfer ends in: their rows are history, kept for status and retention only. */
export const SETTLED_STATES = "'delivered', 'denied', 'expired', 'failed'";

const STEPS: string[] = [
  // 1. Rows by state, kept by triggers in the write that changes them, so that
  //    a Prometheus scrape reads a handful of rows instead of counting millions.
  //    Filled once from the table as it is (the only full count this ever does).
  `CREATE TABLE IF NOT EXISTS state_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
   DELETE FROM state_counts;
   INSERT INTO state_counts (state, n) SELECT state, COUNT(*) FROM transfers GROUP BY state;
   CREATE TRIGGER IF NOT EXISTS state_count_in AFTER INSERT ON transfers BEGIN
     INSERT INTO state_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
   END;
   CREATE TRIGGER IF NOT EXISTS state_count_move AFTER UPDATE OF state ON transfers WHEN OLD.state <> NEW.state BEGIN
     UPDATE state_counts SET n = n - 1 WHERE state = OLD.state;
     INSERT INTO state_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
   END;
   CREATE TRIGGER IF NOT EXISTS state_count_out AFTER DELETE ON transfers BEGIN
     UPDATE state_counts SET n = n - 1 WHERE state = OLD.state;
   END;`,
  // 2. The retention sweep: rows whose kept content is due for removal, oldest first.
  `CREATE INDEX IF NOT EXISTS transfers_retain ON transfers(retain_until) WHERE retain_until IS NOT NULL;`,
  // 3. The purge of settled rows past their keeping time, oldest first; a row
  //    still holding retained content (retain_until set) waits for the sweep.
  `CREATE INDEX IF NOT EXISTS transfers_settled ON transfers(updated) WHERE retain_until IS NULL AND state IN (${SETTLED_STATES});`,
  // 4. The spool fanned out (spool/spool-layout.ts): <id>.spool is <xx>/<id>.spool, <xx> the
  //    name's last two characters before '.spool'. The files follow at start (prepareSpoolDir).
  `UPDATE transfers SET spool = lower(substr(spool, length(spool) - 7, 2)) || '/' || spool WHERE spool LIKE '%.spool' AND instr(spool, '/') = 0;`,
  // 5. Small files held in the queue database (spool.inline_max): a file row with spool '' and no
  //    sequence keeps its sealed body in message_bodies exactly as long as a spool file would be
  //    kept (delivery/settle.ts): while it waits or is being delivered, while a retention obligation
  //    runs (retain_until, or a relayed copy kept under retain_days), and no longer. A trigger, so
  //    that the body goes in the write that settles the row, crash or no crash: no orphan to scrub.
  //    A purged or forgotten row takes its body with it.
  `CREATE TRIGGER IF NOT EXISTS inline_body_done AFTER UPDATE OF state, retain_until ON transfers
     WHEN NEW.spool = '' AND NEW.seq IS NULL AND NEW.state NOT IN ('accepted', 'queued', 'forwarding') AND NEW.retain_until IS NULL
       AND NOT (NEW.state = 'relayed' AND NEW.retain_days IS NOT NULL) BEGIN
     DELETE FROM message_bodies WHERE transfer_id = NEW.id;
   END;
   CREATE TRIGGER IF NOT EXISTS inline_body_row_gone AFTER DELETE ON transfers WHEN OLD.spool = '' BEGIN
     DELETE FROM message_bodies WHERE transfer_id = OLD.id;
   END;`,
];

/** The schema step this code brings a queue.db to. */
export const QUEUE_SCHEMA_VERSION = STEPS.length;

export function migrateQueue(db: Database.Database): void {
  const at = db.pragma('user_version', { simple: true }) as number;
  for (let v = at; v < STEPS.length; v++) {
    db.transaction(() => {
      db.exec(STEPS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
