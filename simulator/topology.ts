import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDuration, parseSize } from '../gateway/config/units.js';
import { formatProblem, loadYaml, type SourceProblem } from '../protocol/yaml-schema.js';
import { said, type Said } from '../i18n/problem-text.js';
import { stringify } from 'yaml';
import { loadPolicyText } from '../policies/load-policy.js';
import { deriveRoutes, type RouteTable } from './routes.js';
import { REFUSE_KINDS, topologySchema, type RawTopology, type RefuseKind } from './topology-schema.js';
import type { FaultSpec, GatewaySpec, LinkSpec, SystemSpec, WorkloadSpec } from './topology-specs.js';

export type { FaultSpec, GatewaySpec, LinkSpec, SystemSpec, WorkloadSpec } from './topology-specs.js';

// A topology file, loaded and checked: the schema first, then what a schema
// cannot say (a link on a network its gateway does not border, a fault aimed
// at nothing, a workload with no path). Every problem has file:line:col.

export interface Topology {
  file: string;
  name: string;
  description: string;
  seed: number;
  drainTimeoutMs: number;
  networks: string[];
  gateways: GatewaySpec[];
  systems: SystemSpec[];
  links: LinkSpec[];
  faults: FaultSpec[];
  workloads: WorkloadSpec[];
  routes: RouteTable;
  expect: { lost: number; duplicated: number; falseAccept: number; falseRefuse: number; minDeliveredRate: number };
}

export class TopologyError extends Error {
  constructor(readonly problems: SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'TopologyError';
  }
}

/**
 * An inline policy as a policy file. A rule list may hold a list (a YAML alias
 * of rules shared by several gateways): it is spliced in place.
 */
export function inlinePolicyText(p: Record<string, unknown>): string {
  const rules = Array.isArray(p.rules) ? (p.rules as unknown[]).flatMap((r) => (Array.isArray(r) ? r : [r])) : p.rules;
  return stringify({ ...p, ...(rules !== undefined ? { rules } : {}) }, { aliasDuplicateObjects: false });
}

export async function loadTopology(file: string): Promise<Topology> {
  return parseTopology(await readFile(file, 'utf8'), resolve(file));
}

function perSecond(v: number | string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|m)\s*$/.exec(v)!;
  return Number(m[1]) / (m[2] === 'm' ? 60 : 1);
}

export function parseBandwidth(v: number | string): number {
  if (typeof v === 'number') return v;
  return parseSize(v.replace(/\/\s*s\s*$/, '').trim());
}

