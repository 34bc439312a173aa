// Regression (issue 10, broken 4): an acknowledgement that fails after the file
// was saved said "nothing was kept", and the next `ferry receive` saved the
// same transfer again as "name (2).txt".
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { FerryError } from '../protocol/errors.js';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { clientFor, putFile, sha256, startTestGateway } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki } from './helpers/pki.js';

t.test('a failed acknowledgement says the file is saved, and the next receive only acknowledges it', async (t) => {
  const pki = await makePki();
  const fx = await startTestGateway(t, { destinationPort: 9 });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const sent = await putFile(sender, fx.url('police'), Buffer.from('quarterly figures'), {
    'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '17', 'ferry-filename': 'report.txt',
  });
  t.equal(sent.status, 202);
  // Make the acknowledgement fail: the audit log refuses its delivered record. (A second writer on the log,
  // as this test did before, now stops the download itself: its handed-out record is written before the
  // content leaves, so a gateway that cannot record the download sends nothing.)
  const audit = fx.gw.context.audit;
  const append = audit.append.bind(audit);
  audit.append = (e) => (e.event === 'delivered' ? Promise.reject(new FerryError('FERRY_STORAGE_UNAVAILABLE', 'The audit log could not be written (test).')) : append(e));

  const out = join(fx.dir, 'received');
  const portal = pki.system('ferry://extranet/portal');
  const env = (port: number) => ({ FERRY_GATEWAY: `https://127.0.0.1:${port}`, FERRY_CERT: portal.certPath, FERRY_KEY: portal.keyPath, FERRY_CA: pki.caCertPath });
  const first = await runFerry(['receive', '--out', out], { env: env(fx.gw.ports.extranet!) });
  t.equal(first.code, 1, 'the run reports a failure');
  t.match(first.stderr, new RegExp(`transfer ${sent.json.id} was saved as .*report\\.txt but the gateway did not take the acknowledgement`));
  t.notMatch(first.stderr, /nothing was kept/, 'it does not claim nothing was kept');
  t.same((await readdir(out)).filter((n) => !n.startsWith('.')), ['report.txt'], 'the file is there');
  t.same([...readRecords(join(fx.dir, 'data', 'audit.db'), { transferId: sent.json.id as string })].map((r) => r.event), ['received', 'accepted', 'handed-out'], 'the download is on the record, the acknowledgement is not');

  // The operator restarts the gateway; the transfer is offered again.
  await fx.gw.stop();
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const second = await runFerry(['receive', '--out', out], { env: env(gw.ports.extranet!) });
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, new RegExp(`acknowledged ${sent.json.id}: already saved here`));
  t.same((await readdir(out)).filter((n) => !n.startsWith('.')), ['report.txt'], 'not saved a second time');
  const third = await runFerry(['receive', '--out', out], { env: env(gw.ports.extranet!) });
  t.match(third.stderr, /0 received, 0 failed/, 'and it is no longer offered');
});

// Found by the simulator (kill -9 and a cut link, one run in ten under load):
// the gateway took a pull acknowledgement, the answer was lost on the way, and
// the receiver kept the file as "saved, not acknowledged" while waiting for an
// offer that never came, so the transfer counted as lost.
t.test('an acknowledgement the gateway took whose answer was lost: the next receive learns it is settled', async (t) => {
  const pki = await makePki();
  const fx = await startTestGateway(t, { destinationPort: 9 });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = Buffer.from('case notes, week 48');
  const sent = await putFile(sender, fx.url('police'), body, {
    'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': String(body.length), 'ferry-filename': 'notes.txt',
  });
  t.equal(sent.status, 202);
  const id = sent.json.id as string;

  // What a receive run leaves when its DELETE's answer is lost: the file saved and
  // written down in the folder's index, and the acknowledgement taken by the gateway.
  const out = join(fx.dir, 'received');
  await mkdir(out, { mode: 0o700 });
  const portal = pki.system('ferry://extranet/portal');
  const asPortal = clientFor(t, pki, portal);
  const fetched = await request(`${fx.url('extranet')}/v1/inbox/${id}`, { dispatcher: asPortal });
  const saved = Buffer.from(await fetched.body.arrayBuffer());
  t.same(saved, body);
  await writeFile(join(out, 'notes.txt'), saved, { mode: 0o600 });
  await writeFile(join(out, '.ferry-received.jsonl'), JSON.stringify({ event: 'saved', id, path: join(out, 'notes.txt'), sha256: sha256(saved), size: saved.length }) + '\n');
  const firstAck = await request(`${fx.url('extranet')}/v1/inbox/${id}`, { method: 'DELETE', dispatcher: asPortal });
  t.equal(firstAck.statusCode, 200);
  const taken = (await firstAck.body.json()) as { receipt: { signature: string } };

  // Another system asking about it learns nothing.
  const archive = clientFor(t, pki, pki.system('ferry://extranet/archive'));
  const stranger = await request(`${fx.url('extranet')}/v1/inbox/${id}`, { method: 'DELETE', dispatcher: archive });
  t.equal(stranger.statusCode, 404);
  t.match(await stranger.body.json(), { code: 'FERRY_NOT_FOUND' });

  const env = { FERRY_GATEWAY: fx.url('extranet'), FERRY_CERT: portal.certPath, FERRY_KEY: portal.keyPath, FERRY_CA: pki.caCertPath };
  const run = await runFerry(['receive', '--out', out, '--json'], { env });
  t.equal(run.code, 0, run.stderr);
  const line = JSON.parse(run.stdout.trim().split('\n').pop()!);
  t.match(line, { id, already_held: true, ack_repeated: true, path: join(out, 'notes.txt') }, 'reported received, from what the folder holds');
  t.equal(line.receipt.signature, taken.receipt.signature, 'with the receipt signed at the first acknowledgement');
  t.same((await readdir(out)).sort(), ['notes.txt'], 'nothing pending is left in the index, nothing saved twice');
  const again = await runFerry(['receive', '--out', out], { env });
  t.match(again.stderr, /0 received, 0 failed/, 'and it is not reported again');

  // Saved here but unknown to the gateway (withdrawn, expired, purged): said once, the file left alone.
  const gone = randomUUID();
  await writeFile(join(out, 'orphan.txt'), 'x', { mode: 0o600 });
  await writeFile(join(out, '.ferry-received.jsonl'), JSON.stringify({ event: 'saved', id: gone, path: join(out, 'orphan.txt'), sha256: sha256(Buffer.from('x')), size: 1 }) + '\n');
  const orphan = await runFerry(['receive', '--out', out], { env });
  t.equal(orphan.code, 1);
  t.match(orphan.stderr, new RegExp(`transfer ${gone} was saved as .*orphan\\.txt, but the gateway no longer offers it`));
  t.same((await readdir(out)).sort(), ['notes.txt', 'orphan.txt'], 'the file is left where it is, and forgotten by the index');
  const quiet = await runFerry(['receive', '--out', out], { env });
  t.match(quiet.stderr, /0 received, 0 failed/);
});
