import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EICAR, peExecutable, zip } from './inspect-fixtures.js';
import { startClamd, type Clamd } from './helpers/clamd.js';
import { requires } from './helpers/requires.js';

// `ferry inspect` as an operator runs it: a real child process.

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

function ferry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FERRY, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const noClamd = requires('clamd');
let dir: string;
let clamd: Clamd;
t.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-inspect-cli-'));
  if (!noClamd) clamd = await startClamd();
});
t.teardown(async () => {
  await clamd?.stop();
  await rm(dir, { recursive: true, force: true });
});

t.test('human output: sniffed type and findings, masked; exit 0 whatever was found', async (t) => {
  const f = join(dir, 'memo.txt');
  await writeFile(f, '秘密★1年\n联系人 13812345678\n');
  const pdf = join(dir, 'invoice.pdf');
  await writeFile(pdf, peExecutable());
  const r = await ferry(['inspect', f, pdf]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /memo\.txt: text\/plain, \d+ bytes, 2 findings/);
  t.match(r.stdout, /classified-marking:秘密\s+at byte 0\s+sample 秘密★1年/);
  t.match(r.stdout, /personal-data:cn-mobile\s+at byte \d+\s+sample 138\*\*\*\*5678/);
  t.notMatch(r.stdout, /13812345678/);
  t.match(r.stdout, /invoice\.pdf: application\/x-msdownload.*\n\s+type-mismatch:application\/x-msdownload/);
});

t.test('--json: one object per file with findings carrying kind; --keywords; --clamd', { skip: noClamd }, async (t) => {
  const kw = join(dir, 'keywords.txt');
  await writeFile(kw, '# operator list\n项目代号\n\n');
  const a = join(dir, 'a.txt');
  await writeFile(a, '项目代号：猎鹰');
  const z = join(dir, 'b.zip');
  await writeFile(z, zip([{ name: 'x/eicar.com', data: Buffer.from(EICAR) }]));
  const r = await ferry(['inspect', '--json', '--keywords', kw, '--clamd', `127.0.0.1:${clamd.port}`, a, z]);
  t.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.equal(lines.length, 2);
  t.equal(lines[0].file, a);
  t.same(lines[0].findings.map((f: { kind: string }) => f.kind), ['keyword']);
  t.equal(lines[1].sniffedType, 'application/zip');
  t.ok(lines[1].findings.some((f: { kind: string }) => f.kind === 'malware'));
});

t.test('exit 2 when a file cannot be read; the others are still inspected', async (t) => {
  const a = join(dir, 'ok.txt');
  await writeFile(a, 'fine');
  const r = await ferry(['inspect', '--json', join(dir, 'missing.txt'), a]);
  t.equal(r.code, 2);
  t.match(r.stderr, /cannot read .*missing\.txt: ENOENT/);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.equal(lines[0].error, 'ENOENT');
  t.same(lines[1].findings, []);
  const bad = await ferry(['inspect', '--clamd', 'nonsense', a]);
  t.equal(bad.code, 2);
});

t.test('--help shows an example', async (t) => {
  const r = await ferry(['inspect', '--help']);
  t.equal(r.code, 0);
  t.match(r.stdout, /Examples:\n\s+ferry inspect/);
  t.match(r.stdout, /--json/);
});
