// The admin plane: health and Prometheus metrics, apart from the data ports.
import t from 'tap';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';

t.test('healthz and metrics', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  t.notOk(Object.values(fx.gw.ports).includes(fx.gw.adminPort), 'the admin listener is not a data port');

  const h = await fx.admin('/healthz');
  t.equal(h.status, 200);
  const hj = JSON.parse(h.text) as { status: string; checks: { policy: { hash: string } } };
  t.equal(hj.status, 'ready');
  t.match(hj.checks.policy.hash, /^[0-9a-f]{64}$/, 'health names the policy in force');

  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx.url('police'), Buffer.from('metrics'), { 'ferry-to': 'extranet/archive', 'content-length': '7', 'ferry-label': 'public' });
  t.equal(r.status, 202);
  await dest.waitFor(1);
  const m = await until(async () => {
    const x = await fx.admin('/metrics');
    return /ferry_transfers_total\{state="delivered"\} 1/.test(x.text) ? x : null;
  }, 'delivered counter');
  t.equal(m.status, 200);
  t.match(m.text, /ferry_transfers_total\{state="accepted"\} 1/);
  t.match(m.text, /ferry_bytes_in_total 7/);
  t.match(m.text, /ferry_bytes_out_total 7/);
  t.match(m.text, /ferry_time_to_accept_seconds_count 1/, 'a time-to-202 histogram');
  t.match(m.text, /ferry_delivery_latency_seconds_count 1/, 'a delivery-latency histogram');
  t.match(m.text, /ferry_queue_rows\{state="delivered"\} 1/, 'queue rows by state');
  t.match(m.text, /ferry_queue_depth\{state="queued"\} 0/, 'queue depth counts only what is still to deliver');
  t.notMatch(m.text, /ferry_queue_depth\{state="delivered"\}/);
  const bad = await putFile(sender, fx.url('police'), Buffer.from('x'), { 'content-length': '1' });
  t.equal(bad.status, 400);
  t.match((await fx.admin('/metrics')).text, /ferry_refusals_total\{code="FERRY_DESTINATION_MISSING"\} 1/, 'refusals by code');
  t.equal((await fx.admin('/v1/files')).status, 404, 'the admin plane serves no data routes');
});

t.test('a gateway without a policy is not ready and denies everything, saying why', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  // Same gateway code, no policy: built through the config loader with the policy line removed.
  await fx.gw.stop();
  const { parseGatewayConfig } = await import('../gateway/config/gateway-config.js');
  const { startGateway } = await import('../gateway/gateway.js');
  const { createLogger } = await import('../gateway/log/logger.js');
  const { join } = await import('node:path');
  const cfg = parseGatewayConfig(fx.configText.replace(/^policy: .*$/m, ''), join(fx.dir, 'gateway.yaml'));
  const gw = await startGateway(cfg, { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const { request } = await import('undici');
  const h = await request(`http://127.0.0.1:${gw.adminPort}/healthz`);
  t.equal(h.statusCode, 503);
  t.match(await h.body.text(), /no policy is configured/);
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, `https://127.0.0.1:${gw.ports.police}`, Buffer.from('x'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '1' });
  t.equal(r.json.code, 'FERRY_POLICY_DENIED');
  t.equal(r.json.rule, null, 'default deny names no rule');
  t.match(r.json.detail, /No policy is configured/);
});
