import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimReport } from './report.js';
import { esc, fmtRate, histogramSvg, lineChart, topologySvg } from './report-svg.js';

// report.json and a self-contained report.html (inline CSS and SVG, no
// script, nothing fetched) in the report directory.

export async function writeReportFiles(dir: string, r: SimReport, configs: Array<{ name: string; config: string }>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), JSON.stringify(r, null, 2) + '\n');
  await writeFile(join(dir, 'report.html'), html(r, configs));
}

const COUNT_COLUMNS = ['items', 'accepted', 'delivered', 'refused', 'lost', 'duplicated', 'false_accept', 'false_refuse', 'fail_closed', 'settled_failed', 'pending', 'unanswered'] as const;

function table(head: string[], rows: Array<Array<string | number>>, cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c : c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function html(r: SimReport, configs: Array<{ name: string; config: string }>): string {
  const c = r.counts;
  const bad = (k: string, v: number) => (['lost', 'duplicated', 'false_accept', 'false_refuse', 'unexpected', 'corrupted'].includes(k) && v > 0 ? ` class="bad"` : '');
  const routeRows = Object.entries(r.routes).map(([route, x]) => [esc(route), ...COUNT_COLUMNS.map((k) => `<span${bad(k, x[k])}>${x[k]}</span>`), `${x.latency_ms.p50} / ${x.latency_ms.p99}`]);
  routeRows.push(['<b>all routes</b>', ...COUNT_COLUMNS.map((k) => `<b${bad(k, c[k])}>${c[k]}</b>`), `${r.latency_ms.files.p50} / ${r.latency_ms.files.p99}`]);
  const routes = Object.keys(r.routes);
  const palette = ['#2e86c1', '#28b463', '#af7ac5', '#e67e22', '#16a085', '#c0392b', '#7f8c8d', '#d4ac0d'];
  // Delivered per second per route, from consecutive samples.
  const rateSeries = routes.map((route, k) => ({
    name: route, color: palette[k % palette.length]!,
    points: r.samples.slice(1).map((s, j) => {
      const a = r.samples[j]!;
      const dt = (s.atMs - a.atMs) / 1000;
      return [s.atMs, dt > 0 ? ((s.routes[route]?.delivered ?? 0) - (a.routes[route]?.delivered ?? 0)) / dt : null] as [number, number | null];
    }),
  }));
  const gateways = Object.keys(r.samples[0]?.queue ?? {});
  const queueSeries = [
    ...gateways.map((g, k) => ({ name: `queue ${g}`, color: palette[k % palette.length]!, points: r.samples.map((s) => [s.atMs, s.queue[g] ?? null] as [number, number | null]) })),
    { name: 'in flight (all routes)', color: '#34495e', points: r.samples.map((s) => [s.atMs, Object.values(s.routes).reduce((a, x) => a + x.inFlight, 0)] as [number, number | null]) },
  ];
  const verdictClass = r.verdict === 'valid' ? 'ok' : r.verdict === 'invalid' ? 'bad' : 'unk';
  const topo = r.topology as { name: string; description: string; file: string; gateways: Array<{ name: string; borders: string[]; routes: Record<string, string>; peers: Record<string, string[]>; policy: string | null }> };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ferry simulation — ${esc(topo.name)} — ${esc(r.verdict)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:0;color:#1c2833;background:#f4f6f7}
main{max-width:1000px;margin:0 auto;padding:24px 28px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5dbdb;padding-bottom:4px}
.verdict{display:inline-block;padding:3px 12px;border-radius:4px;font-weight:700;color:#fff;text-transform:uppercase}
.verdict.ok{background:#239b56}.verdict.bad{background:#c0392b}.verdict.unk{background:#b9770e}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #d5dbdb;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f2f4f4}td:first-child,th:first-child{text-align:left}table.counts{font-size:12px}table.counts th{font-size:11px;max-width:64px}table.wide td,table.wide th{text-align:left}
.bad{color:#c0392b;font-weight:700}.muted{color:#707b7c}.pass{color:#239b56;font-weight:700}.inc{color:#b9770e;font-weight:700}.fail{color:#c0392b;font-weight:700}.none{color:#7f8c8d}
svg{background:#fff;border:1px solid #eaeded;margin:6px 0;max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif}svg .net{font-weight:700;text-anchor:middle;fill:#1b4f72}svg .sys{text-anchor:middle;fill:#566573;font-size:10px}
svg .gw{text-anchor:middle;font-weight:600;fill:#7e5109}svg .lk{text-anchor:middle;fill:#566573;font-size:10px}svg .ct{font-weight:600;font-size:12px}
svg .ax{fill:#566573;font-size:10px}svg .fl{fill:#922b21;font-size:9px}
pre{background:#f8f9f9;border:1px solid #eaeded;padding:8px;font-size:12px;overflow:auto;max-height:320px}
details{margin:6px 0}ul{margin:4px 0 4px 20px;padding:0}
</style></head><body><main>
<h1>Ferry simulation: ${esc(topo.name)} <span class="verdict ${verdictClass}">${esc(r.verdict)}</span></h1>
<div class="muted">${esc(topo.description)}</div>
<div class="muted">seed ${r.seed} · mode ${esc(r.mode.name)} · started ${esc(r.started)} · ${(r.duration_ms / 1000).toFixed(1)} s · topology file ${esc(topo.file)}</div>
${r.reasons.length ? `<ul>${r.reasons.map((x) => `<li class="${r.verdict === 'invalid' ? 'bad' : ''}">${esc(x)}</li>`).join('')}</ul>` : '<p>Nothing lost, nothing duplicated, nothing false let through; every audit log and receipt verified.</p>'}

<h2>Outcome per route</h2>
${table(['route', ...COUNT_COLUMNS.map((k) => k.replace('_', ' ')), 'latency p50 / p99 ms'], routeRows, 'counts')}
<p class="muted">Delivered ${(r.delivered_rate * 100).toFixed(1)}% of what should cross · ${c.unexpected} unexpected · ${c.corrupted} corrupted · ${c.redelivered} redelivered (kept once, by idempotency key) · ${r.receivers_dropped} dropped by a receiver set to drop · receipts ${r.receipts.checked - r.receipts.failed}/${r.receipts.checked} verified.</p>

<h2>Topology</h2>
${topologySvg(r)}
${table(['gateway', 'borders', 'routes (network → next hop)', 'peers', 'policy'], topo.gateways.map((g) => [esc(g.name), esc(g.borders.join(', ')), esc(Object.entries(g.routes).map(([n, v]) => `${n} → ${v}`).join(', ') || '—'), esc(Object.entries(g.peers).map(([p, n]) => `${p} (${n.join(', ')})`).join(', ') || '—'), esc(g.policy ?? 'none: deny all')]), 'wide')}

<h2>Throughput and queues over time</h2>
${lineChart(r, 'Delivered per second, per route (shaded: faults)', 'items/s', rateSeries)}
${lineChart(r, 'Queue depth per gateway (from /metrics) and items in flight', 'items', queueSeries)}
<p class="muted">Throughput ${r.throughput.items_per_s} items/s, ${fmtRate(r.throughput.bytes_per_s)} (${r.throughput.delivered_items} items over ${(r.throughput.window_ms / 1000).toFixed(1)} s). CPU: mean ${r.cpu.mean_busy === null ? '?' : Math.round(r.cpu.mean_busy * 100)}% busy, max ${r.cpu.max_busy === null ? '?' : Math.round(r.cpu.max_busy * 100)}%${r.cpu.saturated ? ' — <b class="bad">saturated</b>: rates and latencies are this machine\'s limit, not the topology\'s' : ''}.</p>

<h2>Latency</h2>
${histogramSvg(r)}
${table(['kind', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [['files', r.latency_ms.files.n, r.latency_ms.files.p50, r.latency_ms.files.p90, r.latency_ms.files.p99, r.latency_ms.files.max], ['messages', r.latency_ms.messages.n, r.latency_ms.messages.p50, r.latency_ms.messages.p90, r.latency_ms.messages.p99, r.latency_ms.messages.max]])}

<h2>Refusals</h2>
<div style="display:flex;gap:24px;flex-wrap:wrap">
${table(['rule', 'refused'], Object.entries(r.refusals.by_rule).sort((a, b) => b[1] - a[1]).map(([k, v]) => [esc(k), v]))}
${table(['finding', 'items'], Object.entries(r.refusals.by_finding).sort((a, b) => b[1] - a[1]).map(([k, v]) => [esc(k), v]))}
${table(['code', 'answers'], Object.entries(r.refusals.by_code).sort((a, b) => b[1] - a[1]).map(([k, v]) => [esc(k), v]))}
</div>

<h2>Evidence against GB/T 20279-2024 requirement areas</h2>
<p class="muted">What this run exercised, per requirement area of GB/T 20279-2024 (网络安全技术 网络和终端隔离产品技术规范). A run is evidence for the areas it exercised, under this topology and workload; it is not a certification.</p>
${table(['area', 'what was tested', 'result', 'figures'], r.evidence.map((e) => [`${esc(e.area)}<br><span class="muted">${esc(e.area_zh)}</span>`, esc(e.tested), `<span class="${e.result === 'pass' ? 'pass' : e.result === 'fail' ? 'fail' : e.result === 'incomplete' ? 'inc' : 'none'}">${esc(e.result)}</span>`, esc(e.figures)]), 'wide')}

<h2>Faults</h2>
${r.faults.timeline.length ? table(['t (s)', 'time (UTC)', 'what'], r.faults.timeline.map((e) => [(e.atMs / 1000).toFixed(2), esc(e.time), `${e.phase === 'start' ? '⚡' : '✓'} ${esc(e.detail)}`]), 'wide') : '<p>No faults.</p>'}
${r.faults.never_fired.length ? `<p class="bad">Never fired: ${esc(r.faults.never_fired.map((f) => `${f.kind} ${f.target}`).join(', '))}</p>` : ''}
<p class="muted">Gateway restarts: ${esc(Object.entries(r.gateway_restarts).map(([g, n]) => `${g} ${n}`).join(', '))}.</p>

<h2>Links</h2>
${table(['link', 'latency', 'jitter', 'bandwidth (configured)', 'peak up (measured)', 'peak down (measured)', 'bytes up / down', 'shaped by'], r.links.map((l) => [esc(l.id), `${l.configured.latency_ms} ms`, `${l.configured.jitter_ms} ms`, l.configured.bandwidth_Bps ? fmtRate(l.configured.bandwidth_Bps) : 'unshaped', fmtRate(l.measured.up_peak_Bps), fmtRate(l.measured.down_peak_Bps), `${l.measured.up_bytes} / ${l.measured.down_bytes}`, esc(l.shaped_by)]))}

${r.isolation ? `<h2>Isolation</h2><p class="muted">From inside each network's namespace, a TCP connection to every gateway's listener on every network: only the gateways' addresses on that network may answer.</p>${table(['from network', 'to', 'expected', 'outcome', ''], r.isolation.probes.map((p) => [esc(p.from), esc(p.to), p.expect === 'reach' ? 'reachable' : 'unreachable', esc(p.outcome), p.ok ? '<span class="pass">as expected</span>' : '<span class="fail">NOT as expected</span>']), 'wide')}` : ''}

<h2>Audit logs</h2>
${table(['gateway', 'verified', 'records', 'checkpoints', 'records by event'], r.audit.gateways.map((g) => [esc(g.gateway), g.ok ? '<span class="pass">yes</span>' : `<span class="fail">no: ${esc(g.failure)}</span>`, g.records, g.checkpoints, esc(Object.entries(g.by_event).map(([k, v]) => `${k} ${v}`).join(', '))]), 'wide')}
<p class="muted">${r.audit.final_record_problems} transfers without exactly one final record; ${r.audit.aborted_attempts} uploads broken before their answer and recorded <code>failed</code> (between gateways a retry keeps the transfer id, so such an attempt can precede the one that settles); ${r.audit.identity_mismatches} recorded under an identity other than the sender's certificate.</p>

${r.problems.length ? `<h2>Problems found</h2><ul>${r.problems.slice(0, 60).map((p) => `<li>${esc(p)}</li>`).join('')}</ul>${r.problems.length > 60 ? `<p class="muted">…and ${r.problems.length - 60} more in report.json</p>` : ''}` : ''}

<h2>Notes</h2>
<ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<details><summary>Each gateway's gateway.yaml, as written by the simulator</summary>${configs.map((x) => `<h3>${esc(x.name)}</h3><pre>${esc(x.config)}</pre>`).join('')}</details>
<p class="muted">Run directory (certificates, configs, data, gateway logs): ${esc(r.files.run_dir)}. One transfer's trail across the gateways: <code>ferry log trace &lt;id&gt; --db ${esc(r.files.run_dir)}/gateways/&lt;gateway&gt;/data/audit.db …</code> (one <code>--db</code> per gateway).</p>
</main></body></html>
`;
}
