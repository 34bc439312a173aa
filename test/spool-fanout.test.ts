// Issue #19: the spool at scale. Spool files live in spool/<xx>/ (256
// directories) and uploads stream into spool/incoming/; a data directory of
// the flat layout is moved over at start (files and queue rows) and its
// transfers are delivered as before; files a crash left without a row are
// found by the scrub, one fan-out directory at a time, and only those.
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { scrubFanOutDir, SCRUB_MIN_AGE_MS } from '../gateway/delivery/spool-scrub.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { fanOutOf, spoolNameFor } from '../gateway/spool/spool-layout.js';
import { uuidv7 as newTransferId } from '../protocol/ids.js';
import { clientFor, putFile, sha256, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { spoolFiles } from './helpers/spool-files.js';
import { textBody } from './helpers/text-body.js';

// These tests are about spool files: small files are kept on the spool too (spool.inline_max 0),
// not sealed in queue.db as by default (test/gateway-transfer.test.ts, test/gateway-crash.test.ts).
const SPOOL_FILES_ONLY = 'spool: { inline_max: 0 }';

t.test('a flat spool is moved into the fan-out at start, and what it held is delivered', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  dest.failWith = 503; // hold deliveries back
  const fx = await startTestGateway(t, { destinationPort: dest.port, pki, extra: SPOOL_FILES_ONLY });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const sent = new Map<string, string>();
  for (let i = 0; i < 3; i++) {
    const body = textBody(2000 + i * 1000);
    const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
    t.equal(r.status, 202);
    sent.set(r.json.id, sha256(body));
  }
  const data = join(fx.dir, 'data');
  const files = await spoolFiles(data);
  t.same(files, [...sent.keys()].map(spoolNameFor).sort(), 'each spool file is in the directory of its id\'s last two digits');
  t.ok([...sent.keys()].every((id) => fanOutOf(id) === id.slice(-2)), 'named by the random end of the UUIDv7, not its time-ordered start');
  await fx.gw.stop();

  // Back to the flat layout of an older gateway: files at the top, rows naming them so, schema step 4 not run.
  for (const f of files) await rename(join(data, 'spool', f), join(data, 'spool', f.split('/')[1]!));
  const db = new Database(join(data, 'queue.db'));
  db.prepare("UPDATE transfers SET spool = substr(spool, 4) WHERE spool LIKE '__/%'").run();
  db.pragma('user_version = 3');
  db.close();
  const cutOff = newTransferId();
  await writeFile(join(data, 'spool', `${cutOff}.spool.part`), 'an upload cut off by the stop');
  await writeFile(join(data, 'spool', 'incoming', `${newTransferId()}.spool.part`), 'another');

  dest.failWith = null;
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  for (const id of sent.keys()) t.equal((await gw.context.queue.get(id))?.spool, spoolNameFor(id), `row ${id} names its fanned-out file`);
  const got = await dest.waitFor(3);
  t.same(new Map(got.map((r) => [String(r.headers['ferry-transfer-id']), r.sha256])), sent, 'every transfer of the flat spool delivered, byte-identical');
  await until(async () => (await Promise.all([...sent.keys()].map((id) => gw.context.queue.get(id)))).every((x) => x?.state === 'delivered'), 'every row delivered');
  // The example policy keeps delivered content 30 days: the files stay, where their rows say, and nowhere else.
  t.same(await spoolFiles(data), (await Promise.all([...sent.keys()].map((id) => gw.context.queue.get(id)))).map((x) => x!.spool).sort(), 'the kept files are in the fan-out, as the rows say');
  t.notOk(existsSync(join(data, 'spool', `${cutOff}.spool.part`)), 'the flat layout\'s .part file is removed');
});

t.test('the scrub removes old files no transfer wants, and only those', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  dest.failWith = 503;
  // One failed attempt, then none for ten minutes: the scheduler leaves the row alone meanwhile.
  const fx = await startTestGateway(t, { destinationPort: dest.port, pki, delivery: '{ retry_initial: 10m, retry_max: 10m }', extra: SPOOL_FILES_ONLY });
  const ctx = fx.gw.context;
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(3000);
  const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  await until(async () => { const x = await ctx.queue.get(r.json.id); return x?.state === 'queued' && x.attempts >= 1; }, 'the first attempt to fail');
  const dir = fanOutOf(r.json.id);
  // An orphan in the same directory (committed, then the crash came before its row), and one whose row has settled.
  let orphan = newTransferId();
  while (fanOutOf(orphan) !== dir) orphan = newTransferId();
  const spoolDir = join(fx.dir, 'data', 'spool');
  await writeFile(join(spoolDir, spoolNameFor(orphan)), 'no row wants this');
  const data = join(fx.dir, 'data');
  t.equal(await scrubFanOutDir(ctx, dir, Date.now() - SCRUB_MIN_AGE_MS), 0, 'a young file is left alone (its row may be on its way)');
  t.ok(existsSync(join(spoolDir, spoolNameFor(orphan))));
  t.equal(await scrubFanOutDir(ctx, dir, Date.now() + 1000), 1, 'once old enough, the orphan goes');
  t.same(await spoolFiles(data), [spoolNameFor(r.json.id)], 'and the queued transfer keeps its file');
  t.ok(await ctx.queue.settle(r.json.id, 'failed', 'test: settled without its file removed'), 'settled');
  t.equal(await scrubFanOutDir(ctx, dir, Date.now() + 1000), 1, 'a settled transfer\'s leftover file goes too');
  t.same(await spoolFiles(data), [], 'nothing left');
  await mkdir(join(spoolDir, 'zz'), { recursive: true });
  t.equal(await scrubFanOutDir(ctx, 'zz', Date.now() + 1000), 0, 'an empty directory is nothing to do');
});