export function parseTopology(text: string, file: string): Topology {
  const loaded = loadYaml<RawTopology>(text, file, topologySchema);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length || !loaded.value) throw new TopologyError(errors.length ? errors : loaded.problems);
  const raw = loaded.value;
  const problems: SourceProblem[] = [];
  const err = (path: Array<string | number>, what: Said | { message: string }) => problems.push({ file, ...loaded.at(path), ...what, severity: 'error' });

  const networks = Array.isArray(raw.networks) ? raw.networks : Object.keys(raw.networks);
  const netSet = new Set(networks);
  const gateways: GatewaySpec[] = [];
  for (const [name, g] of Object.entries(raw.gateways)) {
    g.borders.forEach((n, i) => { if (!netSet.has(n)) err(['gateways', name, 'borders', i], said('topology.bordersUnknown', { gateway: name, network: n })); });
    if (new Set(g.borders).size !== g.borders.length) err(['gateways', name, 'borders'], said('topology.bordersTwice', { gateway: name }));
    let policy: GatewaySpec['policy'] = null;
    if (typeof g.policy === 'string') {
      policy = { file: resolve(dirname(file), g.policy) };
      // Said here, at its line, not by a gateway that fails to start mid-run (a copied topology's relative path).
      if (!existsSync(policy.file)) err(['gateways', name, 'policy'], said('topology.policyMissing', { gateway: name, path: policy.file }));
    }
    else if (g.policy) {
      const text = inlinePolicyText(g.policy);
      // Checked now with the policy compiler, each problem placed at the policy in the topology.
      for (const p of loadPolicyText(text, `${file}#${name}`).problems) {
        if (p.severity !== 'error') continue;
        // A problem the policy compiler says only in English is quoted so in every language.
        const what = said('topology.inlinePolicy', { gateway: name, problem: p.message });
        err(['gateways', name, 'policy'], p.key ? { ...what, params: { gateway: name, problem: [{ key: p.key, params: p.params ?? {}, named: true }] } } : { message: what.message });
      }
      policy = { text };
    }
    gateways.push({ name, borders: g.borders, clamd: g.clamd ?? false, maxHops: g.max_hops ?? null, delivery: g.delivery ?? null, policy });
  }
  const gw = new Map(gateways.map((g) => [g.name, g]));

  const systems: SystemSpec[] = [];
  for (const [id, s] of Object.entries(raw.systems)) {
    const network = id.split('/')[0]!;
    if (!netSet.has(network)) err(['systems', id], said('topology.systemNetwork', { id, network }));
    if (s.gateway !== undefined) {
      const g = gw.get(s.gateway);
      if (!g) err(['systems', id, 'gateway'], said('topology.noGateway', { gateway: s.gateway }));
      else if (!g.borders.includes(network)) err(['systems', id, 'gateway'], said('topology.notBorder', { gateway: s.gateway, network }));
    } else if (!gateways.some((g) => g.borders.includes(network))) {
      err(['systems', id], said('topology.unreachable', { network, id }));
    }
    if (s.drop_every !== undefined && (s.receive ?? 'none') === 'none') err(['systems', id, 'drop_every'], said('topology.dropEvery'));
    systems.push({ id, network, receive: s.receive ?? 'none', gateway: s.gateway ?? null, dropEvery: s.drop_every ?? null });
  }
  const sys = new Map(systems.map((s) => [s.id, s]));

  // One link per (gateway, bordered network); unlisted ones are unshaped.
  const links = new Map<string, LinkSpec>();
  for (const g of gateways) for (const n of g.borders) links.set(`${g.name}/${n}`, { id: `${g.name}/${n}`, gateway: g.name, network: n, latencyMs: 0, jitterMs: 0, bandwidth: null });
  const faults: FaultSpec[] = [];
  (raw.links ?? []).forEach((l, i) => {
    const id = `${l.gateway}/${l.network}`;
    const g = gw.get(l.gateway);
    if (!g) return err(['links', i, 'gateway'], said('topology.noGateway', { gateway: l.gateway }));
    if (!g.borders.includes(l.network)) return err(['links', i, 'network'], said('topology.linkBorder', { gateway: l.gateway, network: l.network }));
    links.set(id, { id, gateway: l.gateway, network: l.network, latencyMs: parseDuration(l.latency ?? 0), jitterMs: parseDuration(l.jitter ?? 0), bandwidth: l.bandwidth === undefined ? null : parseBandwidth(l.bandwidth) });
    (l.cuts ?? []).forEach((c, j) => faults.push({ kind: 'cut', target: id, atMs: parseDuration(c.at), afterBytes: null, forMs: parseDuration(c.for), latencyMs: null, bandwidth: null, line: loaded.at(['links', i, 'cuts', j]).line }));
  });

  (raw.faults ?? []).forEach((f, i) => {
    const here = (m: Said, field: string | null = 'target') => err(field ? ['faults', i, field] : ['faults', i], m);
    if ((f.at === undefined) === (f.after_bytes === undefined)) here(said('topology.faultWhen'), null);
    if ((f.kind === 'kill' || f.kind === 'stop') && !gw.has(f.target)) here(said('topology.faultGateway', { target: f.target, kind: f.kind }));
    if ((f.kind === 'cut' || f.kind === 'degrade') && !links.has(f.target)) here(said('topology.faultLink', { target: f.target }));
    if (f.kind === 'down' && (sys.get(f.target)?.receive ?? 'none') === 'none') here(said('topology.faultReceiver', { target: f.target }));
    if (f.kind === 'clamd' && !gw.get(f.target)?.clamd) here(said('topology.faultClamd', { target: f.target }));
    if (f.kind === 'degrade' && f.latency === undefined && f.bandwidth === undefined) here(said('topology.degrade'), null);
    faults.push({
      kind: f.kind, target: f.target, atMs: f.at === undefined ? null : parseDuration(f.at), afterBytes: f.after_bytes === undefined ? null : parseSize(f.after_bytes),
      forMs: parseDuration(f.for), latencyMs: f.latency === undefined ? null : parseDuration(f.latency), bandwidth: f.bandwidth === undefined ? null : parseBandwidth(f.bandwidth), line: loaded.at(['faults', i]).line,
    });
  });

  const routes = deriveRoutes(gateways, raw, (path, m) => err(path, m));

  const workloads: WorkloadSpec[] = [];
  raw.workloads.forEach((w, i) => {
    const from = sys.get(w.from);
    const to = sys.get(w.to);
    if (!from) return err(['workloads', i, 'from'], said('topology.noSystem', { id: w.from }));
    if (!to) return err(['workloads', i, 'to'], said('topology.noSystem', { id: w.to }));
    if (to.receive === 'none') err(['workloads', i, 'to'], said('topology.receivesNothing', { id: w.to }));
    if (!w.files && !w.messages) err(['workloads', i], said('topology.workloadEmpty'));
    const path = routes.path(from, to.network);
    if (!path) {
      const a = routes.ambiguity(from, to.network);
      return err(['workloads', i, 'to'], a
        ? said('topology.ambiguous', { from: from.network, to: to.network, gateway: a.gateway, via: a.via.map((v) => `'${v}'`) })
        : said('topology.noPath', { from: from.network, to: to.network }));
    }
    const refuse = Object.fromEntries(REFUSE_KINDS.map((k) => [k, w.refuse?.[k] ?? 0])) as Record<RefuseKind, number>;
    if (Object.values(refuse).reduce((a, b) => a + b, 0) > 1) err(['workloads', i, 'refuse'], said('topology.refuseShares'));
    if (refuse.malware > 0) for (const g of path) if (!gw.get(g)!.clamd) err(['workloads', i, 'refuse', 'malware'], said('topology.malwareClamd', { gateway: g }));
    workloads.push({
      index: i, from: w.from, to: w.to, label: w.label ?? 'internal', expect: w.expect ?? 'cross', path,
      files: w.files ? {
        count: w.files.count, ratePerSec: perSecond(w.files.rate, 10), concurrency: w.files.concurrency ?? 4,
        sizes: (w.files.sizes ?? [{ size: 16 * 1024 }]).map((s) => ({ size: parseSize(s.size), weight: s.weight ?? 1 })),
      } : null,
      messages: w.messages ? { channel: w.messages.channel, count: w.messages.count, ratePerSec: perSecond(w.messages.rate, 10), size: parseSize(w.messages.size ?? 256) } : null,
      refuse,
    });
  });
  if (problems.length) throw new TopologyError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  const e = raw.expect ?? {};
  return {
    file, name: raw.name, description: raw.description ?? '', seed: raw.seed ?? 1, drainTimeoutMs: parseDuration(raw.drain_timeout ?? '60s'),
    networks, gateways, systems, links: [...links.values()], faults: faults.sort((a, b) => (a.atMs ?? 0) - (b.atMs ?? 0)), workloads, routes,
    expect: { lost: e.lost ?? 0, duplicated: e.duplicated ?? 0, falseAccept: e.false_accept ?? 0, falseRefuse: e.false_refuse ?? 0, minDeliveredRate: e.min_delivered_rate ?? 0 },
  };
}
