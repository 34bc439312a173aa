// What an operator watches (issue 10): /healthz degraded while a rejected
// policy file leaves the old one in force, not ready while clamd is configured
// but unreachable; per-destination delivery metrics; standard process metric
// names; queue depth counting only what is still to deliver.
import { createServer } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { clientFor, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

t.test('a rejected policy file: degraded (200) with the reason, old policy kept; a good file makes it ready again', async (t) => {
  const pki = await makePki();
  const fx = await startTestGateway(t, { destinationPort: 9 });
  t.equal(JSON.parse((await fx.admin('/healthz')).text).status, 'ready');
  await writeFile(join(fx.dir, 'policy.yaml'), 'policy: broken\nrules: nope\n');
  const h = await until(async () => {
    const r = await fx.admin('/healthz');
    return JSON.parse(r.text).status === 'degraded' ? r : null;
  }, 'degraded health', 20_000);
  t.equal(h.status, 200, 'degraded still answers 200: transfers go on');
  t.match(JSON.parse(h.text).degraded[0], /policy file was changed but rejected.*policy\.yaml:\d+:\d+/);
  t.match((await fx.admin('/metrics')).text, /ferry_policy_reload_rejected 1/);
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx.url('police'), Buffer.from('hi'), { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '2' });
  t.equal(r.status, 202, 'the previous policy still decides');
  await writeFile(join(fx.dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  await until(async () => JSON.parse((await fx.admin('/healthz')).text).status === 'ready', 'ready again', 20_000);
  t.match((await fx.admin('/metrics')).text, /ferry_policy_reload_rejected 0/);
});

t.test('clamd configured but unreachable: not ready, and ferry_clamd_up 0', async (t) => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const port = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  const fx = await startTestGateway(t, { destinationPort: 9, extra: `inspect: { clamd: { host: 127.0.0.1, port: ${port}, timeout: 1s } }\n` });
  const h = await fx.admin('/healthz');
  t.equal(h.status, 503);
  t.match(h.text, new RegExp(`clamd is configured \\(127\\.0\\.0\\.1:${port}\\) but does not answer`));
  t.match((await fx.admin('/metrics')).text, /^ferry_clamd_up 0$/m);
});

t.test('delivery metrics by destination, standard process metric names, queue depth of what is left to deliver', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  dest.failWith = 503;
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx.url('police'), Buffer.from('metrics'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '7' });
  t.equal(r.status, 202);
  const failing = await until(async () => {
    const m = (await fx.admin('/metrics')).text;
    return /ferry_delivery_consecutive_failures\{destination="extranet\/archive"\} [2-9]/.test(m) ? m : null;
  }, 'two failed attempts');
  t.match(failing, /ferry_delivery_failures_total\{destination="extranet\/archive"\} [2-9]/);
  t.match(failing, /ferry_delivery_retries_total\{destination="extranet\/archive"\} [2-9]/);
  t.match(failing, /ferry_queue_depth\{state="(queued|forwarding)"\} 1/, 'the transfer waiting counts in the depth');
  dest.failWith = null;
  await dest.waitFor(1);
  const m = await until(async () => {
    const text = (await fx.admin('/metrics')).text;
    return /ferry_delivery_consecutive_failures\{destination="extranet\/archive"\} 0/.test(text) && /ferry_queue_rows\{state="delivered"\} 1/.test(text) ? text : null;
  }, 'delivered and the failure run reset');
  t.match(m, /ferry_queue_depth\{state="queued"\} 0/);
  t.match(m, /ferry_queue_depth\{state="forwarding"\} 0/);
  t.notMatch(m, /ferry_queue_depth\{state="delivered"\}/, 'delivered transfers are not depth');
  t.match(m, /^process_cpu_user_seconds_total /m, 'process metrics under their standard names');
  t.match(m, /^nodejs_eventloop_lag_seconds /m);
  t.notMatch(m, /ferry_process_/);
  const aged = await until(async () => {
    const text = (await fx.admin('/metrics')).text;
    return /^ferry_audit_checkpoint_age_seconds \d/m.test(text) ? text : null;
  }, 'a checkpoint (interval 1 s in the fixture)');
  t.match(aged, /^ferry_audit_checkpoint_age_seconds \d/m);
});
