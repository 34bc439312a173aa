// Issue #19: the audit log over months. The live log is sealed at a checkpoint
// into audit-segments/segment-N.db and continues in a new file whose first
// record commits to that checkpoint; a directory of segments verifies as a
// whole; a tampered sealed segment, a missing one, one swapped in from another
// gateway each fail with a reason; pruning removes only whole sealed segments
// past the retention (never below 180 days) and records it, signed.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { openAuditLog, type AuditLog } from '../gateway/audit/audit-log.js';
import { MIN_RETENTION_DAYS } from '../gateway/audit/retention-floor.js';
import { dueForPruning, pruneSegments, segmentFileName, SEGMENTS_DIR } from '../gateway/audit/segments.js';
import { encodeVkey, parseVkey } from '../gateway/audit/signed-note.js';
import { segmentFiles, verifySegments } from '../gateway/audit/verify-segments.js';
import { filesInRange, logFiles, queryLog } from '../gateway/audit/query-segments.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { ConsoleQueries } from '../gateway/admin/console/console-queries.js';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => { const out: T[] = []; for await (const x of it) out.push(x); return out; };

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const ORIGIN = 'ferry.gateway/gw-seg';
const root = mkdtempSync(join(tmpdir(), 'ferry-audit-seg-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const { privateKey } = generateKeyPairSync('ed25519');
const verifiers = [parseVkey(encodeVkey(ORIGIN, privateKey))];
const DAY = 86_400_000;

function entry(i: number) {
  return {
    event: (['received', 'decided', 'inspected', 'queued', 'delivered'] as const)[i % 5]!,
    transferId: `0192f1c4-7a00-7000-8000-${String(Math.floor(i / 5)).padStart(12, '0')}`,
    principal: 'ferry://police/records', source: 'police/records', destination: 'extranet/archive',
    size: 1000 + i, sha256: createHash('sha256').update(String(i)).digest('hex'),
  };
}

/** A data directory whose log went through `segments` seals, `per` records each, the clock stepping `stepDays` per segment. */
async function build(name: string, segments: number, per: number, o: { origin?: string; start?: number; stepDays?: number } = {}): Promise<{ data: string; log: AuditLog; sealedAt: string[] }> {
  const data = join(root, name);
  mkdirSync(data, { recursive: true });
  let clock = o.start ?? Date.UTC(2026, 0, 1);
  const origin = o.origin ?? ORIGIN;
  const key = o.origin ? generateKeyPairSync('ed25519').privateKey : privateKey;
  const log = openAuditLog(join(data, 'audit.db'), { origin, signer: { keyName: origin, privateKey: key }, checkpointEvery: 40, now: () => new Date(clock) });
  const sealedAt: string[] = [];
  for (let s = 0; s < segments; s++) {
    for (let i = 0; i < per; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => log.append(entry(s * per + i + k))));
    const sealed = await log.seal(join(data, SEGMENTS_DIR));
    sealedAt.push(sealed.time);
    clock += (o.stepDays ?? 30) * DAY;
  }
  await log.append(entry(0));
  return { data, log, sealedAt };
}

t.test('sealing, continuation and verification as a whole', async (t) => {
  const { data, log } = await build('whole', 3, 100);
  t.equal(log.segment, 4, 'the live log is segment 4');
  t.same(readdirSync(join(data, SEGMENTS_DIR)).sort(), [1, 2, 3].map(segmentFileName), 'three sealed segments');
  // Appends made while a seal runs go to the next segment, none lost.
  const during = Promise.all(Array.from({ length: 25 }, (_, i) => log.append(entry(1000 + i))));
  const sealing = log.seal(join(data, SEGMENTS_DIR));
  const more = Promise.all(Array.from({ length: 25 }, (_, i) => log.append(entry(2000 + i))));
  await Promise.all([during, sealing, more]);
  await log.close();
  const r = await verifySegments(segmentFiles(data), { verifiers });
  t.ok(r.ok, `the data directory verifies as a whole: ${r.failure?.message ?? ''}`);
  t.same(r.segments.map((s) => s.segment), [1, 2, 3, 4, 5], 'segments 1..5, the live one last');
  // 300 + (1 + 1 + 50) + segment-started records in 2..5 (one each) + 25 or so appended after the fifth seal
  t.equal(r.records, r.segments.reduce((a, s) => a + s.report.records, 0), 'records counted over every segment');
  t.ok(r.segments.every((s) => s.report.signaturesChecked > 0), 'each segment\'s checkpoints signed and checked');
  const first = new Database(join(data, 'audit.db'), { readonly: true });
  const rec = first.prepare('SELECT event, details FROM records WHERE seq = 1').get() as { event: string; details: string };
  first.close();
  t.equal(rec.event, 'segment-started', 'the live segment opens with segment-started');
  t.match(JSON.parse(rec.details), { segment: 5, previous: { segment: 4, size: Number } }, 'committing to the sealed segment\'s last checkpoint');
  const sealedOnly = await verifySegments(segmentFiles(join(data, SEGMENTS_DIR)), { verifiers });
  t.ok(sealedOnly.ok, 'the sealed segments alone verify too (moved to cheaper storage, exported)');
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', data, '--pubkey', encodeVkey(ORIGIN, privateKey)], { encoding: 'utf8' });
  t.match(out, /^ok: 5 segments \(1\.\.5\), \d+ records, linked/, `ferry log verify takes the directory: ${out.trim()}`);
  const single = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(data, SEGMENTS_DIR, segmentFileName(2)), '--pubkey', encodeVkey(ORIGIN, privateKey)], { encoding: 'utf8' });
  t.match(single, /^ok: \d+ records/, 'and still a single file');
});

