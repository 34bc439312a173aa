// A gateway that rotates its keys hands them on in a statement signed by the old key and the new
// (the `key-rotated` record), and carries its latest hand-ons in each request and answer to its
// peers (routing/key-history.ts). A peer that trusts the old key learns the new one from it, keeps
// it (data_dir/keys/peer-keys.json) and records it (`peer-key-learned`). Before 1 Dec 2026 every
// peer refused the rotated gateway's relays, or took its receipts as unverified, until its
// operator listed the new key (README, Known risks).
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { rotateGatewayKeys } from '../gateway/keys/rotate-keys.js';
import { startChain } from './helpers/chain.js';
import { clientFor, putFile, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

t.test('peers follow a rotation of either gateway, and keep what they learned across a restart', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { fixedPorts: true });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const send = async (what: string) => {
    const body = randomBytes(3000);
    const r = await putFile(sender, chain.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal' });
    t.equal(r.status, 202, `${what}: accepted`);
    return r.json.id as string;
  };
  const arrived = (id: string) => chain.receiver.received.some((r) => r.headers['ferry-transfer-id'] === id);
  const learned = (dataDir: string) => {
    const db = new Database(join(dataDir, 'audit.db'), { readonly: true });
    try {
      return (db.prepare("SELECT principal, details FROM records WHERE event = 'peer-key-learned' ORDER BY seq").all() as Array<{ principal: string; details: string }>)
        .map((r) => ({ principal: r.principal, details: JSON.parse(r.details) as { peer: string; hand_ons: Array<{ old_key: string; new_key: string }> } }));
    } finally {
      db.close();
    }
  };

  const first = await send('before any rotation');
  await until(() => arrived(first), 'delivered');

  // gw1 (upstream) rotates: gw2 learns gw1's new key from the relay request itself.
  const gw1Old = (await readFile(chain.gw1.vkeyPath, 'utf8')).trim();
  await chain.gw1.gw!.stop();
  await rotateGatewayKeys(chain.gw1.dataDir);
  await chain.gw1.start();
  const gw1New = (await readFile(chain.gw1.vkeyPath, 'utf8')).trim();
  t.not(gw1New, gw1Old, 'gw1 has a new key');
  const second = await send('after gw1 rotated');
  await until(() => arrived(second), 'delivered with no change to gw2\'s configuration');
  const atGw2 = learned(chain.gw2.dataDir);
  t.equal(atGw2.length, 1, 'gw2 recorded one key learned');
  t.match(atGw2[0], { principal: 'ferry://gateway/gw1', details: { peer: 'gw1', hand_ons: [{ old_key: gw1Old, new_key: gw1New }], via: 'request' } }, 'from gw1\'s hand-on, old key to new, on its request');
  const kept = JSON.parse(await readFile(join(chain.gw2.dataDir, 'keys', 'peer-keys.json'), 'utf8')) as Record<string, Array<{ old_key: string; new_key: string }>>;
  t.match(kept, { gw1: [{ old_key: gw1Old, new_key: gw1New }] }, 'and kept the hand-on in data_dir/keys/peer-keys.json (keys are derived from it at each use)');
  t.equal(kept.gw1!.length, 1, 'one hand-on');
  t.equal((await stat(join(chain.gw2.dataDir, 'keys', 'peer-keys.json'))).mode & 0o777, 0o644, 'a file of public keys');

  // gw2 (downstream) rotates: gw1 learns gw2's new key from its answers, and takes its receipts as verified.
  await chain.gw2.gw!.stop();
  await rotateGatewayKeys(chain.gw2.dataDir);
  await chain.gw2.start();
  const gw2New = (await readFile(chain.gw2.vkeyPath, 'utf8')).trim();
  const third = await send('after gw2 rotated (and restarted: what it learned of gw1 is read back)');
  await until(() => arrived(third), 'delivered');
  const q1 = chain.gw1.gw!.context.queue;
  await until(async () => ((await q1.get(third))?.state === 'delivered' ? true : null), 'settled delivered at gw1, from gw2\'s signed report');
  const row = await q1.get(third);
  t.equal(row?.hops?.[0]?.verified, true, 'gw2\'s receipts verified with the key learned');
  t.equal(learned(chain.gw2.dataDir).length, 1, 'gw2 learned nothing more (it read back what it had)');
  const atGw1 = learned(chain.gw1.dataDir);
  t.equal(atGw1.length, 1, 'gw1 recorded one key learned');
  t.equal(atGw1[0]!.details.hand_ons[0]!.new_key, gw2New, 'gw2\'s new key');
  t.equal((atGw1[0]!.details as { via?: string }).via, 'answer', 'learned from its answer');
});

t.test('with follow_rotation: false nothing is learned', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { followRotation: false });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  await chain.gw1.gw!.stop();
  await rotateGatewayKeys(chain.gw1.dataDir);
  await chain.gw1.start();
  const body = randomBytes(100);
  const r = await putFile(sender, chain.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal' });
  const q1 = chain.gw1.gw!.context.queue;
  await until(async () => (/FERRY_ENVELOPE_INVALID/.test((await q1.get(r.json.id as string))?.reason ?? '') ? true : null), 'gw2 refuses the relay');
  await t.rejects(stat(join(chain.gw2.dataDir, 'keys', 'peer-keys.json')), { code: 'ENOENT' }, 'no key kept');
});
