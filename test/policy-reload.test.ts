import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { SourceProblem } from '../protocol/yaml-schema.js';
import { policyHash } from '../policies/load-policy.js';
import { PolicyLoadError, watchPolicy } from '../policies/policy-holder.js';
import type { TransferFacts } from '../policies/types.js';

// Hot reload with real files: on change and on SIGHUP; a broken file keeps the
// old policy in force and says why; counters survive the swap.

const policy = (label: string, limit = 2) => `policy: reload
networks: [police, extranet]
rules:
  - id: allow-${label}
    effect: allow
    description: Police may send ${label} data.
    match: { from: police/*, to: extranet/*, label: ${label} }
  - id: rate
    effect: deny
    description: ${limit} a minute.
    limit: { transfers: ${limit}, per: minute, by: principal }
`;

const facts = (label: TransferFacts['label']): TransferFacts => ({ kind: 'file', principal: 'ferry://police/a', source: 'police/a', destination: 'extranet/b', label, time: '2026-11-24T02:00:00Z' });

/** Calls back into a queue the test can await, one event at a time. */
function events<T>() {
  const queue: T[] = [];
  const waiting: Array<(v: T) => void> = [];
  return {
    push(v: T) {
      const w = waiting.shift();
      if (w) w(v);
      else queue.push(v);
    },
    next(): Promise<T> {
      const v = queue.shift();
      return v !== undefined ? Promise.resolve(v) : new Promise((r) => waiting.push(r));
    },
  };
}

async function setup(t: { teardown(fn: () => unknown): void }, debounceMs = 50) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'policy.yaml');
  await writeFile(file, policy('public'));
  const changes = events<string>();
  const errors = events<SourceProblem[]>();
  const holder = await watchPolicy(file, { debounceMs, onChange: (h) => changes.push(h), onError: (p) => errors.push(p) });
  t.teardown(() => holder.close());
  return { dir, file, holder, changes, errors };
}


t.test('a broken policy at start is refused with its problems', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'p.yaml');
  await writeFile(file, 'policy: p\nnetworks: [a]\nrules: [{ id: x }]\n');
  const err = await watchPolicy(file).catch((e: unknown) => e);
  t.ok(err instanceof PolicyLoadError);
  t.match((err as PolicyLoadError).problems[0], { line: 3, severity: 'error' });
});

t.test('a changed file is swapped in; a broken one keeps the old policy', async (t) => {
  const { file, holder, changes, errors, dir } = await setup(t);
  t.equal(holder.current.before(facts('public')).rule, 'allow-public');
  t.equal(holder.current.before(facts('internal')).verdict, 'deny');

  // Editors write a new file and rename it over the old one.
  const next = policy('internal');
  await writeFile(join(dir, 'policy.yaml.tmp'), next);
  await rename(join(dir, 'policy.yaml.tmp'), file);
  t.equal(await changes.next(), policyHash(next), 'onChange gives the new hash');
  t.equal(holder.current.hash, policyHash(next));
  t.equal(holder.current.before(facts('internal')).rule, 'allow-internal');
  t.equal(holder.current.before(facts('public')).verdict, 'deny');

  const before = holder.current;
  // Written whole and renamed, so the watcher never sees a half-written file.
  const replace = async (text: string) => {
    await writeFile(join(dir, 'policy.yaml.tmp'), text);
    await rename(join(dir, 'policy.yaml.tmp'), file);
  };
  await replace('policy: reload\nnetworks: [police, extranet]\nrules:\n  - id: bad\n    effect: maybe\n    description: x\n');
  const problems = await errors.next();
  t.match(problems, [{ line: 5, column: 13, severity: 'error', message: /must be one of "allow", "deny"/ }], 'onError says why, with the position');
  t.equal(holder.current, before, 'the old policy stays in force');
  t.equal(holder.current.before(facts('internal')).rule, 'allow-internal');

  const fixed = policy('public');
  await replace(fixed);
  t.equal(await changes.next(), policyHash(fixed), 'a fixed file is taken again');
});

