import { formatByteSize, parseByteSize } from './byte-size.js';
import { said, type Said } from '../i18n/problem-text.js';
import type { EvalContext } from './eval-context.js';
import { compileGlob, splitAddressGlob, type CompiledGlob } from './glob.js';
import type { MatchSource, OneOrMany, SizeRangeSource } from './policy-source.js';
import type { Say } from './condition-text.js';

// A `match` (or `unless`) block compiled into tests. Each test says in words
// what it requires, so `ferry policy test` can explain a near miss.

export type Path = ReadonlyArray<string | number>;

export interface Test {
  field: string;
  /** needs the content (sniffed type, actual size): never decided before it is known */
  content: boolean;
  holds(ctx: EvalContext): boolean;
  /** what the rule requires, as data: condition-text.ts says it ("the label is public or internal") in either language */
  says: Say;
  /** what the transfer had, e.g. "sensitive"; undefined when it had nothing to compare */
  actual(ctx: EvalContext): string | undefined;
}

export interface AddressGlob {
  text: string;
  glob: CompiledGlob;
  network: CompiledGlob;
}

export interface SizeRange {
  min: number;
  max: number;
}

/** The compiled fields, kept for the reachability lint. */
export interface MatchInfo {
  from?: AddressGlob[];
  to?: AddressGlob[];
  principal?: CompiledGlob[];
  via?: CompiledGlob[];
  hops?: { min: number; max: number };
  direction?: Array<[CompiledGlob, CompiledGlob]>;
  label?: Set<string>;
  kind?: Set<string>;
  extension?: CompiledGlob[];
  declaredType?: CompiledGlob[];
  type?: CompiledGlob[];
  size?: SizeRange;
  declaredSize?: SizeRange;
}

export interface BuildEnv {
  networks: ReadonlySet<string>;
  lists: ReadonlyMap<string, AddressGlob[]>;
  problem(path: Path, what: string | Said, severity?: 'error' | 'warning'): void;
}

const many = <T>(v: OneOrMany<T>): T[] => (Array.isArray(v) ? v : [v]);
const ADDRESS_CHARS = /[a-z0-9_-]/;
const PRINCIPAL_CHARS = /[a-z0-9_.:/-]/;
const TYPE_CHARS = /[a-z0-9_.+\-/]/;

/** Compile `<network>/<system>` globs, checking the network part against the declared networks. */
export function compileAddressGlob(text: string, path: Path, env: BuildEnv): AddressGlob | null {
  const parts = splitAddressGlob(text);
  if (!parts) {
    env.problem(path, said('policy.notAddress', { text }));
    return null;
  }
  const network = compileGlob(parts.network, ADDRESS_CHARS);
  const system = compileGlob(parts.system, ADDRESS_CHARS);
  const glob = compileGlob(text, /[a-z0-9_/-]/);
  for (const g of [network, system, glob]) {
    if (typeof g === 'string') {
      env.problem(path, said('policy.invalidGlob', { why: g }));
      return null;
    }
  }
  const net = network as CompiledGlob;
  if (net.literal && !env.networks.has(net.source)) {
    env.problem(path, said('policy.unknownNetwork', { network: net.source, networks: [...env.networks].join(', ') }));
    return null;
  }
  if (!net.literal && ![...env.networks].some((n) => net.test(n))) {
    env.problem(path, said('policy.noNetworkMatch', { glob: parts.network, networks: [...env.networks].join(', ') }));
    return null;
  }
  return { text, glob: glob as CompiledGlob, network: net };
}

function addressGlobs(v: OneOrMany<string>, path: Path, env: BuildEnv): AddressGlob[] {
  const out: AddressGlob[] = [];
  many(v).forEach((text, i) => {
    const p = Array.isArray(v) ? [...path, i] : path;
    if (text.startsWith('$')) {
      const list = env.lists.get(text.slice(1));
      if (!list) env.problem(p, said('policy.unknownList', { list: text.slice(1) }));
      else out.push(...list);
      return;
    }
    const g = compileAddressGlob(text, p, env);
    if (g) out.push(g);
  });
  return out;
}

