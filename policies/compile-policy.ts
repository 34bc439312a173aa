import { parseByteSize } from './byte-size.js';
import { said, type Said } from '../i18n/problem-text.js';
import type { CompiledRule, CompiledLimit } from './compiled-rule.js';
import { buildMatch, compileAddressGlob, type AddressGlob, type BuildEnv, type Path } from './match-tests.js';
import type { PolicySource, RuleSource } from './policy-source.js';
import { isValidZone, parseDays, parseHours, type CompiledWindow } from './time-window.js';

// From a schema-valid document to compiled rules, reporting what the schema
// cannot see: unknown networks and lists, bad globs and zones, duplicate ids,
// contradictory fields. Positions come from the YAML document via `at`.

export interface CompileOutput {
  rules: CompiledRule[];
  networks: string[];
}

export type ProblemSink = (path: Path, what: string | Said, severity?: 'error' | 'warning') => void;

const many = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export function compilePolicy(doc: PolicySource, problem: ProblemSink, at: (p: Path) => { line: number; column: number }): CompileOutput {
  const networks = new Set<string>();
  doc.networks.forEach((n, i) => {
    if (networks.has(n)) problem(['networks', i], said('policy.networkTwice', { network: n }), 'warning');
    networks.add(n);
  });
  const env: BuildEnv = { networks, lists: new Map(), problem };
  const lists = env.lists as Map<string, AddressGlob[]>;
  for (const [name, entries] of Object.entries(doc.lists ?? {})) {
    const gs: AddressGlob[] = [];
    entries.forEach((e, i) => {
      const g = compileAddressGlob(e, ['lists', name, i], env);
      if (g) gs.push(g);
    });
    lists.set(name, gs);
  }
  const defaultZone = doc.zone ?? 'UTC';
  if (doc.zone !== undefined && !isValidZone(doc.zone)) problem(['zone'], said('policy.unknownZone', { zone: doc.zone }));

  const seen = new Map<string, number>();
  const rules: CompiledRule[] = [];
  doc.rules.forEach((r, i) => {
    const base: Path = ['rules', i];
    const first = seen.get(r.id);
    if (first !== undefined) problem([...base, 'id'], said('policy.duplicateId', { id: r.id, first: first + 1, line: at(['rules', first, 'id']).line }));
    else seen.set(r.id, i);
    rules.push(compileRule(r, i, base, env, defaultZone, at));
  });
  return { rules, networks: [...networks] };
}

function compileRule(r: RuleSource, index: number, base: Path, env: BuildEnv, defaultZone: string, at: (p: Path) => { line: number; column: number }): CompiledRule {
  const problem = env.problem;
  const m = buildMatch(r.match ?? {}, [...base, 'match'], env);
  const rule: CompiledRule = {
    id: r.id,
    index,
    effect: r.effect,
    shadow: r.mode === 'shadow',
    description: r.description,
    ...at(base),
    meta: m.tests.filter((t) => !t.content),
    content: m.tests.filter((t) => t.content),
    info: m.info,
    needsContent: false,
  };
  if (r.when) {
    rule.when = {
      kinds: new Set(many(r.when.finding)),
      countOver: r.when.countOver ?? 0,
      ...(r.when.subkind !== undefined ? { subkinds: new Set(many(r.when.subkind)) } : {}),
    };
  }
  if (r.unless) {
    const u = buildMatch(r.unless, [...base, 'unless'], env);
    rule.unless = { meta: u.tests.filter((t) => !t.content), content: u.tests.filter((t) => t.content) };
  }
  if (r.window) rule.window = compileWindow(r.window, [...base, 'window'], defaultZone, problem);
  if (r.limit) {
    const l = r.limit;
    if ((l.transfers === undefined) === (l.bytes === undefined)) problem([...base, 'limit'], said('policy.limitOne'));
    if (r.effect !== 'deny') problem([...base, 'limit'], said('policy.limitOnDeny'));
    const limit: CompiledLimit = l.bytes !== undefined ? { what: 'bytes', max: parseByteSize(l.bytes), per: l.per, by: l.by } : { what: 'transfers', max: l.transfers ?? 0, per: l.per, by: l.by };
    rule.limit = limit;
  }
  if (r.obligations) {
    if (r.effect === 'deny') problem([...base, 'obligations'], said('policy.obligationsOnDeny'), 'warning');
    rule.obligations = { ...r.obligations };
  }
  if (r.effect === 'allow' && r.when) problem([...base, 'when'], said('policy.whenOnAllow'), 'warning');
  rule.needsContent = rule.content.length > 0 || rule.when !== undefined || (rule.unless?.content.length ?? 0) > 0;
  return rule;
}

function compileWindow(w: NonNullable<RuleSource['window']>, path: Path, defaultZone: string, problem: ProblemSink): CompiledWindow {
  const zone = w.zone ?? defaultZone;
  if (w.zone !== undefined && !isValidZone(w.zone)) problem([...path, 'zone'], said('policy.unknownZone', { zone: w.zone }));
  let start = 0;
  let end = 0;
  if (w.hours !== undefined) {
    const h = parseHours(w.hours);
    if (typeof h === 'string') problem([...path, 'hours'], h);
    else ({ start, end } = h);
  }
  const days = w.days === undefined ? 0x7f : parseDays(many(w.days));
  const dayText = w.days === undefined ? 'every day' : many(w.days).join(', ');
  return { zone: isValidZone(zone) ? zone : 'UTC', days, start, end, outside: w.outside ?? false, text: `${dayText} ${w.hours ?? '00:00-24:00'} ${zone}` };
}