t.test('a seal under way when the writer thread dies refuses, and the log stays stopped', async (t) => {
  // A module instance of its own, whose writer thread ends on the batch with the 2nd 'received' record.
  process.env.FERRY_TEST_AUDIT_WRITER_DIES_AT = '2';
  const mod = await import(new URL('../gateway/audit/audit-log.js?writer-dies', import.meta.url).href) as typeof import('../gateway/audit/audit-log.js');
  delete process.env.FERRY_TEST_AUDIT_WRITER_DIES_AT;
  const data = join(root, 'writer-dies');
  mkdirSync(data, { recursive: true });
  const log = mod.openAuditLog(join(data, 'audit.db'), { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, checkpointEvery: 1e9, checkpointIntervalMs: 3_600_000 });
  for (let i = 0; i < 5; i++) await log.append(entry(i));
  // Its batch may or may not be on disk when the thread dies: the seal must not go on over a head it cannot know.
  const dying = log.append(entry(5));
  const sealing = log.seal(join(data, SEGMENTS_DIR));
  const [appended, sealed] = await Promise.allSettled([dying, sealing]);
  t.equal(appended.status, 'rejected', 'the append on the dying thread fails');
  t.equal(sealed.status, 'rejected', 'the seal under way refuses');
  t.ok(log.stopped, 'the log stays stopped until a restart');
  await t.rejects(log.append(entry(6)), { code: 'FERRY_STORAGE_UNAVAILABLE' }, 'and takes no more appends');
  t.notOk(existsSync(join(data, SEGMENTS_DIR, segmentFileName(1))), 'nothing was sealed');
  await log.close();
});

t.test('a close while a seal is under way: the seal finishes first and the directory verifies', async (t) => {
  const data = join(root, 'close-during-seal');
  mkdirSync(data, { recursive: true });
  const log = openAuditLog(join(data, 'audit.db'), { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, checkpointEvery: 40 });
  for (let i = 0; i < 20; i++) await log.append(entry(i));
  const sealing = log.seal(join(data, SEGMENTS_DIR));
  const closing = log.close();
  const [sealed] = await Promise.all([sealing, closing]);
  t.equal(sealed.segment, 1, 'the seal finished');
  t.ok(existsSync(join(data, SEGMENTS_DIR, segmentFileName(1))), 'segment 1 is in place');
  const r = await verifySegments(segmentFiles(data), { verifiers });
  t.ok(r.ok, `the directory verifies after the close: ${r.failure?.message ?? ''}`);
  t.same(r.segments.map((s) => s.segment), [1, 2], 'the sealed segment and the new live one, which holds its segment-started record');
  await t.rejects(log.append(entry(99)), { code: 'AUDIT_CLOSED' }, 'the closed log takes no appends');
});

