import t from 'tap';
import { loadPolicyText } from '../policies/load-policy.js';

// Every problem an operator can make, with the line and column it points at.

const problems = (text: string) => loadPolicyText(text, 'p.yaml').problems.map((p) => `${p.line}:${p.column} ${p.severity}: ${p.message}`);

t.test('YAML syntax errors carry their position', async (t) => {
  const r = loadPolicyText('policy: p\nnetworks: [a, b\nrules: []\n', 'p.yaml');
  t.equal(r.engine, undefined);
  t.ok(r.problems.length > 0);
  t.equal(r.problems[0]!.file, 'p.yaml');
  t.equal(r.problems[0]!.severity, 'error');
  t.ok(r.problems[0]!.line >= 2, `points at line ${r.problems[0]!.line}`);
});

t.test('duplicate keys are errors', async (t) => {
  t.match(problems('policy: p\npolicy: q\nnetworks: [a]\nrules: []\n'), [/^2:1 error: .*[Mm]ap keys must be unique/]);
});

t.test('schema errors: one per mistake, at the value or key', async (t) => {
  const text = `policy: Bad Name
networks: [police, extranet]
rules:
  - id: a
    effect: permit
    description: x
    match:
      label: secret
      from: police/*
      colour: red
  - id: b
    effect: deny
    match:
      size: { max: 10 parsecs }
      kind: [file, fax]
  - effect: allow
    description: 3
    when: { countOver: -1 }
    window: { hours: "8-18" }
    limit: { transfers: 5, per: fortnight, by: principal }
    obligations: { retainDays: "long" }
extra: 1
`;
  t.same(problems(text), [
    `1:9 error: 'policy' does not have the expected form (^[a-z0-9][a-z0-9_-]{0,62}$)`,
    `5:13 error: 'rules.0.effect' must be one of "allow", "deny"`,
    `8:14 error: 'rules.0.match.label' must be one of "public", "internal", "sensitive"`,
    `10:7 error: unknown field 'colour' in 'rules.0.match'`,
    `11:5 error: 'rules.1' is missing the required field 'description'`,
    `14:20 error: 'rules.1.match.size.max' must be a byte count, such as 1048576 or "100 MiB"`,
    `15:20 error: 'rules.1.match.kind.1' must be one of "file", "message"`,
    `16:5 error: 'rules.2' is missing the required field 'id'`,
    `17:18 error: 'rules.2.description' must be string`,
    `18:11 error: 'rules.2.when' is missing the required field 'finding'`,
    `18:24 error: 'rules.2.when.countOver' must be >= 0`,
    `19:22 error: 'rules.2.window.hours' does not have the expected form (^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$)`,
    `20:33 error: 'rules.2.limit.per' must be one of "minute", "hour", "day"`,
    `21:32 error: 'rules.2.obligations.retainDays' must be integer`,
    `22:1 error: unknown field 'extra' in the document`,
  ]);
});

t.test('missing top-level fields', async (t) => {
  t.same(problems('policy: p\n'), [
    `1:1 error: the document is missing the required field 'networks'`,
    `1:1 error: the document is missing the required field 'rules'`,
  ]);
});

