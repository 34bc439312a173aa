// recovery looks for delivered records among the log's last DELIVERED_TAIL_MS, measured back
// from the log's last record when recentDeliveries() is called. recover() appends its own records
// first (a `failed` record for each upload cut before its answer, recovery.ts), so after a downtime
// longer than the tail, the anchor is the restart, not the kill, and the delivered record of an
// acknowledgement killed between its record and its row is missed: the message is sent again.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { nodeScope, DELIVERED_TAIL_MS } from '../gateway/recovery.js';

t.test('a delivered record just before the kill is found after a downtime longer than the tail', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-review6-tail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let clock = Date.parse('2026-12-01T01:00:00.000Z');
  const log = openAuditLog(join(dir, 'audit.db'), { origin: 'ferry.gateway/q', now: () => new Date(clock) });
  t.teardown(() => log.close());
  // The last thing the gateway did before kill -9: an acknowledgement's delivered record (its row's change lost).
  await log.append({ event: 'delivered', transferId: 'acked-before-kill', principal: 'ferry://police/sys1', destination: 'extranet/feed', details: { delivered_to: 'ferry://extranet/feed' } });
  // Restarted after DELIVERED_TAIL_MS + 3 minutes; recover() fails an upload cut before its answer first (its own record).
  clock += DELIVERED_TAIL_MS + 3 * 60_000;
  await log.append({ event: 'failed', transferId: 'upload-cut', principal: 'ferry://police/sys1', destination: 'extranet/archive', details: { reason: 'the gateway stopped before it acknowledged the upload', recovered: true } });
  const scope = nodeScope({ config: { dataDir: dir, name: 'q' }, queue: null, spool: null, audit: log, identity: 'q', keys: null } as never);
  const recent = await scope.recentDeliveries();
  t.ok(recent.has('acked-before-kill'), 'the delivered record written just before the kill is among what recovery settles');
});

t.test('control: with no record after it, the same delivered record is found (the test above fails for the anchor alone)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-review6-tail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = Date.parse('2026-12-01T01:00:00.000Z');
  const log = openAuditLog(join(dir, 'audit.db'), { origin: 'ferry.gateway/q', now: () => new Date(clock) });
  t.teardown(() => log.close());
  await log.append({ event: 'delivered', transferId: 'acked-before-kill', principal: 'ferry://police/sys1', destination: 'extranet/feed', details: { delivered_to: 'ferry://extranet/feed' } });
  const scope = nodeScope({ config: { dataDir: dir, name: 'q' }, queue: null, spool: null, audit: log, identity: 'q', keys: null } as never);
  t.ok((await scope.recentDeliveries()).has('acked-before-kill'));
});
