// `ferry serve-inbox`, the receiving end of push delivery, with a real gateway
// pushing to it: the file lands under a safe name with the announced hash; a
// body that does not hash to what was announced is not kept and not answered
// 2xx; only a gateway may push; a push repeated after a lost answer is not a
// second copy.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Agent, request } from 'undici';
import { FERRY_BIN } from './helpers/ferry-process.js';
import { clientFor, putFile, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const pki = await makePki();
const work = await mkdtemp(join(tmpdir(), 'ferry-serve-inbox-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const out = join(work, 'pushed');
const archive = pki.system('ferry://extranet/archive');

// The command itself, as an operator runs it; it says its port on stderr.
const proc = spawn(process.execPath, [FERRY_BIN, 'serve-inbox', '--out', out, '--listen', '127.0.0.1:0', '--json',
  '--cert', archive.certPath, '--key', archive.keyPath, '--ca', pki.caCertPath], { env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
t.teardown(() => proc.kill('SIGKILL'));
let stdout = '';
let stderr = '';
proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
const port = Number((await until(() => /serving the push inbox on https:\/\/127\.0\.0\.1:(\d+)/.exec(stderr), 'serve-inbox to listen', 60_000))[1]);

const fx = await startTestGateway(t, { destinationPort: port, pki });
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

t.test('a gateway pushes a file; it is saved under a safe name with the announced hash', async (t) => {
  const body = Buffer.from('quarterly figures\n'.repeat(1000));
  const r = await putFile(sender, fx.url('police'), body, {
    'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(body.length),
    'ferry-filename': encodeURIComponent('季度报告.txt'),
  });
  t.equal(r.status, 202, JSON.stringify(r.json));
  const line = await until(() => stdout.split('\n').find((l) => l.includes(r.json.id)), 'the receiver to report the file');
  const got = JSON.parse(line) as { id: string; path: string; sha256: string; size: number; filename: string };
  t.equal(got.sha256, sha(body));
  t.equal(got.filename, '季度报告.txt');
  t.equal(got.path, join(out, '季度报告.txt'), 'saved under the name it was sent with, in the folder');
  t.same(await readFile(got.path), body);
  t.equal((await stat(got.path)).mode & 0o777, 0o600);
  await until(async () => (await fx.gw.context.queue.countsByState()).delivered === 1, 'the gateway to settle it as delivered');
});

// Direct requests with the gateway's own certificate, for what a healthy gateway never sends.
const asGateway = new Agent({ connect: { ca: pki.caCert, cert: pki.gateway('gw1').cert, key: pki.gateway('gw1').key } });
t.teardown(() => asGateway.close());
async function push(agent: Agent, body: Buffer, headers: Record<string, string>): Promise<{ status: number; json: Record<string, any> }> {
  const res = await request(`https://127.0.0.1:${port}/ferry/inbox`, { method: 'PUT', dispatcher: agent, body, headers: { 'content-length': String(body.length), ...headers } });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
}

t.test('a body that does not hash to ferry-sha256 is not kept and not answered 2xx', async (t) => {
  const before = await readdir(out);
  const body = Buffer.from('tampered on the way');
  const r = await push(asGateway, body, { 'ferry-transfer-id': 'tx-mismatch-1', 'ferry-sha256': sha(Buffer.from('what was accepted')), 'ferry-filename': 'x.txt' });
  t.equal(r.status, 422, 'a permanent refusal: the gateway marks it failed, never delivered');
  t.equal(r.json.code, 'SHA256_MISMATCH');
  t.same((await readdir(out)).sort(), before.sort(), 'no file and no temporary file left');
});

t.test('only a gateway may push; a repeated push is recognised, not saved twice', async (t) => {
  const system = new Agent({ connect: { ca: pki.caCert, cert: pki.system('ferry://police/sys1').cert, key: pki.system('ferry://police/sys1').key } });
  t.teardown(() => system.close());
  const body = Buffer.from('hello');
  const headers = { 'ferry-transfer-id': 'tx-repeat-1', 'ferry-sha256': sha(body), 'ferry-filename': 'hello.txt' };
  const bySystem = await push(system, body, headers);
  t.equal(bySystem.status, 403, 'a business system certificate is not a gateway');
  t.equal(bySystem.json.code, 'NOT_A_GATEWAY');

  const first = await push(asGateway, body, headers);
  t.equal(first.status, 200);
  const again = await push(asGateway, body, headers);
  t.equal(again.status, 200, 'the answer was lost, the gateway pushes again: still a success');
  t.equal(again.json.already_held, true);
  const names = (await readdir(out)).filter((n) => n.startsWith('hello'));
  t.same(names, ['hello.txt'], 'one copy, no "hello (2).txt"');

  // The gateway refuses such names from senders; a receiver does not rely on it.
  const evil = Buffer.from('* * * * * root sh\n');
  const path = await push(asGateway, evil, { 'ferry-transfer-id': 'tx-path-1', 'ferry-sha256': sha(evil), 'ferry-filename': encodeURIComponent('../../etc/cron.d/.evil') });
  t.equal(path.status, 200);
  const kept = (await readdir(out)).filter((n) => n.includes('evil'));
  t.same(kept, ['evil'], 'the last component, no leading dot, inside the folder');
  t.same(await readFile(join(out, 'evil')), evil);

  const noHash = await push(asGateway, body, { 'ferry-transfer-id': 'tx-nohash' });
  t.equal(noHash.status, 400, 'no announced hash, nothing to verify against: refused');
});
