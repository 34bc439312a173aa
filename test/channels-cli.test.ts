// `ferry publish` and `ferry subscribe` as a user runs them: child processes
// against a real gateway over mutual TLS. What is handed on, what is
// acknowledged, and the exit status are what is checked.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

interface Run { code: number; stdout: string; stderr: string }

function ferry(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FERRY, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(stdin ?? '');
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const pki = await makePki();
const dest = await startDestination(t, pki);
const fx = await startTestGateway(t, { destinationPort: dest.port, policyText: SUB_POLICY, destinations: SUB_DESTINATIONS });
const feed = await pki.issue('ferry://extranet/feed', 'extranet-feed-cli');
const work = await mkdtemp(join(tmpdir(), 'ferry-channels-cli-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const sys1 = pki.system('ferry://police/sys1');
const police = { FERRY_GATEWAY: fx.url('police'), FERRY_CERT: sys1.certPath, FERRY_KEY: sys1.keyPath, FERRY_CA: pki.caCertPath };
const extranet = { FERRY_GATEWAY: fx.url('extranet'), FERRY_CERT: feed.certPath, FERRY_KEY: feed.keyPath, FERRY_CA: pki.caCertPath };
const waiting = async (ch: string) => (await fx.gw.context.queue.messages.head('extranet/feed', ch)).backlogCount;

t.test('publish lines from stdin; subscribe --out writes each durably, then acks', async (t) => {
  const pub = await ferry(['publish', '--channel', 'cases', '--to', 'extranet/feed', '--label', 'public'], police, 'first case\nsecond case\n\nthird case\n');
  t.equal(pub.code, 0, pub.stderr);
  t.match(pub.stdout, /^1 accepted [0-9a-f-]{36}\n2 accepted .*\n3 accepted /, 'one message per non-empty line');
  t.match(pub.stderr, /3 accepted, 0 refused/);
  const out = join(work, 'in');
  const sub = await ferry(['subscribe', '--channel', 'cases', '--out', out, '--max', '3'], extranet);
  t.equal(sub.code, 0, sub.stderr);
  t.same((await readdir(out)).filter((f) => f.endsWith('.msg')).sort(), ['000000000001.msg', '000000000002.msg', '000000000003.msg']);
  t.equal(await readFile(join(out, '000000000002.msg'), 'utf8'), 'second case');
  t.equal((await readFile(join(out, '.ferry-subscribe-cases'), 'utf8')).trim(), '3', 'the state file holds the last sequence handed on');
  await until(async () => (await waiting('cases')) === 0, 'all three acknowledged');
});

t.test('publish a file as one message; a refused one exits 1 with its rule', async (t) => {
  const f = join(work, 'notice.json');
  await writeFile(f, JSON.stringify({ case: 42, note: '例会改到周三' }));
  const ok = await ferry(['publish', '--channel', 'notices', '--to', 'extranet/feed', '--content-type', 'application/json', f], police);
  t.equal(ok.code, 0, ok.stderr);
  const marked = join(work, 'marked.txt');
  await writeFile(marked, '【机密★】专案进展');
  const refused = await ferry(['publish', '--channel', 'notices', '--to', 'extranet/feed', marked], police);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /FERRY_CONTENT_DENIED/);
  t.match(refused.stderr, /deny-classified-marking/);
  const sub = await ferry(['subscribe', '--channel', 'notices', '--jsonl', '--max', '1'], extranet);
  t.equal(sub.code, 0, sub.stderr);
  const m = JSON.parse(sub.stdout.trim()) as { seq: number; content_type: string; body: string; source: string };
  t.equal(m.seq, 1);
  t.equal(m.content_type, 'application/json');
  t.same(JSON.parse(m.body), { case: 42, note: '例会改到周三' });
  t.equal(m.source, 'police/sys1');
});

t.test('subscribe --exec acknowledges only when the command exits 0', async (t) => {
  const pub = await ferry(['publish', '--channel', 'jobs', '--to', 'extranet/feed', '--label', 'public'], police, 'ok-1\nfail-2\nok-3\n');
  t.equal(pub.code, 0, pub.stderr);
  const log = join(work, 'exec.log');
  // Appends "<seq> <body>" and fails on a body starting with "fail" unless $PASS is set.
  const cmd = `body=$(cat); echo "$FERRY_SEQ $body" >> ${log}; case "$body" in fail*) [ -n "$PASS" ] ;; esac`;
  const first = await ferry(['subscribe', '--channel', 'jobs', '--exec', cmd, '--max', '3'], extranet);
  t.equal(first.code, 1, 'a failed command stops the subscription');
  t.match(first.stderr, /the command exited 1 on message 2/);
  await until(async () => (await waiting('jobs')) === 2, 'message 1 acknowledged, 2 and 3 not');
  const second = await ferry(['subscribe', '--channel', 'jobs', '--exec', cmd, '--max', '2'], { ...extranet, PASS: '1' });
  t.equal(second.code, 0, second.stderr);
  t.same((await readFile(log, 'utf8')).trim().split('\n'), ['1 ok-1', '2 fail-2', '2 fail-2', '3 ok-3'], 'message 2 came again; 1 did not');
  await until(async () => (await waiting('jobs')) === 0, 'all acknowledged');
});

t.test('usage errors exit 2', async (t) => {
  const r = await ferry(['subscribe', '--channel', 'Bad Name'], extranet);
  t.equal(r.code, 2);
  const both = await ferry(['subscribe', '--channel', 'x', '--out', work, '--jsonl'], extranet);
  t.equal(both.code, 2);
  t.match(both.stderr, /choose one of/);
});
