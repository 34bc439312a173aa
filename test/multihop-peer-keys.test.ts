// A peer's new key takes effect on a reload, not a restart: gw1 rotates its
// keys, gw2 refuses its relays (the envelope is signed by a key gw2 does not
// list) and gw1 keeps trying; the operator lists the old and the new key in
// gw2's gateway.yaml and reloads gw2; the waiting transfer is then delivered.
// This is the operator's way, with `follow_rotation: false`; by default a peer
// learns the new key from the signed hand-on (test/multihop-key-follow.test.ts).
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { rotateGatewayKeys } from '../gateway/keys/rotate-keys.js';
import { startChain } from './helpers/chain.js';
import { clientFor, putFile, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

t.test('after gw1 rotates its keys, gw2 accepts its relays once reloaded with the new key', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { followRotation: false });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const send = async () => {
    const body = randomBytes(5000);
    const r = await putFile(sender, chain.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal' });
    t.equal(r.status, 202, JSON.stringify(r.json));
    return r.json.id as string;
  };
  const arrived = (id: string) => chain.receiver.received.some((r) => r.headers['ferry-transfer-id'] === id);

  const before = await send();
  await until(() => arrived(before), 'a transfer before the rotation delivered');

  // gw1's keys rotated (the stopped-gateway path; the live one is test/key-rotation.test.ts).
  const oldKey = join(chain.gw1.dir, 'old-audit.vkey');
  await copyFile(chain.gw1.vkeyPath, oldKey);
  await chain.gw1.gw!.stop();
  await rotateGatewayKeys(chain.gw1.dataDir);
  await chain.gw1.start();

  const after = await send();
  const q1 = chain.gw1.gw!.context.queue;
  await until(async () => /FERRY_ENVELOPE_INVALID/.test((await q1.get(after))?.reason ?? ''), 'gw2 to refuse the relay signed by the new key');
  t.notOk(arrived(after), 'not delivered while gw2 does not know the new key');
  t.not((await q1.get(after))?.state, 'failed', 'gw1 keeps the transfer and tries again');

  const config = await readFile(chain.gw2.configPath, 'utf8');
  const listed = config.replace(`key: ${chain.gw1.vkeyPath}`, `key: [${oldKey}, ${chain.gw1.vkeyPath}]`);
  t.not(listed, config, 'the peer entry was rewritten');
  await writeFile(chain.gw2.configPath, listed);
  const report = await chain.gw2.gw!.reload('test');
  t.ok(report.changed.includes('routing.peers'), `applied: ${report.changed.join(', ')}`);
  t.notOk(report.restart_needed.includes('routing.peers'), 'no restart needed');

  await until(() => arrived(after), 'the waiting transfer delivered after the reload', 60_000);
  t.equal(chain.receiver.received.length, 2, 'each delivered once');
});
