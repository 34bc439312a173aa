// A gateway process killed (-9) with messages in flight and a subscriber cut off
// in the middle of a batch: the application, dropping a repeat by its sequence
// number, keeps every accepted message once, in order.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { within } from './helpers/channels.js';
import { clientFor, gatewayYaml, startDestination, startGatewayProcess, until, type GatewayProcess } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { publishAll, runApp } from './helpers/subscriber-app.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

/** A few thousand, not 10,000: the test machine has 2 shared cores (FERRY_TEST_MESSAGES to change). */
const N = Number(process.env.FERRY_TEST_MESSAGES ?? 2000);
// A kill -9 and a restart with thousands of messages take minutes on a loaded 2-core machine.
t.setTimeout(900_000);

t.test(`${N} messages: a subscriber cut off mid-batch and a gateway kill -9 in flight; each kept once, in order`, async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const feed = await pki.issue('ferry://extranet/feed', 'extranet-feed-load');
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sub-crash-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), SUB_POLICY);
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: dest.port, destinations: SUB_DESTINATIONS }));
  let gw: GatewayProcess = await startGatewayProcess(config);
  t.teardown(() => gw.kill9());
  const sys1 = pki.system('ferry://police/sys1');

  const app = runApp(pki, feed, () => gw.ports.extranet!, 'cases', N);
  t.teardown(() => app.stop());
  let killed: Promise<void> | null = null;
  let droppedOnce = false;
  const answered = await publishAll(pki, sys1, () => gw.ports.police!, 'cases', 'extranet/feed', N, (count) => {
    if (!droppedOnce && app.kept.length >= 250) {
      droppedOnce = true;
      app.drop(); // in the middle of a batch: up to 99 kept but not acked
    }
    if (!killed && count >= N / 3) {
      killed = (async () => {
        await gw.kill9();
        gw = await startGatewayProcess(config);
      })();
    }
  });
  await killed;
  t.equal(answered.size, N, `all ${N} answered 202 (some after the restart, by idempotency key)`);
  await within(app.done, 240_000, `the application to keep ${N} messages`);
  app.stop();
  t.ok(droppedOnce, 'the subscriber was cut off once mid-batch');
  t.ok(app.connections >= 3, `the subscriber reconnected (${app.connections} connections)`);
  t.ok(app.repeats > 0, `unacknowledged messages came again (${app.repeats} repeats, dropped by sequence)`);
  t.equal(app.kept.length, N);
  const firstWrong = app.kept.findIndex((b, i) => b !== `m${i}`);
  t.equal(firstWrong, -1, 'each message kept exactly once, in publication order');

  const sender = clientFor(t, pki, sys1);
  const last = answered.get(N - 1)!;
  await until(async () => {
    const res = await request(`https://127.0.0.1:${gw.ports.police}/v1/transfers/${last}`, { dispatcher: sender });
    return ((await res.body.json()) as { state: string }).state === 'delivered';
  }, 'the last message settled as delivered');
});

