// `ferry log query --code … --since today` shows and filters refusal codes with
// full rule names; the CSV export starts with a BOM (issue 10).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { runFerry } from './helpers/ferry-process.js';

t.test('query by code and since today; table shows code and the whole rule id; CSV with BOM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-logq-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const db = join(dir, 'audit.db');
  const log = openAuditLog(db, { origin: 'ferry.gateway/q' });
  const rule = 'deny-personal-data-unless-sensitive-to-entitled-recipients';
  await log.appendMany([
    { event: 'denied', transferId: 't-1', rule, verdict: 'deny', details: { code: 'FERRY_CONTENT_DENIED' } },
    { event: 'denied', transferId: 't-2', rule: 'r', verdict: 'deny', details: { code: 'FERRY_POLICY_DENIED' } },
    { event: 'received', transferId: 't-3' },
  ]);
  await log.close();
  const q = await runFerry(['log', 'query', '--db', db, '--code', 'FERRY_CONTENT_DENIED', '--since', 'today', '--json']);
  t.equal(q.code, 0, q.stderr);
  t.same(q.stdout.trim().split('\n').map((l) => JSON.parse(l).transfer_id), ['t-1']);
  const table = await runFerry(['log', 'query', '--db', db, '--code', 'FERRY_CONTENT_DENIED']);
  t.match(table.stdout, /CODE\s+RULE/);
  t.match(table.stdout, new RegExp(`FERRY_CONTENT_DENIED\\s+${rule}$`, 'm'), 'the code and the whole rule id');
  const later = await runFerry(['log', 'query', '--db', db, '--since', '2099-01-01', '--json']);
  t.equal(later.stdout.trim(), '');
  const csv = await runFerry(['log', 'export', '--db', db, '--format', 'csv']);
  t.ok(csv.stdout.startsWith('\uFEFFseq,time,'), 'a UTF-8 BOM first');
});
