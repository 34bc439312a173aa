import { createHash } from 'node:crypto';
import t from 'tap';
import type { Finding } from '../protocol/findings.js';
import { loadPolicyText } from '../policies/load-policy.js';
import { CounterStore } from '../policies/rate-counters.js';
import type { TransferFacts } from '../policies/types.js';

// The semantics table of docs/policy-language.md: deny beats allow, default
// deny, globs, content deferral, windows across midnight and zones, limits at
// and over the edge, shadow rules, obligations.

const POLICY = `policy: semantics
networks: [police, extranet, social]
zone: Asia/Shanghai
lists:
  pd: [extranet/hr]
rules:
  - id: allow-pe
    effect: allow
    description: Police to extranet, public and internal.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
    obligations: { retainDays: 30 }
  - id: allow-sensitive-hr
    effect: allow
    description: Sensitive to HR.
    match: { from: police/*, to: $pd, label: sensitive }
    obligations: { retainDays: 90, requirePull: true }
  - id: deny-blocked
    effect: deny
    description: This system is blocked.
    match: { from: police/blocked }
  - id: deny-classified
    effect: deny
    description: Classified markings never cross.
    when: { finding: classified-marking }
  - id: deny-pd
    effect: deny
    description: Personal data only sensitive to HR.
    when: { finding: personal-data, countOver: 2 }
    unless: { label: sensitive, to: $pd }
  - id: deny-exe
    effect: deny
    description: No executables.
    match: { type: [application/x-msdownload] }
  - id: allow-glob
    effect: allow
    description: Apps to tax or stats.
    match: { from: "social/app-?", to: "extranet/{tax,stats}", label: public }
  - id: allow-scan-pdf
    effect: allow
    description: The scanner sends PDFs only.
    match: { from: social/scan, to: extranet/*, type: application/pdf }
  - id: allow-night
    effect: allow
    description: Batch at night, Monday to Friday evenings.
    match: { from: social/batch, to: extranet/* }
    window: { days: mon-fri, hours: "22:00-06:00" }
  - id: allow-berlin
    effect: allow
    description: Berlin office hours.
    match: { from: social/berlin, to: extranet/* }
    window: { hours: "09:00-17:00", zone: Europe/Berlin }
  - id: limit-rate
    effect: deny
    description: Three a minute.
    match: { from: police/* }
    limit: { transfers: 3, per: minute, by: principal }
  - id: limit-bytes
    effect: deny
    description: A thousand bytes an hour.
    match: { from: police/bulk }
    limit: { bytes: 1000, per: hour, by: route }
  - id: shadow-internal
    effect: deny
    mode: shadow
    description: Trying out a deny on internal data.
    match: { label: internal }
`;

const T0 = '2026-11-24T02:00:00.000Z'; // a Tuesday, 10:00 in Shanghai

