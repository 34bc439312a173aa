import type { Server } from 'node:https';
import { ConfigError, loadGatewayConfig, type GatewayConfig } from '../config/gateway-config.js';
import type { GatewayContext } from '../context.js';
import { preflight } from '../startup/preflight.js';
import type { PolicyHolder } from '../../policies/policy-holder.js';

// SIGHUP and `ferry admin reload`: read gateway.yaml and what it points at
// again, apply what can change safely while transfers run (policy, keyword
// lists, destinations, routes, the TLS files of the listeners), and say what
// changed and what needs a restart. A file with errors changes nothing.

export interface ReloadReport {
  ok: boolean;
  /** False when gateway.yaml could not be read or had errors: nothing changed at all. */
  applied: boolean;
  changed: string[];
  restart_needed: string[];
  problems: string[];
}

export interface ReloadTargets {
  ctx: GatewayContext;
  holder: PolicyHolder | null;
  /** Listeners whose TLS files are swapped in place. */
  servers: () => Server[];
  /** The TLS files in force (replaced when they change). */
  tls: { ca: string; cert: string; key: string };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Make `target` hold what `source` holds, in place (the route table reads the same maps). */
function syncMap<V>(target: Map<string, V>, source: Map<string, V>): boolean {
  let changed = false;
  for (const k of [...target.keys()]) if (!source.has(k)) { target.delete(k); changed = true; }
  for (const [k, v] of source) if (!same(target.get(k), v)) { target.set(k, v); changed = true; }
  return changed;
}

/** Sections read only at start: a change there is reported, not applied. */
const AT_START: Array<[string, (c: GatewayConfig) => unknown]> = [
  ['name', (c) => c.name], ['data_dir', (c) => c.dataDir], ['tls.crl (the list of files; each file is reloaded when it changes)', (c) => c.tls.crls], ['networks', (c) => c.networks],
  ['admin', (c) => c.admin && { ...c.admin, administrators: [...c.admin.administrators] }], ['policy (the file name)', (c) => c.policyFile],
  ['limits', (c) => c.limits], ['delivery', (c) => c.delivery], ['audit', (c) => c.audit], ['inspect.clamd', (c) => c.inspect.clamd],
  ['inspect.archive_limits', (c) => c.inspect.archiveLimits], ['inspect.budget', (c) => c.inspect.budget], ['routing.max_hops', (c) => c.routing.maxHops],
];

/** Who asked, as the audit record names them: the role and the way in (console, api, signal). */
export interface ReloadAsker {
  role?: string;
  via?: string;
}

export async function reloadGateway(t: ReloadTargets, by: string, asker: ReloadAsker = {}): Promise<ReloadReport> {
  const { ctx } = t;
  const report: ReloadReport = { ok: true, applied: true, changed: [], restart_needed: [], problems: [] };
  // Every outcome is a record, a refused reload included.
  const record = () => ctx.audit.append({ event: 'admin-action', principal: by.startsWith('ferry://') ? by : null, details: { action: 'reload', by, ...asker, ...report } });
  let fresh: GatewayConfig;
  try {
    fresh = await loadGatewayConfig(ctx.config.file);
  } catch (err) {
    report.ok = false;
    report.applied = false;
    report.problems = err instanceof ConfigError ? err.message.split('\n') : [`cannot read ${ctx.config.file}: ${(err as Error).message}`];
    ctx.log.error({ problems: report.problems, by }, 'reload refused: the configuration has errors; nothing changed');
    await record();
    return report;
  }
  const pre = await preflight(fresh, { requirePolicy: false });
  const tlsProblems = pre.problems.filter((p) => p.startsWith('tls.'));
  report.problems.push(...tlsProblems);
  if (t.holder && fresh.policyFile === ctx.config.policyFile) {
    const before = t.holder.current.hash;
    const problems = (await t.holder.reload()).filter((p) => p.severity === 'error');
    if (problems.length) report.problems.push(...problems.map((p) => `policy: ${p.file}:${p.line}:${p.column}: ${p.message}`));
    else if (t.holder.current.hash !== before) report.changed.push('policy');
  }
  if (!same(fresh.inspect.keywords, ctx.inspect.keywords)) {
    ctx.inspect.keywords = fresh.inspect.keywords;
    report.changed.push('inspect.keywords');
  }
  if (syncMap(ctx.config.destinations, fresh.destinations)) report.changed.push('destinations');
  if (syncMap(ctx.config.routing.routes, fresh.routing.routes)) report.changed.push('routing.routes');
  // A relay reads its peer (networks, keys) at each request: a peer's new key, after it rotated, takes effect here without a restart.
  if (syncMap(ctx.config.routing.peers, fresh.routing.peers)) report.changed.push('routing.peers');
  // The TLS holder and the CRL (gateway/trust/): the listeners and outgoing deliveries follow them.
  await ctx.trust.reload();
  if (!tlsProblems.length && pre.tls && !same(pre.tls, t.tls)) {
    for (const s of t.servers()) s.setSecureContext({ ...pre.tls });
    Object.assign(t.tls, pre.tls);
    report.changed.push('tls (listeners; outgoing deliveries use the new files after a restart)');
  }
  for (const [key, get] of AT_START) if (!same(get(fresh), get(ctx.config))) report.restart_needed.push(key);
  report.ok = report.problems.length === 0;
  await record();
  ctx.log.info({ by, changed: report.changed, restartNeeded: report.restart_needed, problems: report.problems }, 'configuration reloaded');
  return report;
}
