// The web console in a real browser (issue 17): Debian's Chromium driven by
// playwright-core, presenting administrators' client certificates to a real
// gateway with real transfers. One browser, one gateway, a page per role.
// Screenshots go to the OS temporary directory (printed), not the repository.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import t from 'tap';
import { clientFor, putFile, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { requires } from './helpers/requires.js';
import { en } from '../i18n/en/index.js';
import { zhCN } from '../i18n/zh-CN/index.js';

const skip = requires('chromium');
// Debian's chromium (requires() found it on the PATH, or FERRY_CHROMIUM names it); never a downloaded browser.
const CHROMIUM = process.env.FERRY_CHROMIUM
  ?? [...(process.env.PATH ?? '').split(delimiter), '/usr/bin'].flatMap((d) => ['chromium', 'chromium-browser'].map((n) => join(d, n))).find((p) => existsSync(p))
  ?? '/usr/bin/chromium';

t.test('the console in Chromium', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const shots = join(tmpdir(), 'ferry-console-shots');
  mkdirSync(shots, { recursive: true });
  t.comment(`screenshots in ${shots}`);
  const pki = await makePki();
  const [sam, sue, al] = await Promise.all([pki.issue('ferry://admin/sam', 'admin-sam'), pki.issue('ferry://admin/sue', 'admin-sue'), pki.issue('ferry://admin/al', 'admin-al')]);
  const fx = await startTestGateway(t, { pki, destinationPort: 9, delivery: '{ retry_initial: 1m, retry_max: 5m }', administrators: '{ sam: sysadmin, sue: secadmin, al: auditor }' });
  const base = `https://127.0.0.1:${fx.gw.adminApiPort}`;
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const send = (body: string) => putFile(sender, fx.url('police'), Buffer.from(body), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(Buffer.byteLength(body)) });
  const accepted: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await send(`weekly report ${i}\n`);
    t.equal(r.status, 202);
    accepted.push(r.json.id as string);
  }
  const refused = await send('name: Zhang San, id 110101199003078515\n');
  t.equal(refused.status, 422);
  const refusedId = refused.json.transfer as string;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const as = async (c: { certPath: string; keyPath: string } | null) => {
    const ctx = await browser.newContext({
      ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 },
      ...(c ? { clientCertificates: [{ origin: base, certPath: c.certPath, keyPath: c.keyPath }] } : {}),
    });
    t.teardown(() => ctx.close());
    return ctx.newPage();
  };

  t.test('no certificate, or a business system\'s: nothing', async (t) => {
    for (const c of [null, pki.system('ferry://police/sys1')]) {
      const page = await as(c);
      const res = await page.goto(`${base}/console/`).catch(() => null);
      // Either the TLS handshake or the answer refuses; never a page of the console.
      if (res) t.ok(res.status() === 401 || res.status() === 403, `refused (${res.status()})`);
      t.notMatch(res ? await page.content() : '', /管理控制台|<nav/);
    }
  });

  const auditor = await as(al);
  t.test('auditor: overview, search, a refused transfer, verify; no deploy', async (t) => {
    await auditor.goto(`${base}/console/`);
    t.equal(await auditor.locator('h1').textContent(), '概览');
    t.same(await auditor.locator('nav a').allTextContents(), ['概览', '传输记录', '审计', '策略']);
    t.match(await auditor.locator('#live').textContent(), /deny-personal-data/);
    await auditor.screenshot({ path: join(shots, 'overview-auditor.png') });
    // By keyboard alone: the skip link first, then the language switch, then the navigation.
    await auditor.keyboard.press('Tab');
    t.equal(await auditor.locator(':focus').textContent(), '跳到正文');
    for (let i = 0; i < 3; i++) await auditor.keyboard.press('Tab');
    t.equal(await auditor.locator(':focus').textContent(), '传输记录');
    await auditor.keyboard.press('Enter');
    await auditor.waitForURL(/\/console\/transfers$/);
    await auditor.selectOption('select[name=verdict]', 'deny');
    await auditor.selectOption('select[name=finding]', 'personal-data');
    await auditor.click('form[role=search] button[type=submit]');
    const row = auditor.locator(`a[href="/console/transfers/${refusedId}"]`).first();
    await row.click();
    const body = (await auditor.locator('main').textContent())!;
    t.match(body, 'deny-personal-data');
    t.match(body, '居民身份证号码');
    t.match(body, /110\*{13}15/);
    t.notMatch(body, '110101199003078515');
    await auditor.screenshot({ path: join(shots, 'transfer-auditor.png'), fullPage: true });
    await auditor.click('nav >> text=审计');
    await auditor.click('text=立即校验');
    await auditor.waitForSelector('#verify-result.good');
    await auditor.screenshot({ path: join(shots, 'audit-auditor.png'), fullPage: true });
    await auditor.click('nav >> text=策略');
    t.equal(await auditor.locator('form[action="/console/policy/deploy"], form[action="/console/policy/replay"]').count(), 0, 'no form to change the policy');
  });

  t.test('the language switch changes every visible string', async (t) => {
    const words = (o: unknown): string[] => (typeof o === 'string' ? [o] : Object.values(o as object).flatMap(words));
    // The console's own words (headings, navigation, column heads, labels, buttons, notes), not the data it shows.
    const chrome = () => auditor.locator('h1, h2, nav, th, label, button, header, footer, p.empty').allInnerTexts().then((a) => a.join('\n'));
    const zhOnly = new Set(words(zhCN.console).filter((w) => /[\u4e00-\u9fff]/.test(w)));
    for (const path of ['/console/', '/console/transfers', '/console/audit', '/console/policy']) {
      await auditor.goto(`${base}${path}`);
      await auditor.click('.lang a');
      await auditor.waitForSelector('html[lang=en]');
      const text = (await chrome()).replace('中文', '');
      t.notMatch(text, /[\u4e00-\u9fff]/, `${path} in English has no Chinese left`);
      if (path === '/console/') await auditor.screenshot({ path: join(shots, 'overview-en.png') });
      await auditor.click('.lang a');
      await auditor.waitForSelector('html[lang=zh-CN]');
      const zh = await chrome();
      // Every catalogue string shown in Chinese: none of the English ones of the same keys is left.
      const leftover = words(en.console).filter((w) => w.length > 3 && !/\{\{/.test(w) && !/^[A-Z0-9-]+$/.test(w) && zh.includes(w));
      t.same(leftover, [], `${path} in Chinese has no English message left`);
      t.ok([...zhOnly].some((w) => zh.includes(w)), `${path} shows Chinese messages`);
    }
  });

  t.test('sysadmin: system page and transfers; no audit page', async (t) => {
    const page = await as(sam);
    await page.goto(`${base}/console/system`);
    t.match(await page.locator('main').textContent(), 'extranet/archive');
    await page.screenshot({ path: join(shots, 'system-sysadmin.png'), fullPage: true });
    const res = await page.goto(`${base}/console/audit`);
    t.equal(res!.status(), 403);
    t.match(await page.locator('main').textContent(), '超出本角色权限');
  });

  t.test('secadmin: a stricter candidate replayed, then deployed from the page', async (t) => {
    const page = await as(sue);
    await page.goto(`${base}/console/policy`);
    const current = readFileSync(join(fx.dir, 'policy.yaml'), 'utf8');
    const stricter = current.replace('rules:\n', 'rules:\n  - id: deny-archive-now\n    effect: deny\n    description: Nothing more goes to the archive.\n    match:\n      to: extranet/archive\n');
    t.not(stricter, current);
    // Read from a file, as an administrator would upload one.
    await page.setInputFiles('#candidate-file', { name: 'stricter.yaml', mimeType: 'text/yaml', buffer: Buffer.from(stricter) });
    await page.waitForFunction((text) => (globalThis as unknown as { document: { querySelector(s: string): { value: string } } }).document.querySelector('#candidate').value === text, stricter);
    await page.click('text=检查并回放');
    await page.waitForSelector('#replay-counts');
    const main = (await page.locator('main').textContent())!;
    t.match(main, /将被拒绝 newly-denied: [1-9]/, 'some past decisions would now be denied');
    for (const id of accepted) t.ok(await page.locator(`main table a[href="/console/transfers/${id}"]`).count(), `${id} is among them`);
    t.match(main, 'deny-archive-now');
    await page.screenshot({ path: join(shots, 'policy-replay-secadmin.png'), fullPage: true });
    await page.click('text=部署此策略');
    await page.waitForSelector('.notice');
    t.match(await page.locator('.notice').textContent(), '已部署');
    const after = await send('another weekly report\n');
    t.equal(after.status, 403, 'the gateway now refuses what it accepted');
    t.equal(after.json.rule, 'deny-archive-now');
    const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
    const loaded = db.prepare("SELECT principal FROM records WHERE event = 'policy-loaded' ORDER BY seq DESC LIMIT 1").get() as { principal: string };
    db.close();
    t.equal(loaded.principal, 'ferry://admin/sue', 'the policy-loaded record names the administrator');
    t.equal((await page.goto(`${base}/console/transfers`))!.status(), 403, 'the secadmin reads no transfers');
  });

  t.test('a tampered audit database fails verification on the page', async (t) => {
    const w = new Database(join(fx.dir, 'data', 'audit.db'));
    w.exec('DROP TRIGGER records_no_update');
    w.prepare("UPDATE records SET destination = 'extranet/elsewhere' WHERE seq = (SELECT min(seq) FROM records WHERE destination IS NOT NULL)").run();
    w.close();
    await auditor.goto(`${base}/console/audit`);
    await auditor.click('text=立即校验');
    await auditor.waitForSelector('#verify-result.bad');
    t.match(await auditor.locator('#verify-result').textContent(), /校验失败/);
    await auditor.screenshot({ path: join(shots, 'audit-tampered.png'), fullPage: true });
    // The actions log shows the others' deploy and this verify.
    const actions = (await auditor.locator('main').textContent())!;
    t.match(actions, 'ferry://admin/sue');
  });
});
