// Regression: the province run once ended "unknown" with one message never
// answered. Its sender kept the channel WebSocket between messages; when the
// gateway was killed while the sender waited for the next message's time, the
// next send went to a closed socket, which ws drops without an error, and the
// sender waited 60 s for an answer that could not come, past the run's
// give-up time. The sender now opens a closed channel anew before sending.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { newOutcome, sendMessages, type SystemEndpoint } from '../simulator/senders.js';
import type { Item } from '../simulator/workload.js';
import { freePort } from './helpers/chain.js';
import { gatewayYaml, startDestination, startGatewayProcess, until, type GatewayProcess } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

function message(i: number, atMs: number): Item {
  const body = Buffer.from(`第${i}号通知：明天上午九点开会。`);
  return {
    id: randomUUID(), workload: 0, route: 'police/sys1 → extranet/archive', kind: 'message', from: 'police/sys1', to: 'extranet/archive', label: 'internal',
    expect: 'cross', refuseKind: null, filename: `m${i}.txt`, contentType: 'text/plain; charset=utf-8', channel: 'notices', size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'), atMs, body,
  };
}

t.test('a channel the gateway closed between two messages is opened anew, not written to', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sim-sender-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  const config = join(dir, 'gateway.yaml');
  const ports = { police: await freePort(), extranet: await freePort(), social: await freePort() };
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: dest.port, ports }));
  let gw: GatewayProcess = await startGatewayProcess(config);
  t.teardown(() => gw.kill9());

  // The run's clock is the test's: the second message is due only once the gateway is back.
  let now = 0;
  const sys1 = pki.system('ferry://police/sys1');
  const ep: SystemEndpoint = {
    gateway: 'gw1', url: new URL(`https://127.0.0.1:${ports.police}`), creds: { certPem: sys1.cert, keyPem: sys1.key, caPem: pki.caCert },
    receiptKeyPem: await readFile(join(dir, 'data', 'keys', 'signing.pub'), 'utf8'),
  };
  const outcomes = [newOutcome(message(0, 0), 'gw1'), newOutcome(message(1, 1), 'gw1')];
  const sending = sendMessages({ clock: () => now, giveUpAt: () => Number.POSITIVE_INFINITY, outbox: dir, stopped: () => false }, ep, outcomes, 'notices');

  await until(() => outcomes[0]!.state === 'accepted', 'the first message answered');
  await gw.kill9(); // the channel is cut while the sender waits for the second message's time
  gw = await startGatewayProcess(config);
  now = 1;
  await sending;

  t.equal(outcomes[1]!.state, 'accepted', 'the second message is answered by the restarted gateway');
  t.notMatch(String(outcomes[1]!.lastError), /no answer within/, 'without waiting for an answer on a closed channel');
  t.ok(outcomes[1]!.receiptVerified, "with the restarted gateway's receipt");
  await dest.waitFor(2, 60_000);
  t.equal(dest.received.length, 2, 'both messages delivered');
});
