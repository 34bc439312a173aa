// Every download from the pull inbox is a durable `handed-out` record, so a destination looping on one
// transfer grew the audit log without end (the review of 1 Dec 2026). Past delivery.max_downloads a
// download is refused FERRY_DOWNLOAD_LIMIT, in both languages; downloads at once cannot pass the limit
// together; the count survives a restart (it is read from the log); the acknowledgement still settles it.
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { clientFor, putFile, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

t.test('downloads of one transfer past delivery.max_downloads are refused, with the count kept across a restart', async (t) => {
  const pki = await makePki();
  const fx = await startTestGateway(t, { destinationPort: 9, pki, delivery: '{ retry_initial: 50ms, retry_max: 400ms, concurrency: 4, max_downloads: 3 }' });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const portal = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const body = Buffer.from('月度报表');
  const sent = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': String(body.length) });
  t.equal(sent.status, 202);
  const id = sent.json.id as string;
  const fetch = async (base: string, lang = 'en') => {
    const res = await request(`${base}/v1/inbox/${id}`, { dispatcher: portal, headers: { 'accept-language': lang } });
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
  };

  // Two at once, then a third: three places, all taken.
  const both = await Promise.all([fetch(fx.url('extranet')), fetch(fx.url('extranet'))]);
  t.same(both.map((r) => r.status), [200, 200], 'two downloads at once');
  t.ok(both.every((r) => r.body.equals(body)), 'each the whole content');
  t.equal((await fetch(fx.url('extranet'))).status, 200, 'the third');
  // Five at once past the limit: none gets through.
  const past = await Promise.all(Array.from({ length: 5 }, () => fetch(fx.url('extranet'))));
  t.same(past.map((r) => r.status), [429, 429, 429, 429, 429], 'past the limit, every download is refused');
  const problem = JSON.parse(past[0]!.body.toString()) as { code: string; detail: string };
  t.equal(problem.code, 'FERRY_DOWNLOAD_LIMIT');
  t.match(problem.detail, /downloaded 3 times \(delivery\.max_downloads is 3\)/, 'the detail says how often and which setting');
  const zh = JSON.parse((await fetch(fx.url('extranet'), 'zh-CN')).body.toString()) as { title: string };
  t.match(zh.title, /收件箱下载/, 'the refusal in Chinese');
  const db = join(fx.dir, 'data', 'audit.db');
  t.equal([...readRecords(db, { transferId: id })].filter((r) => r.event === 'handed-out').length, 3, 'three hand-outs on record, no more');
  // The refusal is on record once, not once a download: a loop must not grow the log by its refusals either.
  const limitRecords = () => [...readRecords(db, {})].filter((r) => r.event === 'denied' && (r.details as { code?: string } | null)?.code === 'FERRY_DOWNLOAD_LIMIT');
  const refused = limitRecords();
  t.equal(refused.length, 1, 'six refusals, one denied record');
  t.match(refused[0], { principal: 'ferry://extranet/portal', transferId: null, destination: 'extranet/portal', details: { transfer: id, via: 'pull', network: 'extranet', remote: '127.0.0.1' } }, 'naming who, which transfer and from where, and not ending the transfer');

  // A restart does not give the places back.
  await fx.gw.stop();
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const base = `https://127.0.0.1:${gw.ports.extranet}`;
  t.equal((await fetch(base)).status, 429, 'still refused after a restart');
  t.equal((await fetch(base)).status, 429, 'and again');
  t.equal(limitRecords().length, 2, 'one more denied record after the restart, not one a refusal');
  // The copy held is acknowledged as before.
  const ack = await request(`${base}/v1/inbox/${id}`, { method: 'DELETE', dispatcher: portal });
  t.equal(ack.statusCode, 200, 'the acknowledgement settles it');
  t.match(await ack.body.json(), { state: 'delivered' });
});