function globs(v: OneOrMany<string>, path: Path, env: BuildEnv, chars: RegExp, lower = true): CompiledGlob[] {
  const out: CompiledGlob[] = [];
  many(v).forEach((text, i) => {
    const g = compileGlob(lower ? text.toLowerCase() : text, chars);
    if (typeof g === 'string') env.problem(Array.isArray(v) ? [...path, i] : path, said('policy.invalidGlob', { why: g }));
    else out.push(g);
  });
  return out;
}

function sizeRange(v: SizeRangeSource, path: Path, env: BuildEnv): SizeRange {
  const min = v.min === undefined ? 0 : parseByteSize(v.min);
  const max = v.max === undefined ? Number.POSITIVE_INFINITY : parseByteSize(v.max);
  if (min > max) env.problem(path, said('policy.minAboveMax', { min: formatByteSize(min), max: formatByteSize(max) }));
  return { min, max };
}

const anyGlob = (gs: readonly CompiledGlob[], s: string | undefined): boolean => {
  if (s === undefined) return false;
  for (const g of gs) if (g.test(s)) return true;
  return false;
};
const anyAddress = (gs: readonly AddressGlob[], s: string): boolean => {
  for (const g of gs) if (g.glob.test(s)) return true;
  return false;
};
const texts = (gs: ReadonlyArray<{ source?: string; text?: string }>) => gs.map((g) => (g.text ?? g.source)!);

