// Regressions of issue 10, "Broken": a second gateway on one data directory,
// start-up failures that did not exit, `--check` passing what a start then
// failed on, and an audit log written behind the gateway's back.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { clientFor, gatewayYaml, putFile, startGatewayProcess, startTestGateway, type Tap } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';

async function setup(t: Tap, edit: (yaml: string, pki: TestPki, dir: string) => string = (y) => y): Promise<{ pki: TestPki; dir: string; config: string }> {
  const pki = await makePki();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-start-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, edit(gatewayYaml(pki, dir, { destinationPort: 9 }), pki, dir));
  return { pki, dir, config };
}

t.test('a second gateway on the same data directory is refused (exit 2, the pid named) and the first one goes on', async (t) => {
  const { pki, dir, config } = await setup(t);
  const first = await startGatewayProcess(config);
  t.teardown(() => first.kill9());
  const second = await runFerry(['gateway', '--config', config], { timeoutMs: 30_000 });
  t.equal(second.code, 2, 'the second gateway exits 2');
  t.match(second.stderr, new RegExp(`in use by pid ${first.proc.pid}`));
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, `https://127.0.0.1:${first.ports.police}`, Buffer.from('still fine'), { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '10' });
  t.equal(r.status, 202, 'the first gateway still accepts transfers');
  const db = new Database(join(dir, 'data', 'audit.db'), { readonly: true });
  const started = db.prepare("SELECT count(*) FROM records WHERE event = 'started'").pluck().get();
  db.close();
  t.equal(started, 1, 'the second gateway wrote nothing into the first one\'s audit log');
});

t.test('the lock of a gateway killed with -9 is taken over by the next start', async (t) => {
  const { dir, config } = await setup(t);
  const first = await startGatewayProcess(config);
  await first.kill9();
  t.ok(existsSync(join(dir, 'data', 'ferry.lock')), 'kill -9 leaves the lock file');
  const next = await startGatewayProcess(config);
  t.teardown(() => next.kill9());
  t.equal((await readFile(join(dir, 'data', 'ferry.lock'), 'utf8')).trim(), String(next.proc.pid), 'the new gateway holds the lock');
});

t.test('a port in use: exit 1, the address named, the data directory released', async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => new Promise((r) => blocker.close(r)));
  const port = (blocker.address() as { port: number }).port;
  const { dir, config } = await setup(t, (y) => y.replace(/extranet: \{ listen: "127\.0\.0\.1:0" \}/, `extranet: { listen: "127.0.0.1:${port}" }`));
  const run = await runFerry(['gateway', '--config', config]);
  t.equal(run.code, 1, 'exits 1 (not a configuration error), and does exit');
  t.match(run.stderr, new RegExp(`network extranet: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
  t.notOk(existsSync(join(dir, 'data', 'ferry.lock')), 'the data directory lock was released');
  const again = await runFerry(['gateway', '--config', config]);
  t.equal(again.code, 1, 'a second try fails the same way, not on a lock left behind');
  t.notMatch(again.stderr, /in use by pid/);
});

t.test('a missing TLS file: exit 2 before the data directory is touched', async (t) => {
  const { dir, config } = await setup(t, (y, pki) => y.replace(pki.gateway('gw1').certPath, join(pki.dir, 'nope.crt')));
  const run = await runFerry(['gateway', '--config', config]);
  t.equal(run.code, 2);
  t.match(run.stderr, /tls\.cert: cannot read .*nope\.crt: there is no such file/);
  t.notOk(existsSync(join(dir, 'data')), 'nothing was created');
});

t.test('another writer appended to the audit log: not ready, transfers refused with a code, not a SQLite error forever', async (t) => {
  const pki = await makePki();
  const fx = await startTestGateway(t, { destinationPort: 9 });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const headers = { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '2' };
  t.equal((await putFile(sender, fx.url('police'), Buffer.from('ok'), headers)).status, 202);
  // What a second gateway on the same directory did before the lock: open the log and append.
  // (Its append may meet the gateway's own commit and wait past SQLite's busy timeout on a loaded machine: it tries
  // again, as a second writer would, until it has appended.)
  for (let attempt = 1; ; attempt++) {
    const intruder = openAuditLog(join(fx.dir, 'data', 'audit.db'), { origin: 'ferry.gateway/gw1' });
    try {
      await intruder.append({ event: 'started', details: { note: 'a second writer' } });
      break;
    } catch (e) {
      if (attempt >= 5 || !/database is locked/.test(String((e as Error).message))) throw e;
    } finally {
      await intruder.close().catch(() => undefined);
    }
  }
  const first = await putFile(sender, fx.url('police'), Buffer.from('no'), headers);
  t.equal(first.status, 503);
  t.equal(first.json.code, 'FERRY_STORAGE_UNAVAILABLE');
  t.match(first.json.detail, /appended to by another process/);
  t.notMatch(first.json.detail, /UNIQUE constraint/);
  const next = await putFile(sender, fx.url('police'), Buffer.from('no'), headers);
  t.equal(next.status, 503);
  t.equal(next.json.code, 'FERRY_NOT_READY', 'later transfers are refused before anything is read');
  const h = await fx.admin('/healthz');
  t.equal(h.status, 503, '/healthz says not ready');
  t.match(h.text, /appended to by another process/);
});