t.test('semantic errors: networks, lists, globs, zones, hours, ids, limits', async (t) => {
  const text = `policy: p
networks: [police, extranet]
zone: Mars/Olympus
lists:
  staff: [extranet/hr, intranet/x]
rules:
  - id: a
    effect: allow
    description: x
    match:
      from: polize/*
      to: extranet/{a,b
  - id: a
    effect: deny
    description: y
    match: { to: $nope, principal: "ferry://police/{x" }
    window: { hours: "25:00-06:00", zone: Europe/Nowhere }
  - id: c
    effect: allow
    description: z
    limit: { transfers: 5, per: minute, by: principal }
  - id: d
    effect: deny
    description: both
    match: { from: "p*/x", to: "q*/y", direction: "police -> moon", size: { min: 2 MiB, max: 1 MiB } }
    limit: { transfers: 5, bytes: 10, per: hour, by: route }
  - id: e
    effect: deny
    description: bare
    match: { from: police }
`;
  t.same(problems(text), [
    `3:7 error: unknown time zone 'Mars/Olympus' (use an IANA name such as Asia/Shanghai)`,
    `5:24 error: unknown network 'intranet' (the policy declares police, extranet)`,
    `11:13 error: unknown network 'polize' (the policy declares police, extranet)`,
    `12:11 error: invalid glob: '{' without '}' in '{a,b'`,
    `13:9 error: duplicate rule id 'a' (first used by rule 1, line 7)`,
    `16:18 error: unknown list 'nope' (declare it under 'lists')`,
    `16:36 error: invalid glob: '{' without '}' in 'ferry://police/{x'`,
    `17:22 error: hours '25:00-06:00' are not times of day`,
    `17:43 error: unknown time zone 'Europe/Nowhere' (use an IANA name such as Asia/Shanghai)`,
    `21:12 error: a limit belongs on a deny rule: the rule denies once the limit is exceeded`,
    `25:32 error: 'q*' matches none of the declared networks (police, extranet)`,
    `25:51 error: unknown network 'moon' (the policy declares police, extranet)`,
    `25:75 error: min (2 MiB) is above max (1 MiB): no transfer can match`,
    `26:12 error: a limit counts either 'transfers' or 'bytes': give exactly one`,
    `30:20 error: 'police' is not of the form <network>/<system> (globs allowed, e.g. police/*)`,
  ]);
  t.equal(loadPolicyText(text, 'p.yaml').engine, undefined, 'no engine when there is an error');
});

t.test('warnings: unreachable and shadowed rules, ignored obligations', async (t) => {
  const text = `policy: p
networks: [police, extranet]
rules:
  - id: all
    effect: allow
    description: all
    match: { from: police/*, to: extranet/* }
  - id: sub
    effect: allow
    description: covered by all
    match: { from: police/a, to: extranet/*, label: public }
  - id: kept
    effect: allow
    description: covered, but adds an obligation
    match: { from: police/a, to: extranet/b }
    obligations: { requirePull: true }
  - id: never
    effect: deny
    description: contradicts itself
    match: { from: police/*, direction: extranet -> police }
  - id: kill
    effect: deny
    description: blocks x
    match: { from: police/x }
    obligations: { retainDays: 3 }
  - id: dead
    effect: allow
    description: cannot allow
    match: { from: police/x, label: public }
  - id: timed
    effect: deny
    description: only at night, so it cannot make 'later' dead
    match: { from: police/y }
    window: { hours: "22:00-06:00" }
  - id: later
    effect: allow
    description: fine
    match: { from: police/y, to: extranet/z }
`;
  const r = loadPolicyText(text, 'p.yaml');
  t.ok(r.engine, 'warnings alone do not stop the policy loading');
  t.same(r.problems.map((p) => `${p.line}:${p.column} ${p.severity}: ${p.message}`), [
    `8:5 warning: rule 'sub' is shadowed: allow rule 'all' (line 4) above it matches every transfer it matches, so it never decides`,
    `17:5 warning: rule 'never' can match no transfer between the declared networks (its from, to and direction contradict each other)`,
    `25:18 warning: obligations apply to allowed transfers; on a deny rule they are ignored`,
    `26:5 warning: rule 'dead' can never allow: deny rule 'kill' (line 21) matches every transfer it matches`,
    `35:5 warning: rule 'later' is shadowed: allow rule 'all' (line 4) above it matches every transfer it matches, so it never decides`,
  ]);
});

t.test('a glob with too many wildcards is a load error, with its line (matching would backtrack on hostile names)', async (t) => {
  const { loadPolicyText } = await import('../policies/load-policy.js');
  const text = `policy: p
networks: [police, extranet]
rules:
  - id: r1
    effect: allow
    description: too many stars
    match: { from: police/*, to: extranet/*a*a*a*a*b }
`;
  const r = loadPolicyText(text, 'p.yaml');
  t.notOk(r.engine, 'not loaded');
  t.ok(r.problems.some((p) => p.severity === 'error' && p.line === 7 && /more than 3 '\*'/.test(p.message)), JSON.stringify(r.problems));
});

