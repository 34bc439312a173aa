// `ferry gateway` as its own process announces itself with a structured ready
// signal (a JSON line on stdout, and --ready-file): the one helper that starts
// gateways for tests, benchmarks and the simulator waits for it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startGatewayProcess } from '../gateway/process/gateway-process.js';
import { createDevSetup } from '../gateway/setup/dev-setup.js';
import { parseReadySignal, readySignalLine } from '../protocol/ready-signal.js';

const connects = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port }, () => {
    s.destroy();
    resolve(true);
  });
  s.once('error', () => resolve(false));
});

t.test('the ready signal names the pid, the gateway and every bound port, on stdout and in --ready-file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-ready-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const setup = await createDevSetup(dir);
  const readyFile = join(dir, 'run', 'ready.json');
  await mkdir(join(dir, 'run'));
  const gw = await startGatewayProcess({ config: setup.config, args: ['--ready-file', readyFile] });
  t.teardown(() => gw.kill9());

  t.equal(gw.ready.pid, gw.child.pid);
  t.equal(gw.ready.gateway, 'ferry://gateway/gw1');
  t.same(Object.keys(gw.ready.ports).sort(), ['extranet', 'police']);
  t.not(gw.ready.ports.police, gw.ready.ports.extranet);
  for (const port of [gw.ready.ports.police!, gw.ready.ports.extranet!, gw.ready.admin]) t.ok(await connects(port), `port ${port} is listening`);
  t.same(parseReadySignal(await readFile(readyFile, 'utf8')), gw.ready, 'the file holds the same signal');

  await gw.kill9();
  t.equal(gw.exited, -1, 'killed by a signal');
});

t.test('a gateway that cannot start rejects with its own words, not a hang', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-ready-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, 'name: gw1\nnetworks: 3\n');
  await t.rejects(startGatewayProcess({ config }), /exited 2 before it was ready[\s\S]*gateway\.yaml:/);
});

t.test('only a whole ready line is a ready signal', async (t) => {
  const line = readySignalLine({ pid: 7, gateway: 'ferry://gateway/gw1', ports: { police: 8443 }, admin: 8445 });
  t.same(parseReadySignal(line), { event: 'ready', pid: 7, gateway: 'ferry://gateway/gw1', ports: { police: 8443 }, admin: 8445 });
  t.equal(parseReadySignal(line.slice(0, 30)), null, 'a partial line');
  t.equal(parseReadySignal('{"level":30,"msg":"listening","event":"started"}'), null, 'a log line');
  t.equal(parseReadySignal('{"event":"ready","pid":7,"gateway":"g","ports":{"police":0},"admin":8445}'), null, 'port 0 is not bound');
  t.equal(parseReadySignal('ferry gateway ferry://gateway/gw1 listening: police=8443 admin=8445'), null, 'the human line');
});
