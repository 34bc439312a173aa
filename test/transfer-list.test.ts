// Day-two for a business system (issue 10): `ferry list` (GET /v1/transfers,
// own transfers only, paged, filtered), `ferry destinations`, and a refused
// transfer that shows its id in `ferry send` and is `denied` in `ferry status`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { clientFor, putFile, startTestGateway } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki } from './helpers/pki.js';

const pki = await makePki();
const fx = await startTestGateway(t, { destinationPort: 9 });
const work = await mkdtemp(join(tmpdir(), 'ferry-list-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const env = (id: string, network: string) => {
  const c = pki.system(id);
  return { FERRY_GATEWAY: fx.url(network), FERRY_CERT: c.certPath, FERRY_KEY: c.keyPath, FERRY_CA: pki.caCertPath };
};
const police = env('ferry://police/sys1', 'police');

t.test('a refused transfer: its id in ferry send, denied with rule and findings in ferry status', async (t) => {
  const file = join(work, 'people.txt');
  await writeFile(file, 'Name: Zhang San\nID: 11010519491231002X\n');
  const sent = await runFerry(['send', file, '--to', 'extranet/portal'], { env: police });
  t.equal(sent.code, 1);
  const id = /transfer: ([0-9a-f-]{36})/.exec(sent.stderr)?.[1];
  t.ok(id, 'the refusal names the transfer id');
  const status = await runFerry(['status', id!, '--json'], { env: police });
  t.equal(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  t.equal(s.state, 'denied');
  t.equal(s.rule, 'deny-personal-data');
  t.equal(s.findings[0].kind, 'personal-data');
  t.notMatch(status.stdout, /11010519491231002X/, 'no personal data in the answer');
  const text = await runFerry(['status', id!], { env: police });
  t.match(text.stdout, /state: +denied/);
  t.match(text.stdout, /rule: +deny-personal-data/);
  const other = await runFerry(['status', id!], { env: env('ferry://social/hr', 'social') });
  t.equal(other.code, 1, 'another system does not see it');
  t.match(other.stderr, /FERRY_NOT_FOUND/);
});

t.test('ferry list: own transfers, newest first, by state, paged', async (t) => {
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const ids: string[] = [];
  for (const name of ['a.txt', 'b.txt']) {
    const r = await putFile(sender, fx.url('police'), Buffer.from(name), { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': String(name.length), 'ferry-filename': name });
    t.equal(r.status, 202);
    ids.push(r.json.id);
  }
  const hr = clientFor(t, pki, pki.system('ferry://social/hr'));
  const theirs = await putFile(hr, fx.url('social'), Buffer.from('x'), { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '1' });
  const all = await runFerry(['list', '--json'], { env: police });
  t.equal(all.code, 0, all.stderr);
  const page = JSON.parse(all.stdout);
  t.same(page.transfers.slice(0, 2).map((x: { id: string }) => x.id), [ids[1], ids[0]], 'newest first');
  t.equal(page.transfers.length, 3, 'two queued and the one denied earlier');
  t.notOk(page.transfers.some((x: { id: string }) => x.id === theirs.json.id), 'not another system\'s');
  const denied = JSON.parse((await runFerry(['list', '--state', 'denied', '--json'], { env: police })).stdout);
  t.same(denied.transfers.map((x: { state: string }) => x.state), ['denied']);
  const queued = JSON.parse((await runFerry(['list', '--state', 'queued', '--since', 'today', '--json'], { env: police })).stdout);
  t.same(queued.transfers.map((x: { id: string }) => x.id), [ids[1], ids[0]]);
  const first = JSON.parse((await runFerry(['list', '--limit', '1', '--json'], { env: police })).stdout);
  t.equal(first.transfers.length, 1);
  t.equal(first.next, ids[1]);
  const second = JSON.parse((await runFerry(['list', '--limit', '1', '--before', first.next, '--json'], { env: police })).stdout);
  t.same(second.transfers.map((x: { id: string }) => x.id), [ids[0]], 'the next page');
  const text = await runFerry(['list'], { env: police });
  t.match(text.stdout, /denied \(deny-personal-data\)/);
  t.match(text.stdout, /b\.txt/);
  const bad = await request(`${fx.url('police')}/v1/transfers?state=lost`, { dispatcher: sender });
  t.equal(bad.statusCode, 400);
  t.equal((await bad.body.json() as { code: string }).code, 'FERRY_QUERY_INVALID');
});

t.test('ferry destinations: what this system can send to, not its own network', async (t) => {
  const r = await runFerry(['destinations', '--json'], { env: police });
  t.equal(r.code, 0, r.stderr);
  t.same(JSON.parse(r.stdout).destinations.map((d: { id: string }) => d.id), ['extranet/archive', 'extranet/portal']);
  const text = await runFerry(['destinations'], { env: police });
  t.match(text.stdout, /extranet\/portal +\(pull\)/);
});
