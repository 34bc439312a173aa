// What every audit storage backend must answer (gateway/audit/audit-storage.ts),
// written against the ports alone: a log is written through its append side
// (AuditSink, which the gateway's AuditLog implements) and read back through
// AuditStorage. test/storage-conformance.test.ts runs it against SQLite files today.
import type tap from 'tap';
import type { AuditEntry } from '../../protocol/audit-events.js';
import type { AuditSink } from '../../gateway/audit/audit-sink.js';
import { RECORD_FIELDS, type AuditStorage, type RecordFilter, type StoredAuditRecord } from '../../gateway/audit/audit-storage.js';
import { EMPTY_ROOT, leafHash } from '../../gateway/audit/merkle.js';
import { mthOf } from '../../gateway/audit/tree-store.js';

/** A tap test (the main one or a subtest). */
type Tap = Parameters<Parameters<typeof tap.test>[0]>[0];

export interface AuditLogUnderTest {
  /** The append side; checkpoint() signs the tree as it stands (and writes nothing else on its own). */
  writer: AuditSink & { checkpoint(): Promise<unknown> };
  /** Where the log lies, as its read port is opened. */
  location: string;
}

export interface AuditStorageBackend {
  name: string;
  /** A new, empty log with this origin, whose record times come from `now`. */
  create(opts: { origin: string; now: () => Date }): Promise<AuditLogUnderTest>;
  /** The read port over the log at a location. */
  open(location: string): Promise<AuditStorage>;
  /** Locations that hold no audit log (each a different way of being wrong): open() must refuse each in words. */
  notLogs(): Promise<string[]>;
}

const ORIGIN = 'ferry.gateway/gw-conformance';
const START = Date.parse('2026-11-01T00:00:00.000Z');
const N = 600;
const EVENTS = ['received', 'decided', 'inspected', 'queued', 'denied', 'delivered', 'admin-action', 'decided'] as const;

/** Record i of the test log: every column used, with known spreads. */
function entry(i: number): AuditEntry {
  const event = EVENTS[i % 8]!;
  const decided = event === 'decided';
  const deny = decided && i % 16 === 1;
  return {
    event,
    transferId: event === 'admin-action' ? null : `t-${i % 40}`,
    principal: event === 'admin-action' || i % 7 === 0 ? 'ferry://admin/zhao' : `ferry://police/p${i % 3}`,
    source: `police/s${i % 4}`, destination: `court/d${i % 5}`, size: i, sha256: i % 2 ? 'ab'.repeat(32) : null,
    verdict: decided ? (deny ? 'deny' : 'allow') : null,
    rule: decided || event === 'denied' ? `r${i % 3}` : null,
    policyHash: decided ? 'cd'.repeat(32) : null,
    details: decided
      ? { stage: i % 2 ? 'before' : 'after', findings: deny ? [{ kind: 'av-infected' }, { kind: 'executable' }] : [{ kind: 'pii' }], ...(i % 24 === 1 ? { shadow: [{ rule: 's1', effect: 'deny' }] } : {}), 名: '张三' }
      : event === 'denied' ? { code: i % 3 ? 'FERRY_POLICY_DENIED' : 'FERRY_TOO_LARGE' } : i % 5 === 0 ? null : { i },
  };
}

const timeOf = (i: number): string => new Date(START + i * 37_000).toISOString();

function countBy<T>(xs: T[], key: (x: T) => string | null): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) {
    const k = key(x);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort((a, b) => a[0].localeCompare(b[0]));
const findingsOf = (r: StoredAuditRecord): string[] => ((r.details ? JSON.parse(r.details) as { findings?: Array<{ kind: string }> } : {}).findings ?? []).map((f) => f.kind);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Pages read back as one list: what a walk over them yields. */
async function flat<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  return (await collect(pages)).flat();
}

