import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimReport } from './report.js';
import { esc, fmtRate, histogramSvg, lineChart, topologySvg } from './report-svg.js';
import { reasonText } from './reason-text.js';
import { faultWhat } from './sim-text.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

// report.json and a self-contained report.html (inline CSS and SVG, no
// script, nothing fetched) in the report directory. The page is in the
// reader's language (i18n/*/sim.ts, html); report.json stays English, with
// reason_keys for a program that says the reasons itself. Route names, rule
// ids, codes, finding kinds and the evidence's own figures stay as they are.

export async function writeReportFiles(dir: string, r: SimReport, configs: Array<{ name: string; config: string }>, locale: Locale = 'en'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), JSON.stringify(r, null, 2) + '\n');
  await writeFile(join(dir, 'report.html'), reportHtml(r, configs, locale));
}

const COUNT_COLUMNS = ['items', 'accepted', 'delivered', 'refused', 'lost', 'duplicated', 'false_accept', 'false_refuse', 'fail_closed', 'settled_failed', 'pending', 'unanswered'] as const;

function table(head: string[], rows: Array<Array<string | number>>, cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c : c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function reportHtml(r: SimReport, configs: Array<{ name: string; config: string }>, locale: Locale = 'en'): string {
  const tr = translator(locale, 'sim');
  const t = (key: string, params?: Record<string, unknown>): string => tr(`html.${key}`, params);
  const c = r.counts;
  const bad = (k: string, v: number) => (['lost', 'duplicated', 'false_accept', 'false_refuse', 'unexpected', 'corrupted'].includes(k) && v > 0 ? ` class="bad"` : '');
  const routeRows = Object.entries(r.routes).map(([route, x]) => [esc(route), ...COUNT_COLUMNS.map((k) => `<span${bad(k, x[k])}>${x[k]}</span>`), `${x.latency_ms.p50} / ${x.latency_ms.p99}`]);
  routeRows.push([`<b>${esc(t('allRoutes'))}</b>`, ...COUNT_COLUMNS.map((k) => `<b${bad(k, c[k])}>${c[k]}</b>`), `${r.latency_ms.files.p50} / ${r.latency_ms.files.p99}`]);
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
    ...gateways.map((g, k) => ({ name: t('queueSeries', { gateway: g }), color: palette[k % palette.length]!, points: r.samples.map((s) => [s.atMs, s.queue[g] ?? null] as [number, number | null]) })),
    { name: t('inFlight'), color: '#34495e', points: r.samples.map((s) => [s.atMs, Object.values(s.routes).reduce((a, x) => a + x.inFlight, 0)] as [number, number | null]) },
  ];
  const verdictClass = r.verdict === 'valid' ? 'ok' : r.verdict === 'invalid' ? 'bad' : 'unk';
  const topo = r.topology as { name: string; description: string; file: string; gateways: Array<{ name: string; borders: string[]; routes: Record<string, string>; peers: Record<string, string[]>; policy: string | null }> };
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${esc(t('title', { name: topo.name, verdict: tr(`summary.verdicts.${r.verdict}`) }))}</title>
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
<h1>${esc(t('h1', { name: topo.name }))} <span class="verdict ${verdictClass}">${esc(tr(`summary.verdicts.${r.verdict}`))}</span></h1>
<div class="muted">${esc(topo.description)}</div>
<div class="muted">${esc(t('meta', { seed: r.seed, mode: r.mode.name, started: r.started, seconds: (r.duration_ms / 1000).toFixed(1), file: topo.file }))}</div>
${r.reason_keys.length ? `<ul>${r.reason_keys.map((x) => `<li class="${r.verdict === 'invalid' ? 'bad' : ''}">${esc(reasonText(x, locale))}</li>`).join('')}</ul>` : `<p>${esc(t('allGood'))}</p>`}

<h2>${esc(t('outcome'))}</h2>
${table([t('route'), ...COUNT_COLUMNS.map((k) => t(`cols.${k}`)), t('latencyCol')], routeRows, 'counts')}
<p class="muted">${esc(t('outcomeNote', { rate: (r.delivered_rate * 100).toFixed(1), unexpected: c.unexpected, corrupted: c.corrupted, redelivered: c.redelivered, dropped: r.receivers_dropped, receipts: `${r.receipts.checked - r.receipts.failed}/${r.receipts.checked}` }))}</p>

<h2>${esc(t('topology'))}</h2>
${topologySvg(r)}
${table([t('gwCols.gateway'), t('gwCols.borders'), t('gwCols.routes'), t('gwCols.peers'), t('gwCols.policy')], topo.gateways.map((g) => [esc(g.name), esc(g.borders.join(', ')), esc(Object.entries(g.routes).map(([n, v]) => `${n} → ${v}`).join(', ') || '—'), esc(Object.entries(g.peers).map(([p, n]) => `${p} (${n.join(', ')})`).join(', ') || '—'), esc(g.policy ?? t('noPolicy'))]), 'wide')}

<h2>${esc(t('overTime'))}</h2>
${lineChart(r, t('rateChart'), t('rateUnit'), rateSeries, t('healed'))}
${lineChart(r, t('queueChart'), t('queueUnit'), queueSeries, t('healed'))}
<p class="muted">${esc(t('throughputNote', { rate: r.throughput.items_per_s, bytes: fmtRate(r.throughput.bytes_per_s), items: r.throughput.delivered_items, seconds: (r.throughput.window_ms / 1000).toFixed(1), mean: r.cpu.mean_busy === null ? '?' : Math.round(r.cpu.mean_busy * 100), max: r.cpu.max_busy === null ? '?' : Math.round(r.cpu.max_busy * 100) }))}${r.cpu.saturated ? t('saturated') : ''}.</p>

<h2>${esc(t('latency'))}</h2>
${histogramSvg(r, t('histogram'))}
${table((['kind', 'n', 'p50', 'p90', 'p99', 'max'] as const).map((k) => t(`latCols.${k}`)), [[esc(t('files')), r.latency_ms.files.n, r.latency_ms.files.p50, r.latency_ms.files.p90, r.latency_ms.files.p99, r.latency_ms.files.max], [esc(t('messages')), r.latency_ms.messages.n, r.latency_ms.messages.p50, r.latency_ms.messages.p90, r.latency_ms.messages.p99, r.latency_ms.messages.max]])}

<h2>${esc(t('refusals'))}</h2>
<div style="display:flex;gap:24px;flex-wrap:wrap">
${table([t('refCols.rule'), t('refCols.refused')], Object.entries(r.refusals.by_rule).sort((a, b) => b[1] - a[1]).map(([k, v]) => [esc(k), v]))}
${table([t('refCols.finding'), t('refCols.items')], Object.entries(r.refusals.by_finding).sort((a, b) => b[1] - a[1]).map(([k, v]) => [esc(k), v]))}
${table([t('refCols.code'), t('refCols.answers')], Object.entries(r.refusals.by_code).sort((a, b) => b[1] - a[1]).map(([k, v]) => [esc(k), v]))}
</div>

<h2>${esc(t('evidence'))}</h2>
<p class="muted">${esc(t('evidenceNote'))}</p>
${table([t('evCols.area'), t('evCols.tested'), t('evCols.result'), t('evCols.figures')], r.evidence.map((e) => [locale === 'zh-CN' ? `${esc(e.area_zh)}<br><span class="muted">${esc(e.area)}</span>` : `${esc(e.area)}<br><span class="muted">${esc(e.area_zh)}</span>`, esc(e.tested), `<span class="${e.result === 'pass' ? 'pass' : e.result === 'fail' ? 'fail' : e.result === 'incomplete' ? 'inc' : 'none'}">${esc(t(`results.${e.result.replace(' ', '-')}`))}</span>`, esc(e.figures)]), 'wide')}

<h2>${esc(t('faults'))}</h2>
${r.faults.timeline.length ? table([t('faultCols.t'), t('faultCols.time'), t('faultCols.what')], r.faults.timeline.map((e) => [(e.atMs / 1000).toFixed(2), esc(e.time), `${e.phase === 'start' ? '⚡' : '✓'} ${esc(faultWhat(e, locale))}`]), 'wide') : `<p>${esc(t('noFaults'))}</p>`}
${r.faults.never_fired.length ? `<p class="bad">${esc(t('neverFired', { list: r.faults.never_fired.map((f) => `${f.kind} ${f.target}`).join(', ') }))}</p>` : ''}
<p class="muted">${esc(t('restarts', { list: Object.entries(r.gateway_restarts).map(([g, n]) => `${g} ${n}`).join(', ') }))}</p>

<h2>${esc(t('links'))}</h2>
${table((['link', 'latency', 'jitter', 'bandwidth', 'up', 'down', 'bytes', 'shapedBy'] as const).map((k) => t(`linkCols.${k}`)), r.links.map((l) => [esc(l.id), `${l.configured.latency_ms} ms`, `${l.configured.jitter_ms} ms`, l.configured.bandwidth_Bps ? fmtRate(l.configured.bandwidth_Bps) : esc(t('unshaped')), fmtRate(l.measured.up_peak_Bps), fmtRate(l.measured.down_peak_Bps), `${l.measured.up_bytes} / ${l.measured.down_bytes}`, esc(l.shaped_by)]))}

${r.isolation ? `<h2>${esc(t('isolation'))}</h2><p class="muted">${esc(t('isolationNote'))}</p>${table([t('isoCols.from'), t('isoCols.to'), t('isoCols.expected'), t('isoCols.outcome'), ''], r.isolation.probes.map((p) => [esc(p.from), esc(p.to), esc(t(p.expect === 'reach' ? 'reachable' : 'unreachable')), esc(p.outcome), p.ok ? `<span class="pass">${esc(t('asExpected'))}</span>` : `<span class="fail">${esc(t('notAsExpected'))}</span>`]), 'wide')}` : ''}

<h2>${esc(t('audit'))}</h2>
${table((['gateway', 'verified', 'records', 'checkpoints', 'byEvent'] as const).map((k) => t(`auditCols.${k}`)), r.audit.gateways.map((g) => [esc(g.gateway), g.ok ? `<span class="pass">${esc(t('yes'))}</span>` : `<span class="fail">${esc(t('no', { failure: g.failure }))}</span>`, g.records, g.checkpoints, esc(Object.entries(g.by_event).map(([k, v]) => `${k} ${v}`).join(', '))]), 'wide')}
<p class="muted">${t('auditNote', { final: r.audit.final_record_problems, aborted: r.audit.aborted_attempts, mismatch: r.audit.identity_mismatches })}</p>

${r.problems.length ? `<h2>${esc(t('problems'))}</h2><ul>${r.problems.slice(0, 60).map((p) => `<li>${esc(p)}</li>`).join('')}</ul>${r.problems.length > 60 ? `<p class="muted">${esc(t('moreProblems', { n: r.problems.length - 60 }))}</p>` : ''}` : ''}

<h2>${esc(t('notes'))}</h2>
<ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<details><summary>${esc(t('configs'))}</summary>${configs.map((x) => `<h3>${esc(x.name)}</h3><pre>${esc(x.config)}</pre>`).join('')}</details>
<p class="muted">${t('runDir', { dir: esc(r.files.run_dir) })}</p>
</main></body></html>
`;
}
