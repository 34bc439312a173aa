// The web console (issue 17), in process: each of the three roles reaches its
// pages and nothing else; no administrator certificate, or a business
// system's, gets nothing; a change needs the same origin and the form token;
// views of personal data, exports and changes are audit records naming who.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { Agent, request } from 'undici';
import { clientFor, putFile, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const pki = await makePki();
const [sam, sue, al, eve] = await Promise.all([
  pki.issue('ferry://admin/sam', 'admin-sam'), pki.issue('ferry://admin/sue', 'admin-sue'),
  pki.issue('ferry://admin/al', 'admin-al'), pki.issue('ferry://admin/eve', 'admin-eve'),
]);
const fx = await startTestGateway(t, { pki, destinationPort: 9, delivery: '{ retry_initial: 1m, retry_max: 5m }', administrators: '{ sam: sysadmin, sue: secadmin, al: auditor }' });
const host = `127.0.0.1:${fx.gw.adminApiPort}`;
const base = `https://${host}`;
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const ok = await putFile(sender, fx.url('police'), Buffer.from('weekly report\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '14' });
const refusedBody = Buffer.from('name: Zhang San, id 110101199003078515\n');
const refused = await putFile(sender, fx.url('police'), refusedBody, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(refusedBody.length) });

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