export function auditStorageConformance(t: Tap, backend: AuditStorageBackend): void {
  // One log for the read-only subtests: written once, read many times.
  let built: Promise<{ location: string; checkpoints: number[] }> | null = null;
  const build = (): Promise<{ location: string; checkpoints: number[] }> => (built ??= (async () => {
    // The clock is read once per record, as each is written: record k + 1 is at timeOf(k).
    let k = 0;
    const log = await backend.create({ origin: ORIGIN, now: () => new Date(START + k++ * 37_000) });
    const checkpoints = [100, 300, 512];
    let from = 0;
    for (const to of [...checkpoints, N]) {
      await log.writer.appendMany(Array.from({ length: to - from }, (_, j) => entry(from + j)));
      if (to < N) await log.writer.checkpoint();
      from = to;
    }
    await log.writer.close();
    return { location: log.location, checkpoints };
  })());

  async function withLog(t: Tap): Promise<{ log: AuditStorage; all: StoredAuditRecord[]; checkpoints: number[] }> {
    const { location, checkpoints } = await build();
    const log = await backend.open(location);
    t.teardown(() => log.close());
    return { log, all: await collect(log.records()), checkpoints };
  }

  void t.test(`${backend.name}: records read back in seq order, as written`, async (t) => {
    const { log, all } = await withLog(t);
    t.equal(all.length, N, 'every record');
    t.same(all.map((r) => r.seq), Array.from({ length: N }, (_, k) => k + 1), 'seq 1..N, in order');
    for (const k of [0, 1, 4, 6, 17, 599]) {
      const e = entry(k);
      const r = all[k]!;
      t.match(r, {
        time: timeOf(k), event: e.event, transferId: e.transferId, principal: e.principal, source: e.source, destination: e.destination,
        size: e.size, sha256: e.sha256, verdict: e.verdict, rule: e.rule, policyHash: e.policyHash,
      }, `record ${k + 1}: its fields`);
      t.same(r.details === null ? null : JSON.parse(r.details), e.details, `record ${k + 1}: its details`);
      t.type(r.details === null ? 'null' : r.details, 'string', 'details as their stored text');
    }
    t.equal(all[0]!.prevHash, '0'.repeat(64), 'the first record links to the zero hash');
    t.ok(all.every((r, k) => k === 0 || r.prevHash === all[k - 1]!.hash), 'each record links to the hash of the one before');
    t.ok(all.every((r) => /^[0-9a-f]{64}$/.test(r.hash)), 'hashes as hex');
    t.equal(await log.maxSeq(), N);
    t.same(await log.timeSpan(), { first: timeOf(0), last: timeOf(N - 1) });
    t.same((await collect(log.records({ descending: true, limit: 3 }))).map((r) => r.seq), [N, N - 1, N - 2], 'newest first, limited');
    t.same((await collect(log.records({ limit: 2 }))).map((r) => r.seq), [1, 2], 'oldest first, limited');
  });

  void t.test(`${backend.name}: each filter picks exactly what a plain scan picks`, async (t) => {
    const { log, all } = await withLog(t);
    const cases: Array<[string, RecordFilter, (r: StoredAuditRecord) => boolean]> = [
      ['transfer', { transferId: 't-7' }, (r) => r.transferId === 't-7'],
      ['source', { source: 'police/s2' }, (r) => r.source === 'police/s2'],
      ['destination', { destination: 'court/d4' }, (r) => r.destination === 'court/d4'],
      ['principal', { principal: 'ferry://police/p1' }, (r) => r.principal === 'ferry://police/p1'],
      ['event', { event: 'denied' }, (r) => r.event === 'denied'],
      ['verdict', { verdict: 'deny' }, (r) => r.verdict === 'deny'],
      ['rule', { rule: 'r2' }, (r) => r.rule === 'r2'],
      ['refusal code', { code: 'FERRY_TOO_LARGE' }, (r) => r.details !== null && (JSON.parse(r.details) as { code?: string }).code === 'FERRY_TOO_LARGE'],
      ['finding kind', { findingKind: 'av-infected' }, (r) => findingsOf(r).includes('av-infected')],
      ['since', { since: '2026-11-01T03:00:00Z' }, (r) => r.time >= '2026-11-01T03:00:00.000Z'],
      ['until, in another zone', { until: '2026-11-01T02:00:00+01:00' }, (r) => r.time < '2026-11-01T01:00:00.000Z'],
      ['a time range', { since: '2026-11-01T01:00:00Z', until: '2026-11-01T02:00:00Z' }, (r) => r.time >= '2026-11-01T01:00:00.000Z' && r.time < '2026-11-01T02:00:00.000Z'],
      ['after a seq', { afterSeq: 590 }, (r) => r.seq > 590],
      ['before a seq', { beforeSeq: 4 }, (r) => r.seq < 4],
      ['without the administrators', { withoutAdmin: true }, (r) => r.event !== 'admin-action' && r.event !== 'policy-loaded' && !(r.principal ?? '').startsWith('ferry://admin/')],
      ['combined', { event: 'decided', source: 'police/s1', since: '2026-11-01T02:00:00Z' }, (r) => r.event === 'decided' && r.source === 'police/s1' && r.time >= '2026-11-01T02:00:00.000Z'],
      ['nothing matches', { transferId: 't-none' }, () => false],
    ];
    for (const [name, filter, pick] of cases) {
      const want = all.filter(pick).map((r) => r.seq);
      t.same((await collect(log.records(filter))).map((r) => r.seq), want, `${name} (${want.length})`);
      t.same((await collect(log.records({ ...filter, descending: true, limit: 5 }))).map((r) => r.seq), want.reverse().slice(0, 5), `${name}, newest first, five`);
    }
    t.ok(all.some((r) => r.time < '2026-11-01T01:00:00.000Z'), 'the data has records before the until case');
    await t.rejects(collect(log.records({ since: 'yesterday' })), /not a time/, 'a time that is not one is refused');
  });

  void t.test(`${backend.name}: long reads come in pages that walk the same records`, async (t) => {
    const { log, all } = await withLog(t);
    for (const filter of [{}, { event: 'decided' }, { source: 'police/s1', descending: true }, { limit: 23 }, { descending: true, limit: 23, beforeSeq: 500 }, { since: timeOf(100), until: timeOf(300) }] as RecordFilter[]) {
      const pages = await collect(log.recordPages(filter, 7));
      const want = (await collect(log.records(filter))).map((r) => r.seq);
      t.ok(pages.every((p) => p.length > 0 && p.length <= 7), `${JSON.stringify(filter)}: pages of at most 7, none empty`);
      t.same(pages.flat().map((r) => r.seq), want, `${JSON.stringify(filter)}: the pages together are the walk (${want.length})`);
    }
    t.equal((await collect(log.records({ limit: 23 }))).length, 23, 'a limit bounds the whole walk, not a page');
    const values = await collect(log.recordValues(1, N, 100));
    t.ok(values.every((p) => p.length <= 100), 'values in pages of at most the size asked');
    t.same(values.flat().map((v) => v[0]), all.map((r) => r.seq), 'every record once, in order');
  });

  void t.test(`${backend.name}: ranges for verification and proofs`, async (t) => {
    const { log, all } = await withLog(t);
    const values = (await flat(log.recordValues(255, 260)));
    t.same(values.map((v) => v[0]), [255, 256, 257, 258, 259, 260], 'the range, inclusive, in order');
    for (const v of values) {
      const r = all[(v[0] as number) - 1]!;
      t.same(v, RECORD_FIELDS.map((f) => r[f]), `record ${String(v[0])}: every field as stored, in RECORD_FIELDS order`);
    }
    t.same((await flat(log.recordValues(N + 1, N + 10))), [], 'past the end: nothing');
    t.same((await flat(log.recordValues(1, 0))), [], 'an empty range: nothing');
    t.same(await log.recordHashes(10, 14), all.slice(10, 14).map((r) => r.hash), 'hashes of the records after 10 up to 14');
    t.same(await log.recordHashes(N - 2, N + 5), all.slice(N - 2).map((r) => r.hash), 'only what is there');
    for (const k of [0, 1, 299, 599]) t.equal(await log.firstSeqAt(timeOf(k)), k + 1, `the first seq at the time of record ${k + 1}`);
    t.equal(await log.firstSeqAt(new Date(START + 10 * 37_000 + 1).toISOString()), 12, 'a time between two records: the later one');
    t.equal(await log.firstSeqAt('2027-01-01T00:00:00.000Z'), null, 'after the last record: none');
    t.equal(await log.firstSeqAt('2020-01-01T00:00:00.000Z'), 1, 'before the first: the first');
  });

  void t.test(`${backend.name}: checkpoints, in order, over the records they name`, async (t) => {
    const { log, all, checkpoints } = await withLog(t);
    const cps = await flat(log.checkpoints());
    const sizes = cps.map((c) => c.size);
    t.ok(checkpoints.every((s) => sizes.includes(s)), `the checkpoints asked for are there (${sizes.join(', ')})`);
    t.ok(sizes.every((s, k) => k === 0 || s > sizes[k - 1]!), 'by size');
    const leaves = all.map((r) => leafHash(Buffer.from(r.hash, 'hex')));
    for (const c of cps) {
      t.equal(c.root, (c.size === 0 ? EMPTY_ROOT : mthOf(leaves, 0, c.size)).toString('base64'), `size ${c.size}: the root of the first ${c.size} records`);
      t.match(c.note, new RegExp(`^${ORIGIN.replace(/[./]/g, '\\$&')}\\n${c.size}\\n${c.root.replace(/[+/]/g, '\\$&')}\\n`), `size ${c.size}: its note names origin, size and root`);
      t.ok(Buffer.isBuffer(c.frontier) && c.frontier.length % 32 === 0, 'its frontier: hashes of 32 bytes');
      t.type(c.time, 'string');
      t.same(await log.checkpointAt(c.size), c, 'found by its size');
    }
    t.same(await log.latestCheckpoint(), cps.at(-1), 'the latest is the largest');
    t.equal(await log.checkpointAt(101), null, 'no checkpoint at a size never signed');
    t.same(await log.checkpointSizes(2), cps.map((c) => c.size).reverse().slice(0, 2), 'the latest sizes, largest first');
  });

  void t.test(`${backend.name}: tree nodes, in the order the tree completes them`, async (t) => {
    const { log, all } = await withLog(t);
    const leaves = all.map((r) => leafHash(Buffer.from(r.hash, 'hex')));
    const nodes = await flat(log.treeNodes());
    t.same(nodes.map((n) => [n.level, n.idx]), [[8, 0], [8, 1], [9, 0]], '600 records: two blocks of 256, then the 512 above them');
    for (const n of nodes) {
      const span = 2 ** n.level;
      t.ok(n.hash.equals(mthOf(leaves, n.idx * span, (n.idx + 1) * span)), `node ${n.level}/${n.idx}: the subtree hash of its leaves`);
      t.ok((await log.treeNode(n.level, n.idx))?.equals(n.hash), `node ${n.level}/${n.idx}: found by its place`);
    }
    t.equal(await log.treeNode(8, 2), null, 'an incomplete block has no node');
    t.equal(await log.treeNode(10, 0), null, 'nor a level not reached');
  });

  void t.test(`${backend.name}: what the log says of itself`, async (t) => {
    const { log } = await withLog(t);
    t.same(await log.meta(), { origin: ORIGIN, segment: 1, sealed: null }, 'origin, segment 1, not sealed');
    t.equal(typeof log.location, 'string');
  });

  void t.test(`${backend.name}: the console's and the replay's questions, answered as a scan would`, async (t) => {
    const { log, all } = await withLog(t);
    const from = 200;
    const tail = all.filter((r) => r.seq >= from);
    t.same(await log.eventCounts(from), Object.fromEntries(countBy(tail, (r) => r.event)), 'records per event');
    const hours = countBy(tail, (r) => r.time.slice(0, 13));
    t.same(await log.decisionsByHour(from), [...hours.keys()].sort().map((hour) => ({
      hour, decided: tail.filter((r) => r.time.startsWith(hour) && r.event === 'decided').length, denied: tail.filter((r) => r.time.startsWith(hour) && r.event === 'denied').length,
    })), 'decisions and refusals per hour');
    const byRule = (rs: StoredAuditRecord[]): Array<[string, number]> => sorted(countBy(rs, (r) => r.rule));
    t.same(sorted(new Map((await log.refusalsByRule(from, 20)).map((r) => [r.rule, r.n]))), byRule(tail.filter((r) => r.event === 'denied')), 'refusals per rule');
    t.same(sorted(new Map((await log.decisionsByRule(from)).map((r) => [r.rule, r.n]))), byRule(tail.filter((r) => r.event === 'decided')), 'decisions per rule');
    t.equal((await log.refusalsByRule(from, 1)).length, 1, 'at most the limit');
    const refusals = await log.refusalsByRule(from, 20);
    t.ok(refusals.every((r, k) => k === 0 || refusals[k - 1]!.n >= r.n), 'most first');
    const kinds = new Map<string, number>();
    for (const r of tail) if (r.event === 'decided' && r.verdict === 'deny') for (const k of findingsOf(r)) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    t.same(sorted(new Map((await log.denyingFindings(from, 20)).map((r) => [r.kind, r.n]))), sorted(kinds), 'findings of the decisions that denied, per kind');
    t.ok(kinds.size > 0);
    const shadow = tail.filter((r) => r.event === 'decided' && r.details?.includes('shadow')).length;
    t.ok(shadow > 0, 'the data has shadow matches');
    t.same(await log.shadowMatches(from), [{ rule: 's1', effect: 'deny', n: shadow }], 'shadow matches per rule and effect');
    const admin = all.filter((r) => r.event === 'admin-action' || r.event === 'policy-loaded').map((r) => r.seq).reverse();
    t.same((await log.adminActions(Number.MAX_SAFE_INTEGER, 5)).map((r) => r.seq), admin.slice(0, 5), "the administrators' actions, newest first");
    t.same((await log.adminActions(admin[4]!, 3)).map((r) => r.seq), admin.slice(5, 8), 'the page before a seq');

    const decided = all.filter((r) => r.event === 'decided');
    const whole = await log.decisionsToReplay({});
    t.same((await flat(whole.pages)).map((r) => r.seq), decided.map((r) => r.seq), 'every decision to replay, in order');
    t.equal(whole.windowed, false);
    const one = (await flat((await log.decisionsToReplay({ last: 1 })).pages))[0]!;
    const last = decided.at(-1)!;
    t.same(one, { seq: last.seq, time: last.time, transferId: last.transferId, event: 'decided', verdict: last.verdict, rule: last.rule, details: last.details }, 'a decision as the replay reads it');
    const window = await log.decisionsToReplay({ last: 5 });
    t.same((await flat(window.pages)).map((r) => r.seq), decided.slice(-5).map((r) => r.seq), 'the last five');
    t.equal(window.windowed, true, 'and it says there were more');
    t.equal((await log.decisionsToReplay({ last: decided.length })).windowed, false, 'a window as large as the log cuts nothing');
    const since = timeOf(400);
    t.same((await flat((await log.decisionsToReplay({ since })).pages)).map((r) => r.seq), decided.filter((r) => r.time >= since).map((r) => r.seq), 'since a time');
  });

  void t.test(`${backend.name}: a snapshot does not see what a live writer adds meanwhile`, async (t) => {
    let i = 0;
    const live = await backend.create({ origin: ORIGIN, now: () => new Date(START + i * 1000) });
    await live.writer.appendMany([entry(i++), entry(i++), entry(i++)]);
    const log = await backend.open(live.location);
    t.teardown(() => log.close());
    const seen = await log.snapshot(async () => {
      const before = await log.maxSeq();
      await live.writer.append(entry(i++));
      return [before, await log.maxSeq(), (await collect(log.records())).length];
    });
    t.same(seen, [3, 3, 3], 'inside the snapshot: the log as it was');
    t.equal(await log.maxSeq(), 4, 'after it: the new record');
    await live.writer.close();
  });

  void t.test(`${backend.name}: a location that is not an audit log is refused in words`, async (t) => {
    const wrong = await backend.notLogs();
    t.ok(wrong.length >= 3, 'several ways of being wrong');
    for (const location of wrong) {
      const err = await (async () => {
        try {
          await (await backend.open(location)).close();
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      t.ok(err, `${location}: refused`);
      t.equal(err?.name, 'AuditDbError', 'as an AuditDbError');
      t.ok(err?.message.includes(location), 'naming the location');
      t.match(err?.message ?? '', /audit/, 'saying what it is not');
      t.notMatch(err?.message ?? '', /^(SQLITE_|file is not a database|no such table)/, "not the backend's own words");
    }
  });
}