t.test('log query and export read the sealed segments too; a time range skips those wholly outside it', async (t) => {
  // Segment 1's records at sealedAt[0], 2's at sealedAt[1], 3's at sealedAt[2]; each segment-started record
  // carries the time of the seal before it; the live log holds segment-started and one record.
  const { data, log, sealedAt } = await build('query', 3, 50);
  await log.close();
  const live = join(data, 'audit.db');
  const seg = (n: number) => join(data, SEGMENTS_DIR, segmentFileName(n));
  t.same(await logFiles(live), [seg(1), seg(2), seg(3), live], 'data/audit.db stands for the sealed segments beside it, oldest first, then itself');
  t.same(await logFiles(data), await logFiles(live), 'and so does the data directory');
  t.same(await logFiles(seg(2)), [seg(2)], 'a segment file stands for itself');

  const inSecond = entry(55).transferId; // transfer 11: segment 2 only
  t.equal([...readRecords(live, { transferId: inSecond })].length, 0, 'the live file alone does not hold it (what query read before)');
  t.same((await collect(queryLog(live, { transferId: inSecond }))).map((r) => r.event), ['received', 'decided', 'inspected', 'queued', 'delivered'], 'queryLog finds its five records in segment 2');
  const all = await collect(queryLog(live, { source: 'police/records' }));
  t.equal(all.length, 151, 'every segment\'s records and the live one\'s');
  t.ok(all.every((r, i) => i === 0 || all[i - 1]!.time <= r.time), 'in log order');
  const newest = await collect(queryLog(live, { source: 'police/records', descending: true, limit: 60 }));
  t.equal(newest.length, 60, 'a limit counts across segments');
  t.ok(newest[0]!.time > sealedAt[2]!, 'newest first: the live record (appended after the last seal)');
  t.same([newest[1]!.time, newest[50]!.time, newest[51]!.time, newest[59]!.time], [sealedAt[2], sealedAt[2], sealedAt[1], sealedAt[1]], 'then segment 3\'s fifty, then segment 2\'s newest');

  const range = { since: sealedAt[1]!, until: sealedAt[2]! };
  t.same(await filesInRange(await logFiles(live), range), [seg(2), seg(3)], 'segment 1 (ends before) and the live log (begins at the end) are skipped');
  const inRange = await collect(queryLog(live, range));
  t.equal(inRange.length, 51, 'segment 2\'s fifty records and segment 3\'s segment-started, which carries the time of the seal');
  t.ok(inRange.every((r) => r.time >= range.since && r.time < range.until), 'all inside the range');
  t.same(new Set(inRange.filter((r) => r.transferId).map((r) => r.transferId)).size, 10, 'transfers 10..19');

  const out = execFileSync(process.execPath, [FERRY, 'log', 'export', '--db', live, '--format', 'jsonl', '--transfer', inSecond], { encoding: 'utf8' });
  t.equal(out.trim().split('\n').length, 5, 'ferry log export --db data/audit.db finds the sealed transfer');
  const q = execFileSync(process.execPath, [FERRY, 'log', 'query', '--db', data, '--json', '--since', range.since, '--until', range.until], { encoding: 'utf8' });
  t.equal(q.trim().split('\n').length, 51, 'ferry log query --db <data dir> with a time range');

  const console = new ConsoleQueries(live);
  t.teardown(() => console.close());
  t.equal((await console.transfer(inSecond)).length, 5, 'the console\'s timeline of a transfer in a sealed segment');
  t.equal((await console.search({ transferId: inSecond })).rows.length, 5, 'and its search by transfer id');
  // The console's list pages through every segment, newest first, as log query --desc does (#19).
  const want = (await collect(queryLog(live, { source: 'police/records', descending: true }))).map((r) => `${r.time} ${r.seq} ${r.event}`);
  const seen: string[] = [];
  const cursors: string[] = [];
  let before: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page = await console.search({ source: 'police/records' }, before);
    seen.push(...page.rows.map((r) => `${r.time} ${r.seq} ${r.event}`));
    if (page.next === null) break;
    cursors.push(page.next);
    before = page.next;
  }
  t.same(seen, want, "the console's search, page after page, is the whole log's newest first: each record once (151)");
  t.ok(cursors.some((c) => /^[1-9]\d*:[1-9]\d*$/.test(c)), `a page that ends in a sealed segment says which (${cursors.join(', ')})`);
});

