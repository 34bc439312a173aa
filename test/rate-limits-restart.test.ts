// Rate and volume limits counted in memory only: a restart (an operator's, or a crash's) set them to zero, so a
// system that had used up its day's volume could send as much again (a known risk in the README until 1 Dec
// 2026). Now a start counts the last day's accepted transfers again from the audit log, before the ports open.
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';

const POLICY = `policy: limits
networks: [police, extranet, social]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems send public data to the extranet.
    match: { from: police/*, to: extranet/*, label: public }
  - id: limit-three-a-day
    effect: deny
    description: At most three transfers a day per system.
    limit: { transfers: 3, per: day, by: principal }
  - id: limit-volume-per-route
    effect: deny
    description: At most 1000 bytes an hour from one system to the portal.
    match: { to: extranet/portal }
    limit: { bytes: 1000, per: hour, by: route }
`;

t.test('a restart keeps what the limits counted', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, pki, policyText: POLICY });
  const sys1 = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const sys2 = clientFor(t, pki, await pki.issue('ferry://police/sys2', 'police-sys2'));
  const send = (base: string, agent: typeof sys1, to: string, body: Buffer) =>
    putFile(agent, base, body, { 'ferry-to': to, 'ferry-label': 'public', 'content-length': String(body.length) });

  // sys1: three transfers, its day's count. sys2: 900 bytes to the portal, of its route's 1000 an hour.
  for (let i = 0; i < 3; i++) t.equal((await send(fx.url('police'), sys1, 'extranet/archive', Buffer.from(`n${i}`))).status, 202, `sys1 transfer ${i + 1} of 3`);
  t.equal((await send(fx.url('police'), sys2, 'extranet/portal', Buffer.alloc(900, 0x61))).status, 202, 'sys2 sends 900 bytes to the portal');
  t.equal((await send(fx.url('police'), sys1, 'extranet/archive', Buffer.from('n4'))).status, 429, 'the fourth is over the limit');

  await fx.gw.stop();
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const base = `https://127.0.0.1:${gw.ports.police}`;

  const again = await send(base, sys1, 'extranet/archive', Buffer.from('n5'));
  t.equal(again.status, 429, 'after the restart sys1 is still at its day\'s limit');
  t.equal(again.json.code, 'FERRY_RATE_LIMITED');
  t.equal(again.json.rule, 'limit-three-a-day', 'by the same rule');
  t.equal((await send(base, sys2, 'extranet/portal', Buffer.alloc(200, 0x61))).status, 429, 'and sys2\'s route has 100 bytes left, not 1000');
  t.equal((await send(base, sys2, 'extranet/portal', Buffer.alloc(100, 0x61))).status, 202, 'which it may still send');
  // Refusals are not counted, accepted transfers of other systems are apart.
  const other = clientFor(t, pki, await pki.issue('ferry://police/sys3', 'police-sys3'));
  t.equal((await send(base, other, 'extranet/archive', Buffer.from('x'))).status, 202, 'another system is not held by sys1\'s count');
});
