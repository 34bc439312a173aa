import { join } from 'node:path';
import { translator } from '../i18n/catalogue.js';
import { padEndW, padStartW, stringWidth } from '../i18n/text-width.js';
import type { Locale } from '../i18n/locale.js';
import type { TimelineEvent } from './faults.js';
import { reasonText } from './reason-text.js';
import type { SimReport } from './report.js';
import { fmtRate } from './report-svg.js';

// What the simulator says on the terminal, in the reader's language. The
// report files keep their English names and sentences (report.json is read
// by programs); figures, ids and paths are never translated.

const FAULT_KINDS = new Set(['kill', 'stop', 'cut', 'degrade', 'down', 'clamd']);

/** What a fault did, in the reader's language; a failed restart says its error as it is. */
export function faultWhat(e: TimelineEvent, locale: Locale): string {
  const t = translator(locale, 'sim');
  if (e.failed || !FAULT_KINDS.has(e.kind)) return e.detail;
  const how = (e.latencyMs != null ? t('degradeLatency', { ms: e.latencyMs }) : '') + (e.bandwidth != null ? t('degradeBandwidth', { bps: e.bandwidth }) : '');
  return t(`fault.${e.kind}.${e.phase}`, { target: e.target, how });
}

/** One fault line: `  [ 10.5 s] fault  link gw1/extranet cut (connections reset)`. */
export function faultLine(e: TimelineEvent, locale: Locale): string {
  const t = translator(locale, 'sim');
  const what = faultWhat(e, locale);
  return `  [${(e.atMs / 1000).toFixed(1).padStart(5)} s] ${t(e.phase === 'start' ? 'fault.start' : 'fault.end')} ${what}`;
}

/** The live table's header (the widths are the English ones, wide enough for either language's words in a terminal). */
export function liveHeader(locale: Locale): { route: string; cols: string[] } {
  const t = translator(locale, 'sim');
  return { route: t('live.route'), cols: [t('live.sent'), t('live.delivered'), t('live.refused'), t('live.inFlight')] };
}

/** The terminal summary at the end of a run. */
export function summaryText(r: SimReport, reportDir: string, locale: Locale = 'en'): string {
  const t = translator(locale, 'sim');
  const c = r.counts;
  const lines: string[] = [''];
  const verdict = t(`summary.verdicts.${r.verdict}`);
  const reasons = r.reason_keys.map((k) => reasonText(k, locale));
  lines.push(`${t('summary.verdict', { verdict })}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`);
  const h = (k: string) => t(`summary.head.${k}`);
  const w = Math.max(stringWidth(h('route')), stringWidth(t('summary.all')), ...Object.keys(r.routes).map((x) => stringWidth(x)));
  const cols: Array<[string, (x: typeof c) => number]> = [
    ['items', (x) => x.items], ['delivered', (x) => x.delivered], ['refused', (x) => x.refused], ['lost', (x) => x.lost],
    ['duplicated', (x) => x.duplicated], ['falseAccept', (x) => x.false_accept], ['falseRefuse', (x) => x.false_refuse], ['pending', (x) => x.pending],
  ];
  // Each column as wide as its heading or its widest figure.
  const widths = cols.map(([k, get]) => Math.max(stringWidth(h(k)), String(get(c)).length, ...Object.values(r.routes).map((x) => String(get(x)).length)));
  lines.push(`  ${padEndW(h('route'), w)}  ${cols.map(([k], j) => padStartW(h(k), widths[j]!)).join(' ')}`);
  const row = (name: string, x: typeof c) => `  ${padEndW(name, w)}  ${cols.map(([, get], j) => padStartW(String(get(x)), widths[j]!)).join(' ')}`;
  for (const [route, x] of Object.entries(r.routes)) lines.push(row(route, x));
  lines.push(row(t('summary.all'), c));
  lines.push(t('summary.throughput', { rate: r.throughput.items_per_s, bytes: fmtRate(r.throughput.bytes_per_s), p50: r.latency_ms.files.p50, p99: r.latency_ms.files.p99 }) + (r.cpu.saturated ? t('summary.saturated') : ''));
  lines.push(t('summary.checks', {
    fired: r.faults.timeline.filter((e) => e.phase === 'start').length,
    audit: t(r.audit.gateways.every((g) => g.ok) ? 'summary.auditOk' : 'summary.auditBad'),
    receipts: `${r.receipts.checked - r.receipts.failed}/${r.receipts.checked}`,
    mode: r.mode.name,
  }));
  lines.push(t('summary.report', { html: join(reportDir, 'report.html') }));
  return lines.join('\n');
}

/** Where to look next, with real paths and a real transfer id of this run. */
export function nextSteps(r: SimReport, reportDir: string, topologyFile: string, locale: Locale = 'en'): string {
  const t = translator(locale, 'sim');
  const workloads = (r.topology as { workloads: Array<{ path: string[] }> }).workloads;
  const hops = (id: string) => workloads[Number(/^w(\d+)-/.exec(id)?.[1] ?? 0)]?.path.length ?? 1;
  const delivered = r.items.filter((i) => i.fate === 'delivered' && i.transferId);
  const far = delivered.find((i) => hops(i.id) > 1) ?? delivered[0];
  const gws = (r.topology as { gateways: Array<{ name: string }> }).gateways.map((g) => g.name);
  const db = (g: string) => join(r.files.run_dir, 'gateways', g, 'data', 'audit.db');
  const lines = ['', t('next.title'), t('next.report', { path: join(reportDir, 'report.html') })];
  if (far) lines.push(t('next.trace', { command: `ferry log trace ${far.transferId} ${gws.map((g) => `--db ${db(g)}`).join(' ')}` }));
  lines.push(t('next.verify', { command: `ferry log verify --db ${db(gws[0]!)} --pubkey-file ${join(r.files.run_dir, 'gateways', gws[0]!, 'data', 'keys', 'audit.vkey')}` }));
  lines.push(t('next.own', { file: topologyFile }));
  return lines.join('\n');
}
