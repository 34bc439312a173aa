// The web console (issue 17), in process: each of the three roles reaches its
// pages and nothing else; no administrator certificate, or a business
// system's, gets nothing; a change needs the same origin and the form token;
// views of personal data, exports and changes are audit records naming who.
import Database from 'better-sqlite3';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import t from 'tap';
import { Agent, request } from 'undici';
import { startChain } from './helpers/chain.js';
import { clientFor, putFile, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { zip } from './inspect-fixtures.js';

const pki = await makePki();
const [sam, sue, al, eve, sid] = await Promise.all([
  pki.issue('ferry://admin/sam', 'admin-sam'), pki.issue('ferry://admin/sue', 'admin-sue'),
  pki.issue('ferry://admin/al', 'admin-al'), pki.issue('ferry://admin/eve', 'admin-eve'),
  pki.issue('ferry://admin/sid', 'admin-sid'),
]);
// Two security administrators (sue, sid) deploy from the same base; live streams: two per administrator, three in all.
const fx = await startTestGateway(t, { pki, destinationPort: 9, delivery: '{ retry_initial: 1m, retry_max: 5m }', administrators: '{ sam: sysadmin, sue: secadmin, al: auditor, sid: secadmin }, streams_per_admin: 2, streams: 3' });
const host = `127.0.0.1:${fx.gw.adminApiPort}`;
const base = `https://${host}`;
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const ok = await putFile(sender, fx.url('police'), Buffer.from('weekly report\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '14' });
const refusedBody = Buffer.from('name: Zhang San, id 110101199003078515\n');
const refused = await putFile(sender, fx.url('police'), refusedBody, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(refusedBody.length) });
// A member named after a resident id and a phone number: the name is personal data too.
const memberName = '110101199003078515-13812345678.txt';
const zipped = zip([{ name: memberName, data: Buffer.from('id 110101199003078515\n') }]);
const zipRefused = await putFile(sender, fx.url('police'), zipped, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(zipped.length), 'ferry-filename': 'r.zip' });

/** Decisions appended for the large-log subtest. */
const BIG_LOG = 5_000;

const nowhere = await putFile(sender, fx.url('police'), Buffer.from('hello\n'), { 'ferry-to': 'extranet/nowhere', 'ferry-label': 'internal', 'content-length': '6' });

const agents = new Map<string, Agent>();
function as(c: { cert: string; key: string } | null): Agent {
  const k = c ? c.cert : 'none';
  if (!agents.has(k)) agents.set(k, clientFor(t, pki, c ?? { cert: '', key: '' }));
  return agents.get(k)!;
}
function noCert(): Agent {
  const a = new Agent({ connect: { ca: pki.caCert } });
  t.teardown(() => a.close());
  return a;
}

async function get(who: Agent, path: string): Promise<{ status: number; text: string }> {
  const res = await request(`${base}${path}`, { dispatcher: who });
  return { status: res.statusCode, text: await res.body.text() };
}

async function csrfOf(who: Agent): Promise<string> {
  const page = await get(who, '/console/');
  return /<meta name="csrf" content="([^"]+)">/.exec(page.text)![1]!;
}

async function post(who: Agent, path: string, form: Record<string, string>, headers: Record<string, string> = { origin: base, 'sec-fetch-site': 'same-origin' }): Promise<{ status: number; text: string; location?: string }> {
  const res = await request(`${base}${path}`, {
    method: 'POST', dispatcher: who, body: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', host, ...headers },
  });
  return { status: res.statusCode, text: await res.body.text(), ...(res.headers.location ? { location: String(res.headers.location) } : {}) };
}