export function buildMatch(src: MatchSource, path: Path, env: BuildEnv): { tests: Test[]; info: MatchInfo } {
  const tests: Test[] = [];
  const info: MatchInfo = {};
  const add = (t: Test) => tests.push(t);
  if (src.from !== undefined) {
    const gs = (info.from = addressGlobs(src.from, [...path, 'from'], env));
    add({ field: 'from', content: false, holds: (c) => anyAddress(gs, c.facts.source), says: { field: 'from', any: texts(gs) }, actual: (c) => c.facts.source });
  }
  if (src.to !== undefined) {
    const gs = (info.to = addressGlobs(src.to, [...path, 'to'], env));
    add({ field: 'to', content: false, holds: (c) => anyAddress(gs, c.facts.destination), says: { field: 'to', any: texts(gs) }, actual: (c) => c.facts.destination });
  }
  if (src.principal !== undefined) {
    const gs = (info.principal = globs(src.principal, [...path, 'principal'], env, PRINCIPAL_CHARS));
    add({ field: 'principal', content: false, holds: (c) => anyGlob(gs, c.facts.principal), says: { field: 'principal', any: texts(gs) }, actual: (c) => c.facts.principal });
  }
  if (src.via !== undefined) {
    const gs = (info.via = globs(src.via, [...path, 'via'], env, /[a-z0-9_-]/));
    add({ field: 'via', content: false, holds: (c) => anyGlob(gs, c.facts.via), says: { field: 'via', any: texts(gs) }, actual: (c) => c.facts.via });
  }
  if (src.hops !== undefined) {
    const r = (info.hops = { min: src.hops.min ?? 0, max: src.hops.max ?? Number.POSITIVE_INFINITY });
    if (r.min > r.max) env.problem([...path, 'hops'], said('policy.minAboveMax', { min: r.min, max: r.max }));
    const hops = (c: EvalContext) => c.facts.hops ?? 0;
    add({ field: 'hops', content: false, holds: (c) => hops(c) >= r.min && hops(c) <= r.max, says: { field: 'hops', min: r.min, max: r.max }, actual: (c) => String(hops(c)) });
  }
  if (src.direction !== undefined) {
    const pairs: Array<[CompiledGlob, CompiledGlob]> = [];
    many(src.direction).forEach((text, i) => {
      const p = Array.isArray(src.direction) ? [...path, 'direction', i] : [...path, 'direction'];
      const [a, b] = text.split('->').map((s) => s.trim()) as [string, string];
      const ga = compileGlob(a, ADDRESS_CHARS);
      const gb = compileGlob(b, ADDRESS_CHARS);
      if (typeof ga === 'string' || typeof gb === 'string') return env.problem(p, said('policy.invalidGlob', { why: (typeof ga === 'string' ? ga : gb) as string }));
      for (const g of [ga, gb]) {
        if (![...env.networks].some((n) => g.test(n))) return env.problem(p, g.literal ? said('policy.unknownNetwork', { network: g.source, networks: [...env.networks].join(', ') }) : said('policy.noNetworkMatchBare', { glob: g.source }));
      }
      pairs.push([ga, gb]);
    });
    info.direction = pairs;
    add({
      field: 'direction',
      content: false,
      holds: (c) => pairs.some(([a, b]) => a.test(c.sourceNetwork) && b.test(c.destinationNetwork)),
      says: { field: 'direction', any: pairs.map(([a, b]) => `${a.source} -> ${b.source}`) },
      actual: (c) => `${c.sourceNetwork} -> ${c.destinationNetwork}`,
    });
  }
  if (src.label !== undefined) {
    const set = (info.label = new Set<string>(many(src.label)));
    add({ field: 'label', content: false, holds: (c) => set.has(c.facts.label), says: { field: 'label', any: [...set] }, actual: (c) => c.facts.label });
  }
  if (src.kind !== undefined) {
    const set = (info.kind = new Set<string>(many(src.kind)));
    add({ field: 'kind', content: false, holds: (c) => set.has(c.facts.kind), says: { field: 'kind', any: [...set] }, actual: (c) => c.facts.kind });
  }
  if (src.extension !== undefined) {
    const gs = (info.extension = globs(src.extension, [...path, 'extension'], env, /[a-z0-9_+-]/));
    add({ field: 'extension', content: false, holds: (c) => anyGlob(gs, c.extension), says: { field: 'extension', any: texts(gs) }, actual: (c) => c.extension });
  }
  if (src.declaredType !== undefined) {
    const gs = (info.declaredType = globs(src.declaredType, [...path, 'declaredType'], env, TYPE_CHARS));
    add({ field: 'declaredType', content: false, holds: (c) => anyGlob(gs, c.declaredType), says: { field: 'declaredType', any: texts(gs) }, actual: (c) => c.declaredType });
  }
  if (src.declaredSize !== undefined) {
    const r = (info.declaredSize = sizeRange(src.declaredSize, [...path, 'declaredSize'], env));
    const size = (c: EvalContext) => c.facts.declaredSize;
    add({
      field: 'declaredSize',
      content: false,
      holds: (c) => size(c) !== undefined && size(c)! >= r.min && size(c)! <= r.max,
      says: { field: 'declaredSize', min: r.min, max: r.max },
      actual: (c) => (size(c) === undefined ? undefined : formatByteSize(size(c)!)),
    });
  }
  if (src.type !== undefined) {
    const gs = (info.type = globs(src.type, [...path, 'type'], env, TYPE_CHARS));
    add({ field: 'type', content: true, holds: (c) => anyGlob(gs, c.sniffedType), says: { field: 'type', any: texts(gs) }, actual: (c) => c.sniffedType });
  }
  if (src.size !== undefined) {
    const r = (info.size = sizeRange(src.size, [...path, 'size'], env));
    add({
      field: 'size',
      content: true,
      holds: (c) => c.facts.size !== undefined && c.facts.size >= r.min && c.facts.size <= r.max,
      says: { field: 'size', min: r.min, max: r.max },
      actual: (c) => (c.facts.size === undefined ? undefined : formatByteSize(c.facts.size)),
    });
  }
  return { tests, info };
}
