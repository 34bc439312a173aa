// `ferry send`, `ferry status`, `ferry receive` as a user runs them: the
// commands in child processes, against a real gateway on 127.0.0.1
// with mTLS and the example policy. What a user sees on stdout and stderr,
// and the exit status, is what is checked.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { textBody } from './helpers/text-body.js';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Connection, resolveConnectionOptions } from '../client/connection.js';
import { listInbox } from '../client/receive.js';
import { startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

// A program that holds only the client commands, registered exactly as
// bin/ferry.ts does: the same code path, without loading every other part of
// Ferry into each child (and without one part's work in progress breaking these tests).
const COMMANDS_URL = new URL('../client/commands.js', import.meta.url).href;
const COMMANDER_URL = import.meta.resolve('commander');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function ferry(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: only what the test gives, so a developer's FERRY_* cannot leak in.
    execFile(process.execPath, [FERRY, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const pki = await makePki();
const dest = await startDestination(t, pki);
const fx = await startTestGateway(t, { destinationPort: dest.port });
const work = await mkdtemp(join(tmpdir(), 'ferry-client-cli-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const FERRY = join(work, 'ferry-client.mjs');
await writeFile(FERRY, `import { Command } from ${JSON.stringify(COMMANDER_URL)};
import { register as registerClientCommands } from ${JSON.stringify(COMMANDS_URL)};
const program = new Command('ferry');
registerClientCommands(program);
await program.parseAsync(process.argv);
`);
const signingPub = join(fx.gw.dataDir, 'keys', 'signing.pub');

function envFor(id: string, network: string): Record<string, string> {
  const c = pki.system(id);
  return { FERRY_GATEWAY: fx.url(network), FERRY_CERT: c.certPath, FERRY_KEY: c.keyPath, FERRY_CA: pki.caCertPath };
}
const police = envFor('ferry://police/sys1', 'police');
const portal = envFor('ferry://extranet/portal', 'extranet');

t.test('send, status, receive: a file crosses and arrives byte for byte under its name', async (t) => {
  const body = textBody(300_000);
  const file = join(work, 'quarterly figures.bin');
  await writeFile(file, body);

  const sent = await ferry(['send', file, '--to', 'extranet/portal', '--verify-key', signingPub, '--json'], police);
  t.equal(sent.code, 0, sent.stderr);
  const answer = JSON.parse(sent.stdout) as { id: string; state: string; receipt: { sha256: string; size: number }; signature_verified: boolean };
  t.match(answer.state, /^(accepted|queued)$/);
  t.equal(answer.receipt.sha256, sha(body));
  t.equal(answer.receipt.size, body.length);
  t.equal(answer.signature_verified, true, 'the receipt verified with the gateway\'s signing.pub');

  const human = await ferry(['status', answer.id], police);
  t.equal(human.code, 0, human.stderr);
  t.match(human.stdout, new RegExp(`transfer:\\s+${answer.id}`));
  t.match(human.stdout, /state:\s+(accepted|queued|forwarding)/);

  // The forwarder holds it for pull; wait until the inbox offers it.
  const conn = new Connection(await resolveConnectionOptions({}, portal));
  t.teardown(() => conn.close());
  await until(async () => (await listInbox(conn)).some((e) => e.id === answer.id), 'the transfer in extranet/portal\'s inbox');

  const out = join(work, 'portal-in');
  const got = await ferry(['receive', '--out', out, '--verify-key', signingPub], portal);
  t.equal(got.code, 0, got.stderr);
  t.match(got.stdout, new RegExp(`received ${answer.id} .*sha256 ${sha(body)} checked`));
  t.match(got.stderr, /1 received, 0 failed/);
  t.same(await readdir(out), ['quarterly figures.bin']);
  t.equal(sha(await readFile(join(out, 'quarterly figures.bin'))), sha(body));

  const after = await ferry(['status', answer.id, '--json', '--verify-key', signingPub], police);
  t.equal(after.code, 0, after.stderr);
  const st = JSON.parse(after.stdout) as { state: string; signatures_verified: unknown };
  t.equal(st.state, 'delivered');
  t.same(st.signatures_verified, { accepted: true, delivered: true }, 'both receipts verified against the status');

  const again = await ferry(['receive', '--out', out], portal);
  t.equal(again.code, 0);
  t.match(again.stderr, /0 received, 0 failed/, 'an acknowledged transfer is not offered again');
});

t.test('receive --follow picks up what arrives and stops cleanly on Ctrl-C', async (t) => {
  const out = join(work, 'follow-in');
  const child = spawn(process.execPath, [FERRY, 'receive', '--out', out, '--follow', '--interval', '0.1'], { env: { PATH: process.env.PATH ?? '', ...portal } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const receivedOne = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('received ')) resolve();
    });
  });
  // Sent after the receiver is already polling.
  await writeFile(join(work, 'late.txt'), 'arrives while following\n');
  const sent = await ferry(['send', join(work, 'late.txt'), '--to', 'extranet/portal'], police);
  t.equal(sent.code, 0, sent.stderr);
  await receivedOne;
  child.kill('SIGINT');
  t.equal(await exited, 0, stderr);
  t.match(stderr, /1 received, 0 failed/);
  t.same(await readdir(out), ['late.txt']);
  t.equal(await readFile(join(out, 'late.txt'), 'utf8'), 'arrives while following\n');
});

t.test('a refusal before the body is read: code and sentence on stderr, exit 1', async (t) => {
  // 16 MiB so the upload is still going when the gateway refuses and closes.
  const file = join(work, 'big.bin');
  await writeFile(file, Buffer.alloc(16 * 1024 * 1024, 1));
  // Sensitive data may go only to the entitled recipients: no rule allows this.
  const r = await ferry(['send', file, '--to', 'extranet/portal', '--label', 'sensitive'], police);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stderr, /refused: FERRY_POLICY_DENIED \(HTTP 403\)\n  \S[^\n]+\n/, 'the code, then the gateway\'s sentence');
  t.notMatch(r.stderr, /ECONNRESET|EPIPE|socket/i, 'the gateway\'s answer, not a socket error');
  t.equal(r.stdout, '');
});

t.test('a refusal after inspection names the rule and the finding', async (t) => {
  const file = join(work, 'people.txt');
  // A resident id with a valid GB 11643 check digit, inside ordinary text.
  await writeFile(file, 'Name: Zhang San\nID: 11010519491231002X\n');
  const r = await ferry(['send', file, '--to', 'extranet/portal', '--json'], police);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stderr, /refused: FERRY_CONTENT_DENIED \(HTTP 422\)/);
  t.match(r.stderr, /rule: deny-personal-data/);
  t.match(r.stderr, /finding: personal-data\/cn-resident-id/);
  t.notMatch(r.stderr, /11010519491231002X/, 'the personal data itself is not echoed');
  const j = JSON.parse(r.stdout) as { refused: { code: string; rule: string; findings: { kind: string }[] } };
  t.equal(j.refused.code, 'FERRY_CONTENT_DENIED');
  t.equal(j.refused.rule, 'deny-personal-data');
  t.equal(j.refused.findings[0]?.kind, 'personal-data');
});

// (The library tests in client.test.ts cover each usage and trust mistake; here, that the program exits 2 for them.)
t.test('usage and connection errors exit 2 with a sentence', async (t) => {
  const file = join(work, 'small.txt');
  await writeFile(file, 'small\n');
  const noTo = await ferry(['send', file], police);
  t.equal(noTo.code, 2);
  t.match(noTo.stderr, /--to/);

  const noCert = await ferry(['send', file, '--to', 'extranet/portal'], { ...police, FERRY_CERT: '' });
  t.equal(noCert.code, 2);
  t.match(noCert.stderr, /no client certificate: pass --cert or set FERRY_CERT/);

  // A port with nothing behind it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const down = await ferry(['send', file, '--to', 'extranet/portal', '--gateway', `https://127.0.0.1:${port}`], police);
  t.equal(down.code, 2);
  t.match(down.stderr, /cannot reach the gateway at https:\/\/127\.0\.0\.1:\d+: nothing is listening there/);
});

t.test('a transfer id that is not yours is a refusal, exit 1', async (t) => {
  const r = await ferry(['status', '01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f'], police);
  t.equal(r.code, 1);
  t.match(r.stderr, /refused: FERRY_NOT_FOUND \(HTTP 404\)/);
});

t.test('every command has --help with an example', async (t) => {
  for (const cmd of ['send', 'status', 'receive']) {
    const r = await ferry([cmd, '--help']);
    t.equal(r.code, 0, cmd);
    t.match(r.stdout, /Example:\n\s+ferry /, `${cmd} --help shows an example`);
  }
});
