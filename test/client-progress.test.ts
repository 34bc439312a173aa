// `ferry send` and `ferry receive` show throughput and time left on a terminal,
// and nothing of it when their output is piped or with --json. The terminal is
// a real pseudo-terminal (util-linux `script`), the gateway a real one.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FERRY_BIN } from './helpers/ferry-process.js';
import { startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

let hasScript = true;
try {
  execFileSync('script', ['--version'], { stdio: 'ignore' });
} catch {
  hasScript = false;
}

interface Run { code: number | null; out: string; err: string }

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out, err }));
  });
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

t.test('a bar with MiB/s and ETA on a terminal; none when piped or with --json', { skip: hasScript ? false : 'util-linux script(1) is not installed' }, async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, pki });
  const work = await mkdtemp(join(tmpdir(), 'ferry-progress-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  // Plain text, so that the example policy lets it cross (random bytes are uninspectable, and refused).
  const file = join(work, 'big.txt');
  const line = 'The minutes of the meeting, item by item, as agreed.\n';
  await writeFile(file, line.repeat(Math.ceil((3 * 1024 * 1024) / line.length)).slice(0, 3 * 1024 * 1024));
  const sender = pki.system('ferry://police/sys1');
  const portal = pki.system('ferry://extranet/portal');
  const env = (c: { certPath: string; keyPath: string }, network: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH, LANG: 'C', TERM: 'xterm', FERRY_GATEWAY: fx.url(network), FERRY_CERT: c.certPath, FERRY_KEY: c.keyPath, FERRY_CA: pki.caCertPath,
  });
  // `script -qec CMD /dev/null`: CMD runs on a pseudo-terminal; what it writes comes back on stdout.
  const onTty = (args: string[], e: NodeJS.ProcessEnv) => run('script', ['-qec', [process.execPath, FERRY_BIN, ...args].map(shq).join(' '), '/dev/null'], e);

  const tty = await onTty(['send', file, '--to', 'extranet/portal', '--label', 'public', '--content-type', 'text/plain; charset=utf-8'], env(sender, 'police'));
  t.equal(tty.code, 0, tty.out);
  t.match(tty.out, /sending big\.txt \[.*\] +\d+% [\d.]+\/3\.0 MiB [\d.]+ MiB\/s ETA /, 'the bar: share, bytes, throughput, time left');
  t.match(tty.out, /transfer: /);

  const piped = await run(process.execPath, [FERRY_BIN, 'send', file, '--to', 'extranet/portal', '--label', 'public', '--content-type', 'text/plain; charset=utf-8'], env(sender, 'police'));
  t.equal(piped.code, 0, piped.err);
  t.notMatch(piped.err + piped.out, /MiB\/s|ETA/, 'piped: no bar');

  const json = await onTty(['send', file, '--to', 'extranet/portal', '--label', 'public', '--content-type', 'text/plain; charset=utf-8', '--json'], env(sender, 'police'));
  t.equal(json.code, 0, json.out);
  t.notMatch(json.out, /MiB\/s/, '--json on a terminal: no bar either');

  const receive = await onTty(['receive', '--out', join(work, 'in')], env(portal, 'extranet'));
  t.equal(receive.code, 0, receive.out);
  t.match(receive.out, /receiving [0-9a-f]{8} \[.*\] +\d+% [\d.]+\/3\.0 MiB [\d.]+ MiB\/s ETA /, 'receive shows one too');
  t.match(receive.out, /3 received, 0 failed/);
});