t.test("the console's counts sum every segment their window reaches", async (t) => {
  // Four files an hour apart: segments 1..3 and the live one, each with 3 allowed and 2 denied decisions.
  const data = join(root, 'counts');
  mkdirSync(data, { recursive: true });
  const start = Date.UTC(2026, 5, 1, 8);
  let clock = start;
  const log = openAuditLog(join(data, 'audit.db'), { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, checkpointEvery: 40, now: () => new Date(clock) });
  const decisions = async (file: number) => {
    for (let k = 0; k < 5; k++) {
      const deny = k >= 3;
      const id = `0192f1c4-7a00-7000-8000-${String(file * 10 + k).padStart(12, '0')}`;
      await log.append({ event: 'decided', transferId: id, verdict: deny ? 'deny' : 'allow', rule: deny ? `deny-file-${file}` : 'allow-all', details: deny ? { findings: [{ kind: file === 0 ? 'marking' : 'pii' }] } : {} });
      if (deny) await log.append({ event: 'denied', transferId: id, rule: `deny-file-${file}` });
    }
  };
  for (let file = 0; file < 3; file++) {
    await decisions(file);
    await log.seal(join(data, SEGMENTS_DIR));
    clock += 3_600_000;
  }
  await decisions(3);
  await log.close();
  const console = new ConsoleQueries(join(data, 'audit.db'));
  t.teardown(() => console.close());

  const day = await console.overview(24, clock + 60_000);
  t.equal(day.events.decided, 20, 'a day: the decisions of the three sealed segments and of the live file');
  t.equal(day.events.denied, 8, 'and their refusals');
  t.same(day.byHour.map((h) => [h.hour.slice(11), h.decided, h.denied]), [['08', 5, 2], ['09', 5, 2], ['10', 5, 2], ['11', 5, 2]], 'hour by hour, oldest first, across files');
  t.same(day.deniedByRule.map((r) => r.rule).sort(), ['deny-file-0', 'deny-file-1', 'deny-file-2', 'deny-file-3'], 'refusals by rule from every file');
  t.same(day.deniedByFinding, [{ kind: 'pii', n: 6 }, { kind: 'marking', n: 2 }], 'refusing findings summed across files, most first');

  // Two hours back from half past eleven: the window starts inside segment 3 (10:00), and segment 2 (09:00) is left out.
  const recent = await console.overview(2, clock + 30 * 60_000 - 0);
  t.equal(recent.events.decided, 10, 'a window that starts in a sealed segment stops there (segment 3 and the live file)');
  t.same(recent.byHour.map((h) => h.hour.slice(11)), ['10', '11'], 'its hours');

  const hits = await console.ruleHits(30, clock + 60_000);
  t.equal(hits.get('allow-all'), 12, "the policy page's month of hits counts every segment");
  t.equal(hits.get('deny-file-0'), 2, 'the oldest segment too');
  const later = await console.ruleHits(30, clock + 31 * 86_400_000);
  t.equal(later.size, 0, 'nothing a month after the last record');
});

t.test('a tampered, a missing and a swapped segment fail, each with its reason', async (t) => {
  const { data, log } = await build('attacked', 3, 60);
  await log.close();
  const seg = (d: string, n: number) => join(d, SEGMENTS_DIR, segmentFileName(n));
  const copy = (name: string) => {
    const d = join(root, name);
    mkdirSync(join(d, SEGMENTS_DIR), { recursive: true });
    for (const f of readdirSync(join(data, SEGMENTS_DIR))) copyFileSync(join(data, SEGMENTS_DIR, f), join(d, SEGMENTS_DIR, f));
    copyFileSync(join(data, 'audit.db'), join(d, 'audit.db'));
    return d;
  };

  const tampered = copy('tampered');
  const db = new Database(seg(tampered, 2));
  db.exec('DROP TRIGGER records_no_update');
  db.prepare("UPDATE records SET destination = 'extranet/elsewhere' WHERE seq = 7").run();
  db.close();
  let r = await verifySegments(segmentFiles(tampered), { verifiers });
  t.notOk(r.ok, 'a tampered sealed segment fails');
  t.match(r.failure, { segment: 2, seq: 7, check: 'record-hash' }, `named: ${r.failure?.message}`);

  const missing = copy('missing');
  rmSync(seg(missing, 2));
  r = await verifySegments(segmentFiles(missing), { verifiers });
  t.match(r.failure, { segment: 3, check: 'segment-missing' }, `a missing segment: ${r.failure?.message}`);
  t.match(r.failure?.message, /continues segment 2, which is not here/);
  const head = copy('headless');
  rmSync(seg(head, 1));
  r = await verifySegments(segmentFiles(head), { verifiers });
  t.match(r.failure, { segment: 2, check: 'segment-missing' }, `a first segment gone without a pruning record: ${r.failure?.message}`);

  const other = await build('other-gateway', 3, 60, { origin: 'ferry.gateway/gw-other' });
  await other.log.close();
  const swapped = copy('swapped');
  copyFileSync(seg(other.data, 2), seg(swapped, 2));
  r = await verifySegments(segmentFiles(swapped), { verifiers });
  t.match(r.failure, { segment: 2, check: 'segment-origin' }, `a segment of another gateway: ${r.failure?.message}`);

  // The same gateway's own segment 2 from another run (right origin and key, another history): the link breaks.
  const twin = await build('twin', 3, 70);
  await twin.log.close();
  const relinked = copy('relinked');
  copyFileSync(seg(twin.data, 2), seg(relinked, 2));
  r = await verifySegments(segmentFiles(relinked), { verifiers });
  t.notOk(r.ok, 'a segment swapped for another of the same key fails');
  t.match(r.failure, { check: 'segment-link' }, `its neighbours do not link to it: ${r.failure?.message}`);
});

