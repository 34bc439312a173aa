import type { SimReport } from './report.js';

// Charts as inline SVG, drawn from report.json alone: the report opens with
// no network (no CDN, no script).

export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Networks on a circle, each gateway between the networks it borders, a line per link. */
export function topologySvg(r: SimReport): string {
  const t = r.topology as { networks: string[]; gateways: Array<{ name: string; borders: string[]; clamd: boolean }>; systems: Array<{ id: string; receive: string }> };
  const W = 720, H = 440, cx = W / 2, cy = H / 2, R = 160;
  const pos = new Map<string, { x: number; y: number }>();
  const hub = t.networks.find((n) => t.gateways.filter((g) => g.borders.includes(n)).length > 2);
  const ring = t.networks.filter((n) => n !== hub);
  if (hub) pos.set(hub, { x: cx, y: cy });
  ring.forEach((n, k) => { const a = (2 * Math.PI * k) / ring.length - Math.PI / 2; pos.set(n, { x: cx + R * 1.25 * Math.cos(a), y: cy + R * Math.sin(a) }); });
  const links = new Map(r.links.map((l) => [l.id, l]));
  const parts: string[] = [];
  const gpos = t.gateways.map((g, k) => {
    const ps = g.borders.map((n) => pos.get(n)!).filter(Boolean);
    let x = ps.reduce((a, p) => a + p.x, 0) / ps.length;
    let y = ps.reduce((a, p) => a + p.y, 0) / ps.length;
    // Gateways on the same pair of networks are spread apart.
    const same = t.gateways.slice(0, k).filter((h) => h.borders.join() === g.borders.join()).length;
    x += same * 26; y += same * 26;
    return { g, x, y };
  });
  for (const { g, x, y } of gpos) {
    for (const n of g.borders) {
      const p = pos.get(n)!;
      const l = links.get(`${g.name}/${n}`);
      const label = [l?.configured.latency_ms ? `${l.configured.latency_ms} ms` : '', l?.configured.bandwidth_Bps ? `${fmtRate(l.configured.bandwidth_Bps)}` : ''].filter(Boolean).join(' · ');
      const cut = r.faults.timeline.some((e) => e.target === `${g.name}/${n}` && e.kind === 'cut');
      parts.push(`<line x1="${x}" y1="${y}" x2="${p.x}" y2="${p.y}" stroke="${cut ? '#c0392b' : '#7f8c8d'}" stroke-width="2" ${cut ? 'stroke-dasharray="6 4"' : ''}/>`);
      if (label) parts.push(`<text x="${(x + p.x) / 2}" y="${(y + p.y) / 2 - 4}" class="lk">${esc(label)}</text>`);
    }
  }
  for (const n of t.networks) {
    const p = pos.get(n)!;
    const systems = t.systems.filter((s) => s.id.startsWith(`${n}/`));
    parts.push(`<ellipse cx="${p.x}" cy="${p.y}" rx="62" ry="30" fill="#eaf2fb" stroke="#2e6da4" stroke-width="1.5"/><text x="${p.x}" y="${p.y - 4}" class="net">${esc(n)}</text><text x="${p.x}" y="${p.y + 12}" class="sys">${esc(systems.map((s) => s.id.split('/')[1]).join(', ').slice(0, 34))}</text>`);
  }
  for (const { g, x, y } of gpos) {
    const killed = r.faults.timeline.some((e) => e.target === g.name);
    parts.push(`<rect x="${x - 48}" y="${y - 14}" width="96" height="28" rx="5" fill="${killed ? '#fdebd0' : '#fef9e7'}" stroke="#b9770e" stroke-width="1.5"/><text x="${x}" y="${y + 4}" class="gw">${esc(g.name)}${g.clamd ? ' +AV' : ''}</text>`);
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="topology">${parts.join('')}</svg>`;
}

export function fmtRate(bps: number): string {
  if (bps >= 1024 * 1024) return `${(bps / 1024 / 1024).toFixed(1)} MiB/s`;
  if (bps >= 1024) return `${(bps / 1024).toFixed(0)} KiB/s`;
  return `${bps} B/s`;
}

interface Series { name: string; color: string; points: Array<[number, number | null]> }

/** A line chart over the run's time axis, with fault intervals shaded. */
export function lineChart(r: SimReport, title: string, unit: string, series: Series[], healed = 'healed'): string {
  const W = 720, H = 220, L = 48, B = 28, T = 22, Rr = 12;
  const tMax = Math.max(1, r.drained_at_ms);
  const yMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1] ?? 0)));
  const X = (t: number) => L + ((W - L - Rr) * t) / tMax;
  const Y = (v: number) => H - B - ((H - B - T) * v) / yMax;
  const out: string[] = [`<text x="${L}" y="14" class="ct">${esc(title)}</text>`];
  // Fault bands.
  const starts = r.faults.timeline.filter((e) => e.phase === 'start');
  for (const s of starts) {
    const e = r.faults.timeline.find((x) => x.phase === 'end' && x.kind === s.kind && x.target === s.target && x.atMs >= s.atMs);
    const x1 = X(s.atMs), x2 = X(e?.atMs ?? tMax);
    out.push(`<rect x="${x1}" y="${T}" width="${Math.max(2, x2 - x1)}" height="${H - B - T}" fill="#e74c3c" opacity="0.12"/><text x="${x1 + 2}" y="${T + 10}" class="fl">${esc(`${s.kind} ${s.target}`)}</text>`);
  }
  out.push(`<line x1="${X(r.healed_at_ms)}" y1="${T}" x2="${X(r.healed_at_ms)}" y2="${H - B}" stroke="#27ae60" stroke-dasharray="3 3"/><text x="${X(r.healed_at_ms) + 3}" y="${H - B - 4}" class="fl" fill="#27ae60">${esc(healed)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    out.push(`<line x1="${L}" y1="${Y(v)}" x2="${W - Rr}" y2="${Y(v)}" stroke="#ecf0f1"/><text x="${L - 4}" y="${Y(v) + 4}" class="ax" text-anchor="end">${v >= 10 ? Math.round(v) : v.toFixed(1)}</text>`);
  }
  for (let k = 0; k <= 5; k++) {
    const t = (tMax * k) / 5;
    out.push(`<text x="${X(t)}" y="${H - 10}" class="ax" text-anchor="middle">${(t / 1000).toFixed(0)} s</text>`);
  }
  out.push(`<text x="6" y="${T + 4}" class="ax">${esc(unit)}</text>`);
  series.forEach((s, k) => {
    let d = '';
    let pen = false;
    for (const [t, v] of s.points) {
      if (v === null) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${X(t).toFixed(1)},${Y(v).toFixed(1)}`;
      pen = true;
    }
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"/><rect x="${W - 170}" y="${T + 4 + k * 14}" width="10" height="3" fill="${s.color}"/><text x="${W - 156}" y="${T + 9 + k * 14}" class="ax">${esc(s.name)}</text>`);
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${out.join('')}</svg>`;
}

export function histogramSvg(r: SimReport, title = 'End-to-end latency (sent → held by the destination), all delivered items'): string {
  const W = 720, H = 200, L = 48, B = 30, T = 20;
  const h = r.latency_ms.histogram;
  const max = Math.max(1, ...h.map((b) => b.count));
  const bw = (W - L - 12) / h.length;
  const out = [`<text x="${L}" y="14" class="ct">${esc(title)}</text>`];
  h.forEach((b, k) => {
    const hh = ((H - B - T) * b.count) / max;
    out.push(`<rect x="${L + k * bw + 1}" y="${H - B - hh}" width="${bw - 2}" height="${hh}" fill="#2e86c1"><title>${b.count} items ≤ ${b.upto_ms} ms</title></rect>`);
    if (k % 4 === 3) out.push(`<text x="${L + (k + 1) * bw}" y="${H - 12}" class="ax" text-anchor="middle">${b.upto_ms} ms</text>`);
  });
  out.push(`<text x="${L - 4}" y="${T + 6}" class="ax" text-anchor="end">${max}</text><text x="${L - 4}" y="${H - B}" class="ax" text-anchor="end">0</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="latency">${out.join('')}</svg>`;
}