function adminRecords(): Array<{ principal: string | null; event: string; transfer_id: string | null; details: Record<string, unknown> }> {
  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  try {
    return (db.prepare("SELECT principal, event, transfer_id, details FROM records WHERE event IN ('admin-action', 'policy-loaded') ORDER BY seq").all() as Array<{ principal: string | null; event: string; transfer_id: string | null; details: string }>)
      .map((r) => ({ ...r, details: JSON.parse(r.details ?? '{}') as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

t.equal(ok.status, 202, 'a transfer is accepted');
t.equal(refused.status, 422, 'a transfer with a resident id number is refused');

t.test('each role opens its pages and no other; the navigation shows only its pages', async (t) => {
  const matrix: Record<string, Record<string, number>> = {
    sam: { '/console/': 200, '/console/transfers': 200, '/console/audit': 403, '/console/policy': 200, '/console/system': 200 },
    sue: { '/console/': 200, '/console/transfers': 403, '/console/audit': 403, '/console/policy': 200, '/console/system': 403 },
    al: { '/console/': 200, '/console/transfers': 200, '/console/audit': 200, '/console/policy': 200, '/console/system': 403 },
  };
  const creds: Record<string, { cert: string; key: string }> = { sam, sue, al };
  for (const [name, pages] of Object.entries(matrix)) {
    for (const [path, status] of Object.entries(pages)) {
      const r = await get(as(creds[name]!), path);
      t.equal(r.status, status, `${name} ${path}`);
      if (status === 403) t.notMatch(r.text, /<table/, `${name} sees no data on ${path}`);
    }
    const nav = /<nav[^>]*>([\s\S]*?)<\/nav>/.exec((await get(as(creds[name]!), '/console/')).text)![1]!;
    const shown = [...nav.matchAll(/href="\/console\/([a-z]*)"/g)].map((m) => m[1] || 'overview');
    t.same(shown, Object.entries(pages).filter(([, s]) => s === 200).map(([p]) => p.replace('/console/', '') || 'overview'), `${name}'s navigation`);
  }
  t.equal((await get(as(sam), '/console/transfers/' + refused.json.transfer)).status, 200, 'a sysadmin opens a transfer');
  t.equal((await get(as(sue), '/console/transfers/' + refused.json.transfer)).status, 403, 'a secadmin does not');
});

t.test('without an administrator certificate, or with a business system\'s, nothing is shown', async (t) => {
  for (const [what, agent] of [['no certificate', noCert()], ['a business system', as(pki.system('ferry://police/sys1'))], ['an administrator not in gateway.yaml', as(eve)]] as const) {
    for (const path of ['/console/', '/console/transfers', '/console/assets/console.css']) {
      const r = await get(agent, path);
      t.ok(r.status === 401 || r.status === 403, `${what}: ${path} is refused (${r.status})`);
      t.notMatch(r.text, /<html|Ferry 管理控制台|police\/sys1/, `${what}: no page`);
    }
  }
});

t.test('the search finds the refused transfer, with its rule and masked findings; the view is recorded', async (t) => {
  const list = await get(as(al), '/console/transfers?verdict=deny&finding=personal-data');
  t.equal(list.status, 200);
  t.match(list.text, refused.json.transfer.slice(0, 8));
  t.match(list.text, 'deny-personal-data');
  const one = await get(as(al), `/console/transfers/${refused.json.transfer}`);
  t.match(one.text, '个人信息 <code>personal-data</code>');
  t.match(one.text, '居民身份证号码 <code>cn-resident-id</code>');
  t.notMatch(one.text, '110101199003078515', 'the resident id number never appears whole');
  t.match(one.text, /110\*{13}15/, "its masked sample does");
  const recs = adminRecords();
  t.ok(recs.some((r) => r.principal === 'ferry://admin/al' && r.details.action === 'view-transfers' && String(r.details.query).includes('finding=personal-data')), 'the search is recorded with its query');
  t.ok(recs.some((r) => r.principal === 'ferry://admin/al' && r.details.action === 'view-transfer' && r.transfer_id === refused.json.transfer), 'opening the transfer is recorded');
});

t.test('a zip member named after personal data is masked in the answer, the audit log and the page', async (t) => {
  t.equal(zipRefused.status, 422, 'the zip is refused');
  const id = zipRefused.json.transfer as string;
  t.match(JSON.stringify(zipRefused.json.findings), /"path":"110\*+15-138\*+78\.txt"/, 'the answer names the member masked');
  t.notMatch(JSON.stringify(zipRefused.json), '110101199003078515', 'the answer never holds the id whole');
  t.notMatch(JSON.stringify(zipRefused.json), '13812345678', 'nor the phone number');
  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  const details = (db.prepare('SELECT details FROM records WHERE transfer_id = ?').all(id) as Array<{ details: string | null }>).map((r) => r.details ?? '').join('\n');
  db.close();
  t.match(details, /110\*+15-138\*+78\.txt/, 'the audit records name the member masked');
  t.notMatch(details, '110101199003078515', 'the audit records never hold the id whole');
  t.notMatch(details, '13812345678', 'nor the phone number');
  const one = await get(as(al), `/console/transfers/${id}`);
  t.equal(one.status, 200);
  t.match(one.text, /110\*+15-138\*+78\.txt/, 'the page names the member masked');
  t.notMatch(one.text, '110101199003078515', 'the page never shows the id whole');
  t.notMatch(one.text, '13812345678', 'nor the phone number');
});

t.test("the sysadmin never reads administrators' records: not by event, not in a timeline", async (t) => {
  const tables = (page: string) => [...page.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => m[0]).join('\n');
  // The auditor's views of the refused transfer (earlier subtests) are admin-action records naming it.
  await get(as(al), `/console/transfers/${refused.json.transfer}`);
  t.ok(adminRecords().some((r) => r.event === 'admin-action' && r.transfer_id === refused.json.transfer), "an administrator's record names the transfer");
  for (const event of ['admin-action', 'policy-loaded']) {
    const r = await get(as(sam), `/console/transfers?event=${event}`);
    t.equal(r.status, 200);
    t.notMatch(tables(r.text), /ferry:\/\/admin\//, `event=${event}: no administrator's record is listed`);
    t.match(r.text, /name="event"[^>]*aria-invalid|aria-invalid="true"[^>]*name="event"|<select name="event">(?![\s\S]*?value="admin-action")/, `event=${event} is not offered to the sysadmin`);
  }
  const all = await get(as(sam), '/console/transfers');
  t.notMatch(tables(all.text), /ferry:\/\/admin\//, 'an unfiltered search lists no administrator\'s record');
  const timeline = await get(as(sam), `/console/transfers/${refused.json.transfer}`);
  t.equal(timeline.status, 200);
  t.notMatch(tables(timeline.text), /ferry:\/\/admin\//, "the sysadmin's timeline holds no administrator's record");
  const auditor = await get(as(al), `/console/transfers/${refused.json.transfer}`);
  t.match(tables(auditor.text), 'ferry://admin/', "the auditor's does");
  const auditorSearch = await get(as(al), '/console/transfers?event=admin-action');
  t.match(tables(auditorSearch.text), 'ferry://admin/sam', "the auditor searches administrators' actions");
});

t.test('a request another site caused is refused, GETs too; a navigation to the front page is not', async (t) => {
  const count = () => adminRecords().filter((r) => r.principal === 'ferry://admin/al' && r.details.action === 'view-transfers' && r.details.refused === undefined).length;
  // Each refusal is recorded as one (red team 4, N4): refused, with the code, never as a view.
  const refusals = () => adminRecords().filter((r) => r.principal === 'ferry://admin/al' && r.details.refused === 'FERRY_FORBIDDEN' && r.details.via === 'console').length;
  const before = count();
  const refusedBefore = refusals();
  for (const site of ['cross-site', 'same-site']) {
    for (const [path, mode, dest] of [['/console/transfers?finding=personal-data', 'navigate', 'document'], ['/console/transfers?code=FERRY_X', 'no-cors', 'image'], ['/console/', 'no-cors', 'script'], ['/console/events', 'cors', 'empty']]) {
      const res = await request(`${base}${path}`, { dispatcher: as(al), headers: { 'sec-fetch-site': site!, 'sec-fetch-mode': mode!, 'sec-fetch-dest': dest! } });
      const text = await res.body.text();
      t.equal(res.statusCode, 403, `${site} ${mode} ${dest} ${path} is refused`);
      t.notMatch(text, /<table/, 'with no data');
    }
  }
  t.equal(count(), before, 'no view was recorded');
  t.equal(refusals(), refusedBefore + 8, 'each refused request is recorded as refused');
  const entry = await request(`${base}/console/`, { dispatcher: as(al), headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
  t.equal(entry.statusCode, 200, 'a top-level navigation to /console/ from elsewhere opens it');
  await entry.body.dump();
  const same = await request(`${base}/console/transfers`, { dispatcher: as(al), headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
  t.equal(same.statusCode, 200, 'the console\'s own links work');
  await same.body.dump();
});

t.test('a refused reload says so and is recorded, with the role and the way in', async (t) => {
  // The fixture's gateway was started from text: its gateway.yaml is not on disk until written here.
  const file = join(fx.dir, 'gateway.yaml');
  const r = await post(as(sam), '/console/reload', { csrf: await csrfOf(as(sam)) });
  t.equal(r.status, 409, 'a refused reload is not answered as a success');
  t.notMatch(r.text, '已重新加载', 'the notice does not say it reloaded');
  t.match(r.text, '未重新加载', 'it says nothing changed');
  const rec = adminRecords().filter((x) => x.details.action === 'reload').pop();
  t.ok(rec, 'the refused reload is an audit record');
  t.equal(rec?.principal, 'ferry://admin/sam');
  t.match(rec?.details, { ok: false, applied: false, role: 'sysadmin', via: 'console' }, 'naming the outcome, the role and the console');
  await writeFile(file, fx.configText);
  t.teardown(() => rm(file, { force: true }));
  const good = await post(as(sam), '/console/reload', { csrf: await csrfOf(as(sam)) });
  t.match(good.text, '已重新加载', 'a reload that works says so');
  t.match(adminRecords().filter((x) => x.details.action === 'reload').pop()?.details, { ok: true, applied: true, role: 'sysadmin', via: 'console' });
});

t.test('the queue through the API: not the secadmin; the view recorded; file names masked', async (t) => {
  const named = await putFile(sender, fx.url('police'), Buffer.from('call me\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '8', 'ferry-filename': '20261129083015-call.txt' });
  t.equal(named.status, 202, JSON.stringify(named.json));
  const sueList = await request(`${base}/v1/admin/transfers`, { dispatcher: as(sue) });
  t.equal(sueList.statusCode, 403, 'the secadmin may not list the queue');
  t.notMatch(await sueList.body.text(), named.json.id, 'and sees none of it');
  const views = () => adminRecords().filter((r) => r.details.action === 'view-queue');
  const before = views().length;
  const samList = await request(`${base}/v1/admin/transfers`, { dispatcher: as(sam) });
  t.equal(samList.statusCode, 200);
  const text = await samList.body.text();
  t.match(text, named.json.id, 'the sysadmin lists the queue');
  t.notMatch(text, '20261129083015', 'with no long digit run whole');
  t.match(text, /202\*+15-call\.txt/, 'the file name masked');
  t.equal(views().length, before + 1, 'the view is recorded');
  t.match(views().pop(), { principal: 'ferry://admin/sam', details: { role: 'sysadmin', via: 'api' } });
});

t.test('a refusal code is shown with its name in the reader\'s language, the code beside it', async (t) => {
  const code = nowhere.json.code as string;
  t.match(code, /^FERRY_/);
  const { messages } = await import('../i18n/catalogue.js');
  const r = await get(as(al), `/console/transfers?code=${code}`);
  t.match(r.text, `${messages('zh-CN').errors[code as 'FERRY_FORBIDDEN'].title} <code>${code}</code>`);
});

t.test('a change needs the same origin and the form token', async (t) => {
  const token = await csrfOf(as(al));
  const cross = await post(as(al), '/console/audit/verify', { csrf: token }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  t.equal(cross.status, 403, 'another origin is refused');
  const noOrigin = await post(as(al), '/console/audit/verify', { csrf: token }, {});
  t.equal(noOrigin.status, 403, 'no Origin is refused');
  const noToken = await post(as(al), '/console/audit/verify', {});
  t.equal(noToken.status, 403, 'no token is refused');
  const othersToken = await post(as(al), '/console/audit/verify', { csrf: await csrfOf(as(sam)) });
  t.equal(othersToken.status, 403, "another administrator's token is refused");
  const good = await post(as(al), '/console/audit/verify', { csrf: token });
  t.equal(good.status, 303);
  const page = await get(as(al), '/console/audit');
  t.match(page.text, /id="verify-result" class="notice good"/, 'the log verifies');
});

t.test('roles and actions: auditor cannot deploy, sysadmin cannot read the actions log, secadmin cannot export', async (t) => {
  const policy = 'policy: x\nnetworks: [police, extranet]\nrules: []\n';
  const alDeploy = await post(as(al), '/console/policy/deploy', { csrf: await csrfOf(as(al)), text: policy });
  t.equal(alDeploy.status, 403, 'the auditor may not deploy');
  const samReplay = await post(as(sam), '/console/policy/replay', { csrf: await csrfOf(as(sam)), text: policy });
  t.equal(samReplay.status, 403, 'the sysadmin may not replay');
  t.equal((await get(as(sam), '/console/audit')).status, 403, "the sysadmin may not read the administrators' actions");
  const sueExport = await post(as(sue), '/console/audit/export', { csrf: await csrfOf(as(sue)), since: '24h' });
  t.equal(sueExport.status, 403, 'the secadmin may not export evidence');
  const sueCancel = await post(as(sue), '/console/system/cancel', { csrf: await csrfOf(as(sue)), id: ok.json.id });
  t.equal(sueCancel.status, 403, 'the secadmin may not cancel');
  const policyPage = await get(as(al), '/console/policy');
  t.notMatch(policyPage.text, /action="\/console\/policy\/(replay|deploy)"/, 'the auditor reads the policy with no form to change it');
});

t.test('an export carries the checkpoint and inclusion proofs, and is recorded', async (t) => {
  // The checkpoint interval is 1 s: wait for one that covers the transfers.
  await new Promise((r) => setTimeout(r, 1500));
  const r = await post(as(al), '/console/audit/export', { csrf: await csrfOf(as(al)), since: '1h' });
  t.equal(r.status, 200);
  const lines = r.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  t.equal(lines[0]!.format, 'ferry-console-export/v1');
  t.match(lines[0]!.checkpoint, /^ferry\.gateway\/gw1\n/);
  const proven = lines.slice(1).filter((l) => l.tlogProof);
  t.ok(proven.some((l) => l.record.transferId === refused.json.transfer), 'the refused transfer\'s records come with proofs');
  t.ok(adminRecords().some((x) => x.principal === 'ferry://admin/al' && x.details.action === 'export'), 'the export is recorded');
});

t.test('a sysadmin cancels from the System page; the auditor sees it in the actions log', async (t) => {
  const sys = await get(as(sam), '/console/system');
  t.match(sys.text, ok.json.id, 'the queued transfer is listed');
  const r = await post(as(sam), '/console/system/cancel', { csrf: await csrfOf(as(sam)), id: ok.json.id });
  t.equal(r.status, 200);
  t.match(r.text, '已取消');
  const audit = await get(as(al), '/console/audit');
  t.match(audit.text, /ferry:\/\/admin\/sam[\s\S]*?取消传输 <code>cancel<\/code>/, "the auditor sees the sysadmin's cancel");
});

t.test('the overview is live: a server-sent event carries the rendered counts', async (t) => {
  const res = await request(`${base}/console/events`, { dispatcher: as(sue) });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), 'text/event-stream');
  let seen = '';
  for await (const chunk of res.body) {
    seen += String(chunk);
    if (seen.includes('event: overview\ndata: ')) break;
  }
  res.body.destroy();
  const data = JSON.parse(/event: overview\ndata: (.*)\n/.exec(seen)![1]!) as { html: string };
  t.match(data.html, 'deny-personal-data', 'the refusal is counted by its rule');
  t.match(data.html, '个人信息', 'and by its finding, in Chinese');
});

t.test('one administrator holds one role: a gateway.yaml giving a name two roles is refused', async (t) => {
  const { parseGatewayConfig } = await import('../gateway/config/gateway-config.js');
  const twice = fx.configText.replace('administrators: { sam: sysadmin,', 'administrators: { sam: sysadmin, sam: auditor,');
  t.not(twice, fx.configText);
  t.throws(() => parseGatewayConfig(twice, join(fx.dir, 'gateway.yaml')), /Map keys must be unique/);
  const list = fx.configText.replace('sam: sysadmin', 'sam: [sysadmin, auditor]');
  t.throws(() => parseGatewayConfig(list, join(fx.dir, 'gateway.yaml')), /administrators\.sam' must be one of "sysadmin", "secadmin", "auditor"/);
  t.throws(() => parseGatewayConfig(fx.configText.replace('sam: sysadmin', 'sam: root'), join(fx.dir, 'gateway.yaml')), /must be one of/);
  const zoned = (z: string) => fx.configText.replace('admin: { listen: "127.0.0.1:0"', `admin: { listen: "127.0.0.1:0", time_zone: ${z}`);
  t.equal(parseGatewayConfig(zoned('UTC'), join(fx.dir, 'gateway.yaml')).admin!.timeZone, 'UTC');
  t.throws(() => parseGatewayConfig(zoned('Mars/Olympus'), join(fx.dir, 'gateway.yaml')), /'Mars\/Olympus' is not a time zone/);
  t.equal(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')).admin!.timeZone, 'Asia/Shanghai', 'China Standard Time by default');
});

t.test('what a page shows is escaped: a hostile filter value comes back as text', async (t) => {
  const r = await get(as(sam), `/console/transfers?source=${encodeURIComponent('"><script>alert(1)</script>')}`);
  t.equal(r.status, 200);
  t.notMatch(r.text, '<script>alert(1)</script>');
  t.match(r.text, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  const back = await get(as(sam), `/console/lang?to=en&back=${encodeURIComponent('//evil.example/x')}`);
  t.equal(back.status, 303);
  t.equal(back.text, '');
  const res = await request(`${base}/console/lang?to=en&back=${encodeURIComponent('https://evil.example/')}`, { dispatcher: as(sam) });
  t.equal(res.headers.location, '/console/', 'the language switch never redirects out of the console');
  await res.body.dump();
});

/** Opens a live stream and waits for its first event; the caller closes it. */
async function openStream(who: Agent): Promise<{ status: number; code: string | undefined; close(): void }> {
  const ac = new AbortController();
  const res = await request(`${base}/console/events`, { dispatcher: who, signal: ac.signal });
  const code = res.headers['ferry-code'] as string | undefined;
  if (res.statusCode !== 200) {
    await res.body.dump();
    return { status: res.statusCode, code, close: () => undefined };
  }
  // Read on without breaking out of a loop: leaving a for-await would close the stream.
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    res.body.on('data', (chunk: Buffer) => {
      seen += String(chunk);
      if (seen.includes('event: overview')) resolve();
    });
    res.body.on('error', () => undefined);
    res.body.once('end', () => reject(new Error('the stream ended before its first event')));
  });
  return { status: 200, code, close: () => ac.abort() };
}

t.test('live streams are bounded per administrator and in all, each refusal with its code and recorded', async (t) => {
  const a = await openStream(as(sue));
  const b = await openStream(as(sue));
  t.equal(a.status, 200);
  t.equal(b.status, 200, 'an administrator holds two streams (admin.streams_per_admin: 2)');
  const c = await openStream(as(sue));
  t.equal(c.status, 429, 'a third is refused');
  t.equal(c.code, 'FERRY_CONSOLE_STREAMS_PER_ADMIN');
  const d = await openStream(as(sam));
  t.equal(d.status, 200, 'another administrator still opens one');
  const e = await openStream(as(al));
  t.equal(e.status, 503, 'past three in all, nobody opens one (admin.streams: 3)');
  t.equal(e.code, 'FERRY_CONSOLE_STREAMS_FULL');
  const page = await request(`${base}/console/events`, { dispatcher: as(sue) });
  const text = await page.body.text();
  t.match(text, /id="refusal">[^<]*<code>FERRY_CONSOLE_STREAMS_PER_ADMIN<\/code>/, 'the refusal is a page with its sentence and code');
  t.match(text, '实时数据流已达上限', 'in Chinese by default');
  const refused = adminRecords().filter((r) => r.details.action === 'events');
  t.ok(refused.some((r) => r.principal === 'ferry://admin/sue' && r.details.refused === 'FERRY_CONSOLE_STREAMS_PER_ADMIN'), 'the per-administrator refusal is recorded');
  t.ok(refused.some((r) => r.principal === 'ferry://admin/al' && r.details.refused === 'FERRY_CONSOLE_STREAMS_FULL'), 'the full refusal is recorded');
  a.close();
  const again = await until(async () => {
    const s = await openStream(as(sue));
    if (s.status === 200) return s;
    return null;
  }, 'a closed stream frees its place', 10_000);
  t.equal(again.status, 200, 'closing a stream frees its place');
  for (const s of [b, d, again]) s.close();
});

t.test("the auditor pages through the administrators' actions: API and page, by cursor, bounded", async (t) => {
  // What the log holds, newest first, before the API views add theirs.
  const all = adminRecords().length;
  t.ok(all > 6, `there are actions to page through (${all})`);
  const seen: number[] = [];
  let next: string | null = null;
  let pages = 0;
  const first = await request(`${base}/v1/admin/actions?limit=3`, { dispatcher: as(al) });
  t.equal(first.statusCode, 200);
  let body = (await first.body.json()) as { actions: Array<{ seq: number; principal: string; details: Record<string, unknown> }>; next: string | null };
  const top = body.actions[0]!.seq;
  for (;;) {
    pages++;
    t.ok(body.actions.length <= 3, 'a page holds at most the limit');
    seen.push(...body.actions.map((a) => a.seq));
    next = body.next;
    if (next === null || pages > 200) break;
    const res = await request(`${base}/v1/admin/actions?limit=3&before=${next}`, { dispatcher: as(al) });
    body = (await res.body.json()) as typeof body;
  }
  t.same(seen, [...seen].sort((x, y) => y - x), 'newest first, across pages');
  t.equal(new Set(seen).size, seen.length, 'no action twice');
  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  const expected = (db.prepare("SELECT seq FROM records WHERE event IN ('admin-action', 'policy-loaded') AND seq <= ? ORDER BY seq DESC").pluck().all(top) as number[]);
  db.close();
  t.same(seen, expected, 'the pages together are every action up to the first page, none left out');
  for (const bad of ['limit=0', 'limit=501', 'limit=x', 'before=-1', 'before=1e3']) {
    const res = await request(`${base}/v1/admin/actions?${bad}`, { dispatcher: as(al) });
    const p = (await res.body.json()) as { code: string };
    t.equal(res.statusCode, 400, bad);
    t.equal(p.code, 'FERRY_QUERY_INVALID', `${bad}: refused with its code`);
  }
  for (const [name, who] of [['sysadmin', sam], ['secadmin', sue]] as const) {
    const res = await request(`${base}/v1/admin/actions`, { dispatcher: as(who) });
    t.equal(res.statusCode, 403, `the ${name} may not read the administrators' actions`);
    t.notMatch(await res.body.text(), 'ferry://admin/', 'and sees none');
  }
  // The page: a cursor shows only what is older than it, with a way back to the newest.
  const cut = expected[Math.floor(expected.length / 2)]!;
  const page = await get(as(al), `/console/audit?before=${cut}`);
  t.equal(page.status, 200);
  const shown = [...page.text.matchAll(/<tr><td><time datetime=/g)].length;
  t.equal(shown, Math.min(100, expected.filter((s) => s < cut).length), 'the page lists exactly the actions older than the cursor, at most 100');
  t.match(page.text, 'href="/console/audit">', 'with a link back to the newest');
  t.equal((await get(as(al), '/console/audit?before=abc')).status, 400, 'a cursor that is not one is refused');
  t.equal((await get(as(sam), `/console/audit?before=${cut}`)).status, 403, 'the sysadmin still may not');
});

t.test('two security administrators deploy from the same base: the second is refused, not lost; every attempt is recorded', async (t) => {
  const hashOf = async () => /<code id="policy-hash">([0-9a-f]+)<\/code>/.exec((await get(as(sue), '/console/policy')).text)![1]!;
  const base = await hashOf();
  const text = await readFile(join(fx.dir, 'policy.yaml'), 'utf8');
  const deploys = () => adminRecords().filter((r) => r.details.action === 'deploy');
  const before = deploys().length;
  const sueA = await post(as(sue), '/console/policy/deploy', { csrf: await csrfOf(as(sue)), text: `${text}\n# change A (sue)\n`, base, note: 'tighten for audit 13812345678' });
  t.equal(sueA.status, 200, 'the first deploy from the base goes through');
  t.match(sueA.text, '已部署');
  const inForce = await hashOf();
  t.not(inForce, base, 'the policy in force changed');
  const sidB = await post(as(sid), '/console/policy/deploy', { csrf: await csrfOf(as(sid)), text: `${text}\n# change B (sid)\n`, base, note: 'my own change' });
  t.equal(sidB.status, 409, 'the second deploy from the same base is refused');
  t.match(sidB.text, /id="policy-notice">[^<]*<code>FERRY_POLICY_CHANGED<\/code>/, 'with its code');
  t.match(sidB.text, '另一次部署或重新加载在先', 'and the sentence, in Chinese');
  t.equal(await hashOf(), inForce, "sue's change is still in force: nothing was overwritten");
  t.match(await readFile(join(fx.dir, 'policy.yaml'), 'utf8'), '# change A (sue)', 'and in the file');
  const bad = await post(as(sid), '/console/policy/deploy', { csrf: await csrfOf(as(sid)), text: 'policy: [', base: inForce, note: 'a typo' });
  t.equal(bad.status, 409, 'a candidate that does not load is not deployed');
  const noBase = await post(as(sid), '/console/policy/deploy', { csrf: await csrfOf(as(sid)), text: `${text}\n# change C\n` });
  t.equal(noBase.status, 409, 'a deploy that names no base is refused');
  t.equal(await hashOf(), inForce, 'none of them changed the policy');
  const recs = deploys().slice(before);
  t.equal(recs.length, 4, 'all four attempts are audit records');
  t.match(recs[0], { principal: 'ferry://admin/sue', details: { role: 'secadmin', base, hash: inForce } }, 'the deploy names who, the base and the result');
  t.equal(recs[0]!.details.note, 'tighten for audit 138******78', 'and why, masked');
  t.match(recs[1], { principal: 'ferry://admin/sid', details: { code: 'FERRY_POLICY_CHANGED', base, note: 'my own change' } }, 'the refused one names who, why and the stale base');
  t.match(recs[2], { principal: 'ferry://admin/sid', details: { code: 'FERRY_POLICY_DEPLOY_FAILED', refused: /policy\.yaml:\d+/ } }, 'the failed one says why');
  t.match(recs[3], { principal: 'ferry://admin/sid', details: { code: 'FERRY_QUERY_INVALID' } });
  const audit = await get(as(al), '/console/audit');
  t.match(audit.text, /ferry:\/\/admin\/sid[\s\S]*?<code>FERRY_POLICY_CHANGED<\/code>/, 'the auditor sees the refused deploy with its code');
});

t.test("a relayed transfer's page shows its path across gateways: earlier hops from the envelope, the next hop and its receipt, what the next gateway reported", async (t) => {
  // Two more gateways, police/sys1 → gw1 → gw2 → social/benefits, each with its console.
  const chain = await startChain(t, pki, { administrators: '{ al: auditor, sam: sysadmin }' });
  const s1 = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const sent = await putFile(s1, chain.gw1.url('police'), Buffer.from('benefits list\n'), { 'ferry-to': 'social/benefits', 'ferry-label': 'internal', 'content-length': '14' });
  t.equal(sent.status, 202);
  const id = sent.json.id as string;
  await until(async () => (await chain.gw1.gw!.context.queue.get(id))?.state === 'delivered', 'gw1 learns the transfer was delivered', 30_000);
  const page = async (gw: typeof chain.gw1, who: { cert: string; key: string }, lang?: string) => {
    const res = await request(`https://127.0.0.1:${gw.gw!.adminApiPort}/console/transfers/${id}`, { dispatcher: as(who), headers: lang ? { cookie: `ferry_lang=${lang}` } : {} });
    return { status: res.statusCode, text: await res.body.text() };
  };
  const rows = (text: string) => {
    const section = /<h2>(?:跨网关路径|Path across gateways)<\/h2>[\s\S]*?<\/table>/.exec(text)?.[0] ?? '';
    return [...section.matchAll(/<tr><td>[\s\S]*?<\/tr>/g)].map((m) => m[0]);
  };
  const at1 = await page(chain.gw1, al);
  t.equal(at1.status, 200);
  t.match(at1.text, '<h2>跨网关路径</h2>', 'the source gateway shows the path, in Chinese');
  const r1 = rows(at1.text);
  t.equal(r1.length, 2, 'two hops as gw1 knows them');
  t.match(r1[0], /<strong>gw1<\/strong> \(本网关\)[\s\S]*本网关审计日志[\s\S]*police\/sys1[\s\S]*已送达[\s\S]*由 gw2 结束[\s\S]*<td>gw2<\/td>[\s\S]*<code title="[^"]{40,}">/, 'gw1: received from the system, delivered as gw2 said, next hop gw2 with its receipt');
  t.match(r1[1], /<td>gw2<\/td>[\s\S]*本网关指定的下一跳[\s\S]*已送达 <code>delivered<\/code>/, 'gw2: named as the next hop, with the state it reported');
  t.match(at1.text, /送达回执<\/td><td><span class="good">签名已验证<\/span>/, "the delivered receipt, signed by gw2, verifies with gw2's key as gw1's peers list it");
  const at2 = await page(chain.gw2, sam, 'en');
  t.equal(at2.status, 200);
  const r2 = rows(at2.text);
  t.equal(r2.length, 2, 'two hops as gw2 knows them');
  t.match(r2[0], /<td>gw1<\/td><td>The signed envelope \(the path so far\)<\/td><td>police\/sys1<\/td>[\s\S]*<td>gw2<\/td>/, 'gw2: gw1 known from the signed envelope, which names the original sender; its next hop was gw2');
  t.match(r2[1], /<strong>gw2<\/strong> \(this gateway\)[\s\S]*This gateway&apos;s audit log<\/td><td>gw1<\/td>[\s\S]*Delivered/, 'gw2: received from gw1, delivered, in English');
  t.notMatch(at2.text, /跨网关|本网关/, 'no Chinese left on the English page');
  // A transfer that never left its gateway has no path section.
  t.notMatch((await get(as(al), `/console/transfers/${ok.json.id}`)).text, /跨网关路径/, 'a one-gateway transfer shows no path');
});

t.test('a large candidate is checked for a deploy on a worker thread: an upload gets 202 and /healthz answers while it is checked', async (t) => {
  const hashOf = async () => /<code id="policy-hash">([0-9a-f]+)<\/code>/.exec((await get(as(sue), '/console/policy')).text)![1]!;
  const base = await hashOf();
  const inForce = await readFile(join(fx.dir, 'policy.yaml'), 'utf8');
  // The policy in force and 3,000 rules that name systems nobody runs: slow to check, same decisions.
  const extra = Array.from({ length: 3000 }, (_, i) => `  - id: unused-${i}\n    effect: ${i % 2 ? 'allow' : 'deny'}\n    description: a system that does not exist\n    match: { from: police/unused-${i}, to: extranet/unused-${i % 97}, label: [public, internal] }\n`).join('');
  const text = `${inForce.trimEnd()}\n${extra}`;
  t.match(inForce, /\nrules:\n[\s\S]*$/, 'the rules are the last block of the policy in force, so the new ones join them');
  // The check's answer is held until the assertions below are made: the check itself runs on its
  // thread at once, but under load it could end before a second deploy arrived (CI, once).
  const held = holdCheckAnswer(t);
  let settled = false;
  const deploying = post(as(sue), '/console/policy/deploy', { csrf: await csrfOf(as(sue)), text, base, note: 'many rules' }).finally(() => { settled = true; });
  await until(() => held.started(), 'the first deploy is being checked', 30_000);
  // A second deploy while the first is checked is refused at once with its code: the check is running.
  const other = async () => post(as(sid), '/console/policy/deploy', { csrf: await csrfOf(as(sid)), text: `${inForce}\n# other\n`, base });
  const busy = await other();
  t.match(busy.text, '<code>FERRY_CONSOLE_BUSY</code>', 'a second deploy is refused while the first is checked');
  t.match(busy.text, '部署检查', 'the refusal says what is running, in Chinese');
  const up = await putFile(sender, fx.url('police'), Buffer.from('sent during a deploy\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '21' });
  t.equal(up.status, 202, 'an upload is accepted while the candidate is checked');
  const health = await fx.admin('/healthz');
  t.match(JSON.parse(health.text), { status: /ready|degraded/ }, '/healthz answers while the candidate is checked');
  t.notOk(settled, 'the deploy had not finished when both had answered');
  t.match((await other()).text, '<code>FERRY_CONSOLE_BUSY</code>', 'and its check was still running after them');
  held.release();
  const done = await deploying;
  t.equal(done.status, 200, 'the deploy goes through once checked');
  t.match(done.text, '已部署');
  const now = await hashOf();
  t.not(now, base, 'the checked policy is in force');
  t.equal(now, (await import('node:crypto')).createHash('sha256').update(text).digest('hex'), 'exactly the text deployed');
  const after = await putFile(sender, fx.url('police'), Buffer.from('sent after the deploy\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '22' });
  t.equal(after.status, 202, 'the deployed policy decides as before for the systems it had');
  const recs = adminRecords().filter((r) => r.details.action === 'deploy' && r.principal === 'ferry://admin/sid' && r.details.code === 'FERRY_CONSOLE_BUSY');
  t.ok(recs.length >= 2, 'the refused deploys are audit records with their code');
});

// Last: it makes the log large, which would push the earlier subtests' transfers off their first pages.
t.test('a replay of a large candidate over many decisions runs off the event loop: uploads and /healthz answer while it runs; a second waits its turn; leaving stops it', async (t) => {
  // Many decisions: copies of a real one, appended through the gateway's own audit writer.
  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  // (Audit schema 3: an accepted transfer's decisions are in its one 'accepted' record, two in each.)
  const row = db.prepare("SELECT * FROM records WHERE event = 'accepted' AND transfer_id = ? ORDER BY seq DESC LIMIT 1").get(ok.json.id) as { principal: string; source: string; destination: string; size: number; verdict: 'allow'; rule: string; policy_hash: string; details: string };
  db.close();
  const copy = { event: 'accepted' as const, principal: row.principal, source: row.source, destination: row.destination, size: row.size, verdict: row.verdict, rule: row.rule, policyHash: row.policy_hash, details: JSON.parse(row.details) as Record<string, unknown> };
  const t0 = Date.now();
  for (let i = 0; i < BIG_LOG; i += 5000) await fx.gw.context.audit.appendMany(Array.from({ length: 5000 }, () => copy));
  t.comment(`${BIG_LOG} decisions appended in ${Date.now() - t0} ms`);
  // A candidate of many rules, each of which matches: every decision is weighed against all of them.
  const text = `policy: many-rules\nnetworks: [police, extranet]\ndefault_label: internal\nrules:\n${Array.from({ length: 1000 }, (_, i) => `  - id: allow-${i}\n    effect: allow\n    description: one of many\n    match: { from: police/*, to: extranet/*, label: [public, internal] }\n`).join('')}`;
  const form = async (who: { cert: string; key: string }) => new URLSearchParams({ csrf: await csrfOf(as(who)), text }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', host, origin: base, 'sec-fetch-site': 'same-origin' };
  const ac = new AbortController();
  let settled = false;
  const first = request(`${base}/console/policy/replay`, { method: 'POST', dispatcher: as(sue), body: await form(sue), headers, signal: ac.signal })
    .finally(() => { settled = true; });
  first.catch(() => undefined);
  const replayAs = async (who: { cert: string; key: string }) => {
    const res = await request(`${base}/console/policy/replay`, { method: 'POST', dispatcher: as(who), body: await form(who), headers });
    return { status: res.statusCode, code: res.headers['ferry-code'], text: await res.body.text() };
  };
  // Once it runs, another replay is refused at once, with its code, in the reader's language.
  const busy = await until(async () => { const r = await replayAs(sid); return r.status === 503 ? r : null; }, 'the first replay is running', 30_000);
  t.equal(busy.code, 'FERRY_CONSOLE_BUSY');
  t.match(busy.text, /<code>FERRY_CONSOLE_BUSY<\/code>/);
  t.match(busy.text, '策略回放已达上限');
  // Meanwhile the data path and the probes answer.
  const up = await putFile(sender, fx.url('police'), Buffer.from('sent during a replay\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '21' });
  t.equal(up.status, 202, 'an upload is accepted while the replay runs');
  const health = await fx.admin('/healthz');
  t.match(JSON.parse(health.text), { status: /ready|degraded/ }, '/healthz answers while the replay runs');
  t.notOk(settled, 'the replay had not finished when both had answered');
  t.equal((await replayAs(sid)).status, 503, 'and it was still running after them');
  // The browser goes away: the replay is stopped, recorded as such, and its place freed.
  ac.abort();
  await until(() => adminRecords().some((r) => r.principal === 'ferry://admin/sue' && r.details.action === 'replay' && r.details.cancelled === true), 'the cancelled replay is recorded', 30_000);
  t.ok(adminRecords().some((r) => r.principal === 'ferry://admin/sid' && r.details.action === 'replay' && r.details.refused === 'FERRY_CONSOLE_BUSY'), 'a refused replay is recorded too');
  t.notOk(adminRecords().some((r) => r.principal === 'ferry://admin/sue' && r.details.action === 'replay' && r.details.counts !== undefined), 'the stopped replay left no result');
  // A search by refusal code over the same log runs on a thread too, and finds nothing it should not.
  const search = await get(as(al), '/console/transfers?code=FERRY_NO_SUCH_CODE');
  t.equal(search.status, 200, 'a search that walks the large log answers');
  t.match(search.text, 'class="notice"', 'saying how far back it looked');
});

t.test('a job past its time limit is stopped with its code, and its place is freed once its thread is gone', async (t) => {
  const { ConsoleJobs } = await import('../gateway/admin/console/console-jobs.js');
  // The same large candidate over the log the previous subtest grew, with a time limit far below what it needs.
  const jobs = new ConsoleJobs(join(fx.dir, 'data', 'audit.db'), { replay: 200, search: 20_000, check: 20_000 });
  t.teardown(() => jobs.close());
  const text = `policy: many-rules\nnetworks: [police, extranet]\ndefault_label: internal\nrules:\n${Array.from({ length: 1000 }, (_, i) => `  - id: allow-${i}\n    effect: allow\n    description: one of many\n    match: { from: police/*, to: extranet/*, label: [public, internal] }\n`).join('')}`;
  const job = { op: 'replay' as const, text, path: 'candidate.yaml', last: 200_000, keep: 10 };
  const running = jobs.run(job);
  t.throws(() => jobs.run(job), { code: 'FERRY_CONSOLE_BUSY' }, 'a second replay is refused at once');
  await t.rejects(running, { code: 'FERRY_CONSOLE_TIMEOUT' }, 'the first is stopped at its limit');
  await until(() => jobs.running('replay') === 0, 'the stopped thread has exited', 30_000);
  // A search still runs on its own thread, and answers.
  const page = await jobs.run<{ rows: unknown[] }>({ op: 'search', filter: { event: 'accepted' } });
  t.equal(page.rows.length, 50, 'a search answers a full page');
});

/**
 * Holds the answer of the next deploy check a console job thread sends, until
 * released: the check runs on its thread as it would, and the slot it takes
 * stays taken meanwhile. Nothing in the gateway changes; only when the
 * thread's 'message' event reaches the console is delayed.
 */
function holdCheckAnswer(t: { teardown(fn: () => void): void }): { started: () => boolean; release: () => void } {
  const post = Worker.prototype.postMessage;
  const emit = Worker.prototype.emit;
  let checker: Worker | null = null;
  let posted = false;
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  Worker.prototype.postMessage = function (this: Worker, m: unknown, ...rest: unknown[]) {
    if (!posted && (m as { op?: string } | null)?.op === 'check') { checker = this; posted = true; }
    return (post as (...a: unknown[]) => void).call(this, m, ...rest);
  };
  Worker.prototype.emit = function (this: Worker, event: string | symbol, ...args: unknown[]) {
    if (this === checker && event === 'message') {
      checker = null;
      Worker.prototype.emit = emit;
      void gate.then(() => emit.call(this, event, ...args));
      return true;
    }
    return emit.call(this, event, ...args);
  } as typeof emit;
  const restore = () => { Worker.prototype.postMessage = post; Worker.prototype.emit = emit; release(); };
  t.teardown(restore);
  return { started: () => posted, release: restore };
}