function load(counters?: CounterStore) {
  const r = loadPolicyText(POLICY, 'semantics.yaml', counters ? { counters } : {});
  if (!r.engine) throw new Error(r.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return r.engine;
}

const facts = (o: Partial<TransferFacts> = {}): TransferFacts => ({
  kind: 'file',
  principal: `ferry://${o.source ?? 'police/a'}`,
  source: 'police/a',
  destination: 'extranet/b',
  label: 'public',
  time: T0,
  ...o,
});

t.test('the policy loads without problems', async (t) => {
  const r = loadPolicyText(POLICY, 'semantics.yaml');
  t.same(r.problems, []);
  t.equal(r.engine?.hash, createHash('sha256').update(POLICY).digest('hex'), 'hash is SHA-256 of the file bytes');
});

t.test('table of decisions', async (t) => {
  const e = load();
  const pd = (n: number): Finding[] => [{ kind: 'personal-data', subkind: 'cn-mobile', count: n }];
  const rows: Array<{ name: string; facts: TransferFacts; stage: 'before' | 'after'; findings?: Finding[]; verdict: 'allow' | 'deny'; rule: string | null }> = [
    { name: 'allow matches', facts: facts(), stage: 'before', verdict: 'allow', rule: 'allow-pe' },
    { name: 'deny beats allow', facts: facts({ source: 'police/blocked', principal: 'ferry://police/blocked' }), stage: 'before', verdict: 'deny', rule: 'deny-blocked' },
    { name: 'default deny: wrong direction', facts: facts({ source: 'extranet/b', destination: 'police/a', principal: 'ferry://extranet/b' }), stage: 'before', verdict: 'deny', rule: null },
    { name: 'default deny: undeclared network', facts: facts({ source: 'mars/x', principal: 'ferry://mars/x' }), stage: 'before', verdict: 'deny', rule: null },
    { name: 'default deny: label not allowed', facts: facts({ label: 'sensitive' }), stage: 'before', verdict: 'deny', rule: null },
    { name: 'glob ? and {a,b} match', facts: facts({ source: 'social/app-1', destination: 'extranet/stats' }), stage: 'before', verdict: 'allow', rule: 'allow-glob' },
    { name: '? is exactly one character', facts: facts({ source: 'social/app-12', destination: 'extranet/tax' }), stage: 'before', verdict: 'deny', rule: null },
    { name: 'braces are whole alternatives', facts: facts({ source: 'social/app-1', destination: 'extranet/taxes' }), stage: 'before', verdict: 'deny', rule: null },
    { name: 'finding rules wait for content', facts: facts(), stage: 'after', findings: [{ kind: 'classified-marking', subkind: '机密', offset: 12 }], verdict: 'deny', rule: 'deny-classified' },
    { name: 'count at the edge is not over', facts: facts(), stage: 'after', findings: pd(2), verdict: 'allow', rule: 'allow-pe' },
    { name: 'count over the edge denies', facts: facts(), stage: 'after', findings: pd(3), verdict: 'deny', rule: 'deny-pd' },
    { name: 'counts add up across findings', facts: facts(), stage: 'after', findings: [...pd(1), { kind: 'personal-data', subkind: 'email' }, { kind: 'personal-data', subkind: 'bank-card' }], verdict: 'deny', rule: 'deny-pd' },
    { name: 'unless: sensitive to the list', facts: facts({ label: 'sensitive', destination: 'extranet/hr' }), stage: 'after', findings: pd(50), verdict: 'allow', rule: 'allow-sensitive-hr' },
    { name: 'sniffed type deny after content', facts: facts({ sniffedType: 'application/x-msdownload', size: 10 }), stage: 'after', verdict: 'deny', rule: 'deny-exe' },
    { name: 'content allow lets the transfer proceed', facts: facts({ source: 'social/scan', principal: 'ferry://social/scan' }), stage: 'before', verdict: 'allow', rule: 'allow-scan-pdf' },
    { name: 'content allow holds on the content', facts: facts({ source: 'social/scan', principal: 'ferry://social/scan', sniffedType: 'application/pdf' }), stage: 'after', verdict: 'allow', rule: 'allow-scan-pdf' },
    { name: 'content allow fails on other content', facts: facts({ source: 'social/scan', principal: 'ferry://social/scan', sniffedType: 'text/plain' }), stage: 'after', verdict: 'deny', rule: null },
    { name: 'content allow never holds on a missing type', facts: facts({ source: 'social/scan', principal: 'ferry://social/scan' }), stage: 'after', verdict: 'deny', rule: null },
  ];
  for (const r of rows) {
    const d = r.stage === 'before' ? e.before(r.facts) : e.after(r.facts, r.findings ?? []);
    t.equal(d.verdict, r.verdict, `${r.name}: verdict`);
    t.equal(d.rule, r.rule, `${r.name}: rule`);
    t.equal(d.policyHash, e.hash, `${r.name}: policy hash`);
    t.match(d.reason, /\S/, `${r.name}: has a reason`);
  }
});

t.test('before never denies on content it has not seen', async (t) => {
  const e = load();
  // deny-exe and deny-pd need content; the allow decides before, and the deny comes after.
  const f = facts();
  t.equal(e.before(f).verdict, 'allow');
  t.equal(e.after({ ...f, sniffedType: 'application/x-msdownload' }, []).rule, 'deny-exe');
});

t.test('a deny names the findings that counted', async (t) => {
  const e = load();
  const findings: Finding[] = [
    { kind: 'keyword', subkind: 'internal-only' },
    { kind: 'classified-marking', subkind: '秘密', offset: 40 },
  ];
  const d = e.after(facts(), findings);
  t.equal(d.rule, 'deny-classified');
  t.same(d.findings, [findings[1]]);
});

t.test('obligations of the allowing rules', async (t) => {
  const e = load();
  t.same(e.before(facts()).obligations, { retainDays: 30 });
  t.same(e.after(facts({ label: 'sensitive', destination: 'extranet/hr' }), []).obligations, { retainDays: 90, requirePull: true });
});

t.test('windows: days and hours in a zone, across midnight', async (t) => {
  const e = load();
  const at = (time: string) => e.before(facts({ source: 'social/batch', principal: 'ferry://social/batch', time })).verdict;
  // Shanghai is UTC+8 all year.
  t.equal(at('2026-11-27T15:00:00Z'), 'allow', 'Friday 23:00 Shanghai: inside, though 15:00 UTC is not');
  t.equal(at('2026-11-27T18:00:00Z'), 'allow', 'Saturday 02:00: the morning of Friday evening\'s window');
  t.equal(at('2026-11-28T15:00:00Z'), 'deny', 'Saturday 23:00: Saturday is not a window day');
  t.equal(at('2026-11-29T18:00:00Z'), 'deny', 'Monday 02:00: Sunday evening\'s window does not exist');
  t.equal(at('2026-11-30T14:00:00Z'), 'allow', 'Monday 22:00: starts at the hour');
  t.equal(at('2026-11-30T13:59:00Z'), 'deny', 'Monday 21:59: not yet');
  t.equal(at('2026-11-30T21:59:00Z'), 'allow', 'Tuesday 05:59: still Monday\'s window');
  t.equal(at('2026-11-30T22:00:00Z'), 'deny', 'Tuesday 06:00: the end is exclusive');
  const berlin = (time: string) => e.before(facts({ source: 'social/berlin', principal: 'ferry://social/berlin', time })).verdict;
  t.equal(berlin('2026-07-01T07:30:00Z'), 'allow', '09:30 in Berlin in summer (UTC+2)');
  t.equal(berlin('2026-01-15T07:30:00Z'), 'deny', '08:30 in Berlin in winter (UTC+1)');
  t.equal(berlin('2026-01-15T15:59:00Z'), 'allow', '16:59 in Berlin in winter');
});

t.test('transfer rate limit at and over the edge', async (t) => {
  const e = load();
  const f = facts({ time: '2026-11-24T02:00:10.000Z' });
  for (let i = 0; i < 2; i++) e.record(f);
  const third = e.before(f);
  t.equal(third.verdict, 'allow', 'two counted, limit three: the third may go');
  t.same(third.counters, { 'transfers/minute:principal=ferry://police/a': 2 });
  e.record(f);
  const fourth = e.before(f);
  t.equal(fourth.verdict, 'deny');
  t.equal(fourth.rule, 'limit-rate');
  t.equal(fourth.limited, true);
  t.ok(fourth.retryAfter! >= 1 && fourth.retryAfter! <= 60, `retryAfter ${fourth.retryAfter} within the minute`);
  t.same(fourth.counters, { 'transfers/minute:principal=ferry://police/a': 3 });
  const other = e.before(facts({ source: 'police/b', principal: 'ferry://police/b', time: f.time }));
  t.equal(other.verdict, 'allow', 'the limit is per principal');
  const later = new Date(Date.parse(f.time) + fourth.retryAfter! * 1000).toISOString();
  t.equal(e.before({ ...f, time: later }).verdict, 'allow', 'allowed again after retryAfter seconds');
  t.equal(e.before({ ...f, time: '2026-11-24T02:01:15.000Z' }).verdict, 'allow', 'a minute later the window has slid past');
});

t.test('volume limit per route at and over the edge', async (t) => {
  const e = load();
  const f = facts({ source: 'police/bulk', principal: 'ferry://police/bulk' });
  e.record({ ...f, size: 600 });
  t.equal(e.before({ ...f, declaredSize: 400 }).verdict, 'allow', '600 + 400 = 1000: at the limit');
  const over = e.before({ ...f, declaredSize: 401 });
  t.equal(over.rule, 'limit-bytes');
  t.equal(over.limited, true);
  t.equal(e.after({ ...f, declaredSize: 10, size: 401 }, []).rule, 'limit-bytes', 'after content the actual size counts');
  t.equal(e.before({ ...f, destination: 'extranet/other' }).verdict, 'allow', 'the limit is per route');
  const huge = e.before({ ...f, declaredSize: 5000 });
  t.equal(huge.verdict, 'deny');
  t.equal(huge.retryAfter, undefined, 'no retry-after when the transfer alone exceeds the limit');
});

t.test('counters are kept outside the compiled policy', async (t) => {
  const counters = new CounterStore();
  const a = load(counters);
  const f = facts();
  for (let i = 0; i < 3; i++) a.record(f);
  const b = load(counters);
  t.equal(b.before(f).rule, 'limit-rate', 'a reloaded policy sees the counts of the old one');
  t.equal(load().before(f).verdict, 'allow', 'a fresh store starts at zero');
});

t.test('counter store stays bounded', async (t) => {
  const s = new CounterStore({ maxKeys: 100 });
  for (let i = 0; i < 1000; i++) s.add(`k${i}`, 'minute', 0, 1);
  t.equal(s.size, 100);
  t.equal(s.get('k999', 'minute', 0), 1, 'recent keys stay');
  t.equal(s.get('k0', 'minute', 0), 0, 'the least recently used went');
});

t.test('shadow rules are reported and never decide', async (t) => {
  const e = load();
  const d = e.before(facts({ label: 'internal' }));
  t.equal(d.verdict, 'allow');
  t.equal(d.rule, 'allow-pe');
  t.same(d.shadow, [{ rule: 'shadow-internal', effect: 'deny' }]);
  t.equal(e.before(facts({ label: 'public' })).shadow, undefined, 'not reported when it does not match');
});

t.test('an all-shadow policy is still default deny', async (t) => {
  const r = loadPolicyText(`policy: s
networks: [a, b]
rules:
  - id: would-allow
    effect: allow
    mode: shadow
    description: Trial.
`, 's.yaml');
  const d = r.engine!.before({ kind: 'message', principal: 'ferry://a/x', source: 'a/x', destination: 'b/y', label: 'public', time: T0 });
  t.equal(d.verdict, 'deny');
  t.equal(d.rule, null);
  t.same(d.shadow, [{ rule: 'would-allow', effect: 'allow' }]);
});

t.test('rules filed by the systems they name decide as a scan in file order would', async (t) => {
  // One network pair; rules filed under an exact source, an exact destination, an exact principal, or none.
  const text = `policy: index
networks: [police, extranet]
rules:
  - id: allow-any-public
    effect: allow
    description: Network-wide.
    match: { from: police/*, label: public }
    obligations: { retainDays: 5 }
  - id: allow-a
    effect: allow
    description: Source a.
    match: { from: [police/a, police/a2], to: extranet/*, label: [public, internal] }
    obligations: { retainDays: 9, requirePull: true }
  - id: deny-to-vault
    effect: deny
    description: Nothing to the vault.
    match: { to: extranet/vault }
  - id: allow-principal-b
    effect: allow
    description: Principal b.
    match: { principal: ferry://police/b, label: internal }
  - id: deny-a-vault-first
    effect: deny
    description: Later than deny-to-vault.
    match: { from: police/a, to: extranet/vault }
  - id: shadow-a
    effect: deny
    mode: shadow
    description: Would deny a.
    match: { from: police/a }
  - id: shadow-any
    effect: allow
    mode: shadow
    description: Would allow all.
`;
  const loaded = loadPolicyText(text, 'index.yaml');
  t.ok(loaded.engine, 'the policy loads');
  const e = loaded.engine!;
  const f = (source: string, destination: string, label: 'public' | 'internal' | 'sensitive'): TransferFacts => ({ kind: 'file', principal: `ferry://${source}`, source, destination, label, time: '2026-11-20T02:00:00.000Z' });
  const a = e.after(f('police/a', 'extranet/x', 'public'), []);
  t.equal(a.rule, 'allow-any-public', 'the first allow in file order names the decision, though it is filed with no system');
  t.same(a.obligations, { retainDays: 9, requirePull: true }, 'and every matching allow adds its obligations, from every list');
  t.same(a.shadow, [{ rule: 'shadow-a', effect: 'deny' }, { rule: 'shadow-any', effect: 'allow' }], 'shadow rules from two lists, in file order');
  t.equal(e.after(f('police/a2', 'extranet/x', 'internal'), []).rule, 'allow-a', 'a rule filed under each of its sources');
  t.equal(e.after(f('police/a', 'extranet/vault', 'internal'), []).rule, 'deny-to-vault', 'the first deny in file order wins across lists');
  t.equal(e.after(f('police/b', 'extranet/x', 'internal'), []).rule, 'allow-principal-b', 'filed by principal');
  t.equal(e.after(f('police/c', 'extranet/x', 'internal'), []).rule, null, 'a system no rule names: the default deny');
});
