import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

// `ferry policy check|test` as an operator runs them: a child process, its
// output and its exit code (0 allow / ok, 1 deny / failures, 2 usage or policy error).

const ferry = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const example = join(root, 'policies/examples/default.yaml');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ferry, 'policy', ...args], { cwd: root }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

t.test('check', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ok = await run(['check', example, join(root, 'policies/examples/office-hours.yaml'), join(root, 'policies/examples/relay-gateway.yaml')]);
  t.equal(ok.code, 0);
  t.match(ok.stdout, /default\.yaml: ok: policy police-to-extranet, 9 rules, sha256 [0-9a-f]{64}/);
  const broken = join(dir, 'broken.yaml');
  await writeFile(broken, 'policy: p\nnetworks: [police]\nrules:\n  - id: a\n    effect: allow\n    description: x\n    match: { to: extranet/* }\n');
  const bad = await run(['check', example, broken]);
  t.equal(bad.code, 1, 'exit 1 when a file has an error');
  t.match(bad.stdout, `${broken}:7:18: error: unknown network 'extranet' (the policy declares police)`);
  t.equal((await run(['check'])).code, 2, 'no file is a usage error');
  t.equal((await run(['check', join(dir, 'missing.yaml')])).code, 1);
});

t.test('test: allow, deny, explanation, JSON', async (t) => {
  const allow = await run(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--label', 'internal']);
  t.equal(allow.code, 0, 'exit 0 on allow');
  t.match(allow.stdout, /verdict: allow\nrule: allow-police-to-extranet/);
  t.match(allow.stdout, /obligations: retainDays=30/);

  const deny = await run(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--finding', 'personal-data:cn-mobile:3']);
  t.equal(deny.code, 1, 'exit 1 on deny');
  t.match(deny.stdout, /rule: deny-personal-data/);
  t.match(deny.stdout, /findings that counted:\n {2}personal-data cn-mobile ×3/);
  t.match(deny.stdout, /also matched: allow-police-to-extranet \(allow\)/);
  t.match(deny.stdout, /allow-sensitive-to-recipients \(allow, line \d+\): the destination is extranet\/social-insurance or extranet\/health-insurance — it was extranet\/archive; the label is sensitive — it was internal/);

  const before = await run(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--label', 'sensitive', '--json']);
  t.equal(before.code, 1);
  const j = JSON.parse(before.stdout);
  t.equal(j.stage, 'before', 'denied before content');
  t.equal(j.decision.rule, null);
  t.match(j.decision.policyHash, /^[0-9a-f]{64}$/);
  t.ok(j.close.some((c: { rule: string }) => c.rule === 'allow-police-to-extranet'), 'the near miss on the label is explained');
});

t.test('test --file runs the inspectors on a sample', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const sample = join(dir, 'minutes.txt');
  const content = 'Minutes of the weekly meeting. Nothing to report.\n';
  await writeFile(sample, content);
  const r = await run(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--file', sample, '--json']);
  t.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  t.equal(j.facts.size, Buffer.byteLength(content), 'the size is the one the inspection counted');
  t.equal(j.facts.filename, 'minutes.txt');
  t.equal(j.stage, 'after');
  t.equal((await run(['test', example, '--from', 'police/a', '--to', 'extranet/b', '--file', join(dir, 'nope.txt')])).code, 2, 'an unreadable sample is a usage error');

  // A marking the real inspector finds: the policy denies on it, and names it.
  const marked = join(dir, 'notice.txt');
  await writeFile(marked, '关于工作安排的通知（机密★）\n');
  const m = await run(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--file', marked, '--json']);
  t.equal(m.code, 1, m.stderr);
  const mj = JSON.parse(m.stdout);
  t.equal(mj.decision.rule, 'deny-classified-marking');
  t.match(mj.decision.findings, [{ kind: 'classified-marking' }]);
});

t.test('test: usage and policy errors exit 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cases: Array<[string, string[]]> = [
    ['bad --from', ['test', example, '--from', 'police', '--to', 'extranet/a']],
    ['missing --to', ['test', example, '--from', 'police/a']],
    ['bad label', ['test', example, '--from', 'police/a', '--to', 'extranet/a', '--label', 'secret']],
    ['bad finding', ['test', example, '--from', 'police/a', '--to', 'extranet/a', '--finding', 'gossip']],
    ['bad time', ['test', example, '--from', 'police/a', '--to', 'extranet/a', '--time', 'noon']],
    ['unknown option', ['test', example, '--from', 'police/a', '--to', 'extranet/a', '--colour', 'red']],
    ['two policies', ['test', example, example, '--from', 'police/a', '--to', 'extranet/a']],
  ];
  const results = await Promise.all(cases.map(([, args]) => run(args)));
  cases.forEach(([name], i) => t.equal(results[i]!.code, 2, name));
  const broken = join(dir, 'broken.yaml');
  await writeFile(broken, 'policy: p\n');
  const r = await run(['test', broken, '--from', 'police/a', '--to', 'extranet/a']);
  t.equal(r.code, 2, 'a broken policy');
  t.match(r.stderr, `${broken}:1:1: error: the document is missing the required field 'networks'`);
});

t.test('test --suite: cases and rule coverage', async (t) => {
  const ok = await run(['test', '--suite', join(root, 'policies/examples/default.test.yaml'), join(root, 'policies/examples/office-hours.test.yaml'), join(root, 'policies/examples/relay-gateway.test.yaml')]);
  t.equal(ok.code, 0, ok.stdout + ok.stderr);
  t.match(ok.stdout, /29 of 29 cases passed/);
  t.match(ok.stdout, /rule coverage of .*default\.yaml: 9 of 9 rules decided some case/);
  t.match(ok.stdout, /rule coverage of .*office-hours\.yaml: 7 of 7 rules decided some case/);
  t.match(ok.stdout, /rule coverage of .*relay-gateway\.yaml: 5 of 5 rules decided some case/);

  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const suite = join(dir, 'mine.test.yaml');
  await writeFile(suite, `policy: ${example}
cases:
  - name: internal goes through
    from: police/a
    to: extranet/b
    label: internal
    expect: { verdict: allow, rule: allow-police-to-extranet }
  - name: a wrong expectation
    from: police/a
    to: extranet/b
    findings: [{ kind: malware }]
    expect: { verdict: allow }
`);
  const bad = await run(['test', '--suite', suite]);
  t.equal(bad.code, 1, 'exit 1 when a case fails');
  t.match(bad.stdout, /FAIL .*mine\.test\.yaml:8: a wrong expectation: expected allow, got deny/);
  t.match(bad.stdout, /1 of 2 cases passed/);
  t.match(bad.stdout, /not exercised: allow-sensitive-to-recipients, deny-classified-marking, deny-av-unavailable, deny-personal-data, deny-uninspectable-archive, deny-uninspectable, deny-type-mismatch/);

  const malformed = join(dir, 'bad.test.yaml');
  await writeFile(malformed, `policy: ${example}\ncases:\n  - name: x\n    from: police/a\n    expect: { verdict: maybe }\n`);
  const m = await run(['test', '--suite', malformed]);
  t.equal(m.code, 2);
  t.match(m.stderr, /bad\.test\.yaml:3:5: error: 'cases\.0' is missing the required field 'to'/);
});

t.test('in Chinese: check, test and --suite say their results in the reader\'s language; rule ids, verdicts, ok/FAIL and exit statuses as they are', async (t) => {
  const zh = (args: string[]) => run(['--lang', 'zh-CN', ...args]);
  const [check, deny, allow, suite] = await Promise.all([
    zh(['check', example]),
    zh(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--finding', 'personal-data:cn-mobile:3']),
    zh(['test', example, '--from', 'police/records', '--to', 'extranet/archive', '--label', 'internal']),
    zh(['test', '--suite', join(root, 'policies/examples/default.test.yaml')]),
  ]);
  t.equal(check.code, 0);
  t.match(check.stdout, /default\.yaml: ok：策略 police-to-extranet，9 条规则，sha256 [0-9a-f]{64}/);
  t.equal(deny.code, 1, 'deny still exits 1');
  t.match(deny.stdout, /^阶段：内容检查之后$/m);
  t.match(deny.stdout, /^裁决：deny\n规则：deny-personal-data\n理由：由规则 'deny-personal-data' 拒绝：Personal data may cross only labelled sensitive, to an entitled system（3 个 personal-data 类发现）。$/m, "the reason's frame in Chinese, the rule's description as its author wrote it");
  t.match(deny.stdout, /计入裁决的发现：\n {2}personal-data cn-mobile ×3/);
  t.match(deny.stdout, /同样匹配：allow-police-to-extranet \(allow\)/);
  t.match(deny.stdout, /接近匹配的规则：\n( {2}.*\n)* {2}allow-sensitive-to-recipients（allow，第 \d+ 行）：目的地为 extranet\/social-insurance 或 extranet\/health-insurance — 实际为 extranet\/archive；标签为 sensitive — 实际为 internal$/m, 'the unmet conditions in Chinese, the values as they are');
  t.match(deny.stdout, /deny-classified-marking（deny，第 \d+ 行）：存在 classified-marking 类发现 — 实际发现 0 个/);
  t.notMatch(deny.stdout, /verdict:|findings that counted|also matched|came close|it was|found \d/);
  t.equal(allow.code, 0);
  t.match(allow.stdout, /附加义务：retainDays=30/);
  t.match(allow.stdout, /^理由：由规则 'allow-police-to-extranet' 允许：/m);
  t.match(allow.stdout, /^策略：sha256 [0-9a-f]{64}$/m);
  t.equal(suite.code, 0, suite.stderr);
  t.match(suite.stdout, /^ok {3}\S+default\.test\.yaml:\d+: .*（(allow|deny)，规则 \S+）$/m, 'the first word stays ok');
  t.match(suite.stdout, /^(\d+) 个用例中通过 \1 个$/m);
  t.match(suite.stdout, /的规则覆盖：\d+ 条规则中有 \d+ 条决定过用例/);
  const usage = await zh(['test', example, example, '--from', 'police/a', '--to', 'extranet/a']);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /请只给出一个策略文件/);
});

t.test('every command has help with an example', async (t) => {
  const cmds = ['check', 'test', 'replay'];
  const results = await Promise.all(cmds.map((cmd) => run([cmd, '--help'])));
  t.match((await run(['--help'])).stdout, /Examples:/, 'policy --help has examples');
  for (const [i, cmd] of cmds.entries()) {
    const r = results[i]!;
    t.equal(r.code, 0, `${cmd} --help exits 0`);
    t.match(r.stdout, /Example/, `${cmd} --help has an example`);
  }
});