t.test('pruning removes only whole sealed segments past retention, and records it, signed', async (t) => {
  t.throws(() => parseGatewayConfig('name: g\ndata_dir: d\ntls: { ca: a, cert: b, key: c }\nnetworks: { police: { listen: "127.0.0.1:0" } }\naudit: { retention: 90d }\n', '/x/gateway.yaml'),
    /must be at least 180 days: the Cybersecurity Law of the PRC \(网络安全法\) Art\. 21/, 'a retention below six months is refused, saying why');
  t.throws(() => dueForPruning(root, 30), /below 180/, 'and pruning refuses it too');

  const start = Date.UTC(2025, 0, 1);
  const { data, log, sealedAt } = await build('pruned', 4, 50, { start, stepDays: 90 });
  // Segments sealed at start, +90 d, +180 d, +270 d; "now" is 200 days after the second seal.
  const now = Date.parse(sealedAt[1]!) + (MIN_RETENTION_DAYS + 20) * DAY;
  const pruned = await pruneSegments(log, join(data, SEGMENTS_DIR), MIN_RETENTION_DAYS, now);
  t.same(pruned.map((p) => p.segment), [1, 2], 'the two segments whose last record is past 180 days');
  t.same(readdirSync(join(data, SEGMENTS_DIR)).sort(), [3, 4].map(segmentFileName), 'whole files removed, the rest kept');
  t.same(await pruneSegments(log, join(data, SEGMENTS_DIR), MIN_RETENTION_DAYS, now), [], 'nothing more is due');
  await log.close();
  const db = new Database(join(data, 'audit.db'), { readonly: true });
  const rec = db.prepare("SELECT seq, details FROM records WHERE event = 'segments-pruned'").get() as { seq: number; details: string };
  const cp = db.prepare('SELECT MAX(size) FROM checkpoints').pluck().get() as number;
  db.close();
  t.match(JSON.parse(rec.details), { retention_days: 180, floor: /网络安全法/, segments: [{ segment: 1, root: String }, { segment: 2, root: String }] }, 'the record says what went and why it could');
  t.ok(cp >= rec.seq, 'and a signed checkpoint covers it');
  const r = await verifySegments(segmentFiles(data), { verifiers });
  t.ok(r.ok, `what is left verifies, the pruned start accounted for: ${r.failure?.message ?? ''}`);
  t.same(r.pruned, [1, 2], 'segments 1 and 2 reported as recorded pruned');
  t.notOk(existsSync(join(data, SEGMENTS_DIR, segmentFileName(1))));
  renameSync(join(data, SEGMENTS_DIR, segmentFileName(3)), join(root, 'aside.db'));
  const gap = await verifySegments(segmentFiles(data), { verifiers });
  t.match(gap.failure, { segment: 4, check: 'segment-missing' }, 'a segment after the pruned ones still may not go missing');
});

t.test('the gateway\'s keeper seals once the live segment is seal_every old, and prunes past retention', async (t) => {
  const { SegmentKeeper } = await import('../gateway/audit/segment-keeper.js');
  const data = join(root, 'keeper');
  mkdirSync(data, { recursive: true });
  const start = Date.UTC(2026, 0, 1);
  let clock = start;
  const log = openAuditLog(join(data, 'audit.db'), { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, now: () => new Date(clock) });
  t.teardown(() => log.close());
  const seen: string[] = [];
  const logger = { warn: (_o: object, m?: string) => void seen.push(m ?? ''), error: (o: object, m?: string) => void seen.push(`error: ${m} ${JSON.stringify(o)}`) };
  const keeper = new SegmentKeeper(log, join(data, SEGMENTS_DIR), { sealEveryMs: 7 * DAY, retentionDays: 180, logger });
  await log.append(entry(1));
  await keeper.tick(start + 6 * DAY);
  t.equal(log.segment, 1, 'not sealed before seven days');
  clock = start + 7 * DAY;
  await keeper.tick(start + 7 * DAY);
  t.equal(log.segment, 2, 'sealed at seven days');
  await log.append(entry(2));
  await keeper.tick(start + 8 * DAY);
  t.equal(log.segment, 2, 'the new segment is young');
  await keeper.tick(start + 186 * DAY);
  t.equal(log.segment, 3, 'sealed again');
  t.same(readdirSync(join(data, SEGMENTS_DIR)).sort(), [segmentFileName(2)], 'at day 186, segment 1 (last record on day 0) pruned, segment 2 (last record on day 7) kept');
  t.same(seen.filter((m) => m.startsWith('error')), [], 'no failure logged');
});
