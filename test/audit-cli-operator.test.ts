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

t.test('log verify says its result in the reader\'s language; the first word and the exit status do not change', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-logv-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const db = join(dir, 'audit.db');
  const log = openAuditLog(db, { origin: 'ferry.gateway/v' });
  await log.appendMany([{ event: 'received', transferId: 't-1' }, { event: 'queued', transferId: 't-1' }]);
  await log.close();
  const env = { LC_ALL: '', LC_MESSAGES: '' };
  const zh = await runFerry(['log', 'verify', '--db', db], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
  t.equal(zh.code, 0, zh.stderr);
  t.match(zh.stdout, /^ok：共 2 条记录、\d+ 个 Merkle 节点、\d+ 个检查点（未校验签名：未提供 --pubkey）$/m);
  const en = await runFerry(['log', 'verify', '--db', db], { env: { ...env, LANG: 'C' } });
  t.match(en.stdout, /^ok: 2 records, \d+ Merkle nodes, \d+ checkpoints \(signatures NOT checked: no --pubkey\)$/m);
  const missing = await runFerry(['--lang', 'zh-CN', 'log', 'trace', 'no-such-transfer', '--db', db]);
  t.equal(missing.code, 1, 'a transfer in no log: exit 1');
  t.match(missing.stdout, '传输 no-such-transfer：在 1 份日志中的 0 份里找到 0 条记录');
});