// Issue 10 (Simplified Chinese): the same problems, said from the catalogue.
const MIXED = `policy: p
networks: [police, extranet, police]
zone: Mars/Olympus
rules:
  - id: a
    effect: permit
    description: x
    match: { from: polize/*, size: { max: 10 parsecs }, colour: red }
  - id: a
    effect: deny
    description: y
    match: { to: $nope, size: { min: 2 MiB, max: 1 MiB } }
    limit: { transfers: 5, bytes: 10, per: hour, by: route }
  - effect: allow
    description: 3
    when: { countOver: -1 }
`;
const CJK = /[\u4e00-\u9fff]/;

t.test('every problem has a key whose English sentence is the message, and a Chinese sentence', async (t) => {
  const { problemSentence } = await import('../i18n/problem-text.js');
  const schema = loadPolicyText(MIXED, 'p.yaml').problems;
  const semantic = loadPolicyText(MIXED.replace('effect: permit', 'effect: allow').replace(', colour: red', '').replace('{ max: 10 parsecs }', '{ max: 10 MiB }').replace(/  - effect: allow[^]*$/, ''), 'p.yaml').problems;
  const warned = loadPolicyText(`policy: p
networks: [police, extranet]
rules:
  - { id: all, effect: allow, description: all, match: { from: police/*, to: extranet/* } }
  - { id: some, effect: allow, description: some, match: { from: police/a, to: extranet/b } }
`, 'p.yaml').problems;
  t.ok(schema.length >= 7 && semantic.length >= 6 && warned.length === 1, `${schema.length} schema, ${semantic.length} semantic problems, ${warned.length} warning`);
  for (const p of [...schema, ...semantic, ...warned]) {
    if (!p.key) {
      t.fail(`no key: ${p.message}`);
      continue;
    }
    t.equal(problemSentence(p.key, p.params ?? {}, 'en'), p.message, `en catalogue: ${p.key}`);
    const zh = problemSentence(p.key, p.params ?? {}, 'zh-CN');
    t.ok(CJK.test(zh) && !/\{\{/.test(zh), `zh: ${zh}`);
  }
});

t.test('ferry policy check under LANG=zh_CN.UTF-8: Chinese sentences at the same file:line:col, the severity word kept', async (t) => {
  const [{ mkdtemp, rm, writeFile }, { tmpdir }, { join }, { runFerry }] = await Promise.all([
    import('node:fs/promises'), import('node:os'), import('node:path'), import('./helpers/ferry-process.js'),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-problems-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'policy.yaml');
  await writeFile(file, MIXED);
  const [zh, en] = await Promise.all([
    runFerry(['policy', 'check', file], { env: { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } }),
    runFerry(['policy', 'check', file], { env: { LANG: 'C', LC_ALL: '', LC_MESSAGES: '' } }),
  ]);
  t.equal(zh.code, en.code, 'the same exit status');
  t.not(zh.code, 0, 'a broken policy fails');
  const lines = (s: string) => s.split('\n').filter((l) => l.startsWith(file));
  const zl = lines(zh.stdout + zh.stderr);
  const el = lines(en.stdout + en.stderr);
  t.ok(el.length >= 7, `${el.length} problems`);
  t.same(zl.map((l) => /^(.*?:\d+:\d+: (error|warning): )/.exec(l)?.[1]), el.map((l) => /^(.*?:\d+:\d+: (error|warning): )/.exec(l)?.[1]), 'the same file:line:col and severity, in order');
  t.ok(el.some((l) => l.endsWith(`:6:13: error: 'rules.0.effect' must be one of "allow", "deny"`)), 'English unchanged');
  t.ok(zl.some((l) => l.endsWith(`:6:13: error: 'rules.0.effect' 必须是以下之一："allow", "deny"`)), 'must be one of');
  t.ok(zl.some((l) => /:8:\d+: error: 'rules\.0\.match' 中有未知字段 'colour'$/.test(l)), 'unknown field');
  t.ok(zl.some((l) => /:8:\d+: error: 'rules\.0\.match\.size\.max' 必须是字节数/.test(l)), 'a size');
  t.ok(zl.some((l) => /:14:\d+: error: 'rules\.2' 缺少必填字段 'id'$/.test(l)), 'missing field');
  t.ok(zl.every((l) => CJK.test(l.slice(l.indexOf(': error: ') + 1))), 'every sentence in Chinese');
});