t.test('SIGHUP reloads; counters survive the reload', async (t) => {
  // A debounce far longer than the test: only SIGHUP can cause the reload here.
  const { file, holder, changes } = await setup(t, 600_000);
  const f = facts('public');
  holder.current.record(f);
  holder.current.record(f);
  t.equal(holder.current.before(f).rule, 'rate', 'two of two used');

  const next = policy('public', 3);
  await writeFile(file, next);
  process.kill(process.pid, 'SIGHUP');
  t.equal(await changes.next(), policyHash(next));
  const d = holder.current.before(f);
  t.equal(d.verdict, 'allow', 'the new limit of three lets a third through');
  t.same(d.counters, { 'transfers/minute:principal=ferry://police/a': 2 }, 'the two counted before the reload are still counted');
  holder.current.record(f);
  t.equal(holder.current.before(f).rule, 'rate');
});

t.test('reload() reports problems and close() stops listening', async (t) => {
  const { file, holder } = await setup(t, 600_000);
  const listeners = process.listenerCount('SIGHUP');
  await writeFile(file, 'policy: reload\nnetworks: [police]\nrules:\n  - id: a\n    effect: allow\n    description: x\n    match: { to: extranet/* }\n');
  const problems = await holder.reload();
  t.match(problems, [{ line: 7, message: /unknown network 'extranet'/ }]);
  t.equal(holder.current.rules[0]!.id, 'allow-public');
  holder.close();
  t.equal(process.listenerCount('SIGHUP'), listeners - 1);
});

t.test('a changed file is checked on a thread of its own; the engine is built here; a failed check loads it here', async (t) => {
  const { prepareOnWorker } = await import('../policies/prepare-on-worker.js');
  const dir = await mkdtemp(join(tmpdir(), 'ferry-policy-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'policy.yaml');
  await writeFile(file, policy('public'));
  const checked: string[] = [];
  let failing = false;
  const holder = await watchPolicy(file, {
    debounceMs: 600_000, sighup: false,
    prepare: async (text, path) => {
      if (failing) throw new Error('the thread could not start');
      const p = await prepareOnWorker(text, path);
      checked.push(p.hash);
      return p;
    },
  });
  t.teardown(() => holder.close());

  const next = policy('internal');
  await writeFile(file, next);
  t.same(await holder.reload(), [], 'the changed file loads');
  t.same(checked, [policyHash(next)], 'checked once, on the worker');
  t.equal(holder.current.hash, policyHash(next));
  t.equal(holder.current.before(facts('internal')).rule, 'allow-internal', 'the engine built from the checked document decides');

  await writeFile(file, 'policy: reload\nnetworks: [police]\nrules:\n  - id: a\n    effect: allow\n    description: x\n    match: { to: extranet/* }\n');
  t.match(await holder.reload(), [{ line: 7, message: /unknown network 'extranet'/ }], "the worker's problems keep their lines");
  t.equal(checked.length, 2);
  t.equal(holder.current.hash, policyHash(next), 'and the policy in force stays');

  failing = true;
  const third = policy('public', 5);
  await writeFile(file, third);
  t.same(await holder.reload(), [], 'a check that fails to run does not stop a reload: the file is loaded on this thread');
  t.equal(holder.current.hash, policyHash(third));
});

t.test('prepareOnWorker answers a broken policy with its problems, and a clean one with its document', async (t) => {
  const { prepareOnWorker } = await import('../policies/prepare-on-worker.js');
  const good = await prepareOnWorker(policy('public'), '/x/policy.yaml');
  t.equal(good.hash, policyHash(policy('public')));
  t.ok(good.doc, 'a document to build the engine from');
  const bad = await prepareOnWorker('policy: p\nnetworks: [a]\nrules: [{ id: x }]\n', '/x/p.yaml');
  t.notOk(bad.doc);
  t.match(bad.problems[0], { file: '/x/p.yaml', line: 3, severity: 'error' });
});
