import type { GatewayEvidence } from './audit-evidence.js';
import type { CheckResult, Counts } from './checker.js';
import type { TimelineEvent } from './faults.js';
import type { LinkShaper } from './link-shaper.js';
import type { Delivery } from './receivers.js';
import type { Sample } from './sampler.js';
import type { Outcome } from './senders.js';
import type { FaultSpec, Topology } from './topology.js';
import type { ProbeResult } from './isolation.js';
import { reasonText, type Reason } from './reason-text.js';
import { kernelShapedBy, type KernelDirection, type KernelStats } from './kernel-shaping.js';

// report.json: everything a run found, machine-readable. The HTML report and
// the terminal summary are drawn from this and nothing else.

export type KernelShape = KernelDirection & Partial<KernelStats>;
export interface Percentiles { n: number; p50: number; p90: number; p99: number; max: number }
export interface EvidenceArea { area: string; area_zh: string; tested: string; result: 'pass' | 'fail' | 'incomplete' | 'not exercised'; figures: string }

export interface SimReport {
  tool: string;
  topology: Record<string, unknown>;
  seed: number;
  mode: { name: string; detail: string };
  started: string;
  duration_ms: number;
  healed_at_ms: number;
  drained_at_ms: number;
  verdict: CheckResult['verdict'];
  reasons: string[];
  /** The reasons as data (key and figures), to say them in the reader's language. */
  reason_keys: Reason[];
  counts: Counts;
  delivered_rate: number;
  routes: Record<string, Counts & { latency_ms: Percentiles }>;
  throughput: { delivered_items: number; delivered_bytes: number; window_ms: number; items_per_s: number; bytes_per_s: number };
  latency_ms: { files: Percentiles; messages: Percentiles; histogram: Array<{ upto_ms: number; count: number }> };
  links: Array<{
    id: string; configured: { latency_ms: number; jitter_ms: number; bandwidth_Bps: number | null }; measured: { up_bytes: number; down_bytes: number; up_peak_Bps: number; down_peak_Bps: number; peak_from: { up: string; down: string } }; shaped_by: string;
    /** isolation mode: the qdisc or class that shaped each direction's bandwidth, with what it sent and dropped */
    kernel: { up: KernelShape | null; down: KernelShape | null } | null;
  }>;
  cpu: { mean_busy: number | null; max_busy: number | null; saturated: boolean };
  faults: { timeline: TimelineEvent[]; never_fired: Array<{ kind: string; target: string }> };
  gateway_restarts: Record<string, number>;
  audit: { gateways: Array<CheckResult['audit']['gateways'][number] & { by_event: Record<string, number> }>; final_record_problems: number; aborted_attempts: number; identity_mismatches: number };
  receipts: CheckResult['receipts'];
  refusals: { by_rule: Record<string, number>; by_finding: Record<string, number>; by_code: Record<string, number> };
  receivers_dropped: number;
  problems: string[];
  evidence: EvidenceArea[];
  samples: Sample[];
  items: CheckResult['items'];
  /** isolation mode: what each network's namespace could and could not reach */
  isolation: { probes: ProbeResult[]; ok: boolean } | null;
  notes: string[];
  files: { run_dir: string; configs: Record<string, string> };
}

export function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : 0);
  return { n: s.length, p50: Math.round(q(0.5)), p90: Math.round(q(0.9)), p99: Math.round(q(0.99)), max: Math.round(s[s.length - 1] ?? 0) };
}

export interface ReportInput {
  topo: Topology;
  seed: number;
  mode: { name: string; detail: string };
  runDir: string;
  outcomes: Outcome[];
  result: CheckResult;
  evidence: GatewayEvidence[];
  samples: Sample[];
  timeline: TimelineEvent[];
  neverFired: FaultSpec[];
  links: Map<string, LinkShaper>;
  deliveries: Delivery[];
  dropped: number;
  healedAtMs: number;
  drainedAtMs: number;
  restarts: Record<string, number>;
  configs: Record<string, string>;
  isolation?: ProbeResult[] | null;
  /** no link proxies at all (the benchmark's baseline) */
  direct?: boolean;
  /** isolation mode: the qdiscs the kernel offers, and what each kernel-shaped link sent */
  kernel?: { qdiscs: string[]; stats: Map<string, { up: KernelStats | null; down: KernelStats | null }> } | null;
}

const count = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };

export function buildReport(i: ReportInput): SimReport {
  const { topo, result } = i;
  const byHash = new Map(i.deliveries.map((d) => [d.sha256, d]));
  const latencies = { file: [] as number[], message: [] as number[] };
  const perRoute = new Map<string, number[]>();
  let bytes = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const o of i.outcomes) {
    const d = o.state === 'accepted' ? byHash.get(o.item.sha256) : undefined;
    if (!d || o.sentAtMs === null) continue;
    const l = d.atMs - o.sentAtMs;
    latencies[o.item.kind].push(l);
    (perRoute.get(o.item.route) ?? perRoute.set(o.item.route, []).get(o.item.route)!).push(l);
    bytes += d.size;
    first = Math.min(first, o.sentAtMs);
    last = Math.max(last, d.atMs);
  }
  const delivered = latencies.file.length + latencies.message.length;
  const window = delivered ? last - first : 0;
  const all = [...latencies.file, ...latencies.message];
  const top = Math.max(1, ...all);
  const step = Math.max(1, Math.ceil(top / 20));
  const histogram = Array.from({ length: 20 }, (_, k) => ({ upto_ms: (k + 1) * step, count: all.filter((l) => l > k * step && l <= (k + 1) * step || (k === 0 && l <= 0)).length }));

  // Measured link rates: the busiest sampling interval, per direction. Where the kernel shapes a
  // direction, its qdisc's own count, over intervals of at least two seconds (a tbf lets a 64 KiB
  // burst through at once, and a `tc` read on a busy machine is only known to within its run time):
  // the proxy's count would include what waits in the socket buffers.
  const links = [...i.links.values()].map((l) => {
    const fromKernel = {
      up: !!l.kernel?.up && i.samples.some((s) => s.kernel?.bytes[l.id]?.up != null),
      down: !!l.kernel?.down && i.samples.some((s) => s.kernel?.bytes[l.id]?.down != null),
    };
    const peak = (dir: 'up' | 'down') => {
      const points = fromKernel[dir]
        ? i.samples.flatMap((s) => (s.kernel?.bytes[l.id]?.[dir] != null ? [[s.kernel.atMs, s.kernel.bytes[l.id]![dir]!] as const] : []))
        : i.samples.map((s) => [s.atMs, s.linkBytes[l.id]?.[dir] ?? 0] as const);
      const span = fromKernel[dir] ? 2000 : 0;
      let best = 0;
      for (let k = 1, j = 0; k < points.length; k++) {
        while (j < k - 1 && points[k]![0] - points[j + 1]![0] >= span) j++;
        const dt = (points[k]![0] - points[j]![0]) / 1000;
        if (dt > 0 && dt * 1000 >= span) best = Math.max(best, (points[k]![1] - points[j]![1]) / dt);
      }
      return best;
    };
    const upPeak = peak('up');
    const downPeak = peak('down');
    return {
      id: l.id,
      configured: { latency_ms: l.configured.latencyMs, jitter_ms: l.configured.jitterMs, bandwidth_Bps: l.configured.bandwidth },
      measured: {
        up_bytes: l.up.bytes, down_bytes: l.down.bytes, up_peak_Bps: Math.round(upPeak), down_peak_Bps: Math.round(downPeak),
        peak_from: { up: fromKernel.up ? l.kernel!.up!.qdisc : 'proxy', down: fromKernel.down ? l.kernel!.down!.qdisc : 'proxy' },
      },
      shaped_by: i.direct ? 'nothing: direct connections, no link proxy (baseline)'
        : i.mode.name === 'netns' ? kernelShapedBy(l.kernel ?? undefined, l.configured.bandwidth, i.kernel?.qdiscs ?? [])
          : 'TCP proxy on 127.0.0.1 (latency, jitter, bandwidth, cuts)',
      kernel: l.kernel ? {
        up: l.kernel.up && { ...l.kernel.up, ...i.kernel?.stats.get(l.id)?.up },
        down: l.kernel.down && { ...l.kernel.down, ...i.kernel?.stats.get(l.id)?.down },
      } : null,
    };
  });
  const cpu = i.samples.map((s) => s.cpuBusy).filter((x): x is number => x !== null);
  const meanCpu = cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null;
  const byRule: Record<string, number> = {};
  const byFinding: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  for (const o of i.outcomes) {
    if (!o.refusal) continue;
    count(byCode, o.refusal.code);
    count(byRule, o.refusal.rule ?? '(default deny)');
    for (const f of new Set(o.refusal.findings)) count(byFinding, f);
  }
  let identityMismatches = 0;
  for (const o of i.outcomes) {
    if (o.state !== 'accepted' || !o.transferId) continue;
    const t = i.evidence.find((e) => e.gateway === o.gateway)?.trails.get(o.transferId);
    if (t && t.principal !== `ferry://${o.item.from}`) identityMismatches++;
  }
  const routes: SimReport['routes'] = {};
  for (const [r, c] of result.routes) routes[r] = { ...c, latency_ms: percentiles(perRoute.get(r) ?? []) };
  const report: SimReport = {
    tool: 'ferry sim run',
    topology: {
      name: topo.name, file: topo.file, description: topo.description, networks: topo.networks,
      gateways: topo.gateways.map((g) => ({
        name: g.name, borders: g.borders, clamd: g.clamd, policy: g.policy && 'file' in g.policy ? g.policy.file : g.policy ? 'inline' : null,
        routes: Object.fromEntries(topo.routes.routesOf(g.name)), peers: Object.fromEntries(topo.routes.peersOf(g.name)),
      })),
      systems: topo.systems.map((s) => ({ id: s.id, receive: s.receive, ...(s.dropEvery ? { drop_every: s.dropEvery } : {}) })),
      workloads: topo.workloads.map((w) => ({ from: w.from, to: w.to, path: w.path, label: w.label, expect: w.expect, files: w.files, messages: w.messages, refuse: w.refuse })),
      expect: topo.expect,
    },
    seed: i.seed, mode: i.mode, started: new Date(Date.now() - i.drainedAtMs).toISOString(), duration_ms: Math.round(i.drainedAtMs),
    healed_at_ms: Math.round(i.healedAtMs), drained_at_ms: Math.round(i.drainedAtMs),
    verdict: result.verdict, reasons: result.reasons, reason_keys: result.reasonKeys, counts: result.overall, delivered_rate: result.deliveredRate, routes,
    throughput: { delivered_items: delivered, delivered_bytes: bytes, window_ms: Math.round(window), items_per_s: window ? +(delivered / (window / 1000)).toFixed(2) : 0, bytes_per_s: window ? Math.round(bytes / (window / 1000)) : 0 },
    latency_ms: { files: percentiles(latencies.file), messages: percentiles(latencies.message), histogram },
    links,
    cpu: { mean_busy: meanCpu === null ? null : +meanCpu.toFixed(3), max_busy: cpu.length ? +Math.max(...cpu).toFixed(3) : null, saturated: cpu.filter((c) => c > 0.9).length > cpu.length / 2 },
    faults: { timeline: i.timeline, never_fired: i.neverFired.map((f) => ({ kind: f.kind, target: f.target })) },
    gateway_restarts: i.restarts,
    audit: { gateways: result.audit.gateways.map((g) => ({ ...g, by_event: i.evidence.find((e) => e.gateway === g.gateway)?.byEvent ?? {} })), final_record_problems: result.audit.finalRecordProblems, aborted_attempts: result.audit.abortedAttempts, identity_mismatches: identityMismatches },
    receipts: result.receipts,
    refusals: { by_rule: byRule, by_finding: byFinding, by_code: byCode },
    receivers_dropped: i.dropped,
    problems: result.problems.slice(0, 200),
    evidence: [],
    samples: i.samples,
    items: result.items,
    isolation: i.isolation ? { probes: i.isolation, ok: i.isolation.every((p) => p.ok) } : null,
    notes: [
      i.kernel && [...i.kernel.stats.keys()].length
        ? 'Random packet loss is not modelled: latency, jitter and cuts are applied at the TCP level by the link proxies (this kernel has no netem); the bandwidth of the links listed with a kernel qdisc is shaped by tc, whose queue drops packets when it is full, as a congested line does.'
        : 'Packet loss is not modelled: links are shaped at the TCP level (latency, jitter, a shared token bucket per direction, cuts that reset connections), so a lossy line shows up only as latency and lower throughput.',
      'A receiver that is offered the same transfer twice (a retry after a lost answer) keeps one copy, recognised by the idempotency key; such offers are counted as redelivered, not duplicated.',
      `Mode: ${i.mode.name} — ${i.mode.detail}.`,
    ],
    files: { run_dir: i.runDir, configs: i.configs },
  };
  if (report.isolation && !report.isolation.ok) {
    report.verdict = 'invalid';
    const reason: Reason = { key: 'isolation', params: { n: report.isolation.probes.filter((x) => !x.ok).length } };
    report.reason_keys.push(reason);
    report.reasons.push(reasonText(reason, 'en'));
    for (const p of report.isolation.probes.filter((x) => !x.ok)) report.problems.push(`isolation: from ${p.from} to ${p.to}: ${p.outcome} (expected ${p.expect === 'reach' ? 'reachable' : 'unreachable'})`);
  }
  report.evidence = evidenceAreas(report, i);
  return report;
}

function evidenceAreas(r: SimReport, i: ReportInput): EvidenceArea[] {
  const c = r.counts;
  const byKind = (k: string) => i.outcomes.filter((o) => o.item.refuseKind === k);
  const fateOf = (o: Outcome) => r.items.find((x) => x.id === o.item.id)?.fate;
  const refusedOk = (os: Outcome[]) => os.filter((o) => fateOf(o) === 'refused').length;
  const policyRefusals = i.outcomes.filter((o) => o.item.expect === 'refused' && o.item.refuseKind === null);
  const content = ['classified', 'personal_data', 'executable', 'zip_bomb'].flatMap(byKind);
  const malware = byKind('malware');
  // Fail only if something that must be refused got through; items never answered leave the area incomplete.
  const refusals = (os: Outcome[]): EvidenceArea['result'] => {
    if (!os.length) return 'not exercised';
    if (os.some((o) => fateOf(o) === 'false_accept')) return 'fail';
    return refusedOk(os) === os.length ? 'pass' : 'incomplete';
  };
  const unsettled = (os: Outcome[]) => { const n = os.filter((o) => fateOf(o) === 'unanswered' || fateOf(o) === 'pending').length; return n ? `, ${n} unanswered or pending` : ''; };
  const verdict = (ok: boolean, n: number): EvidenceArea['result'] => (n === 0 ? 'not exercised' : ok ? 'pass' : 'fail');
  const faults = r.faults.timeline.filter((e) => e.phase === 'start');
  return [
    { area: 'Access control', area_zh: '访问控制', tested: 'Transfers the policy must refuse (a direction or label no rule allows), decided before the body is read, by the rule that applies.',
      result: refusals(policyRefusals), figures: `${refusedOk(policyRefusals)} of ${policyRefusals.length} refused${unsettled(policyRefusals)}; refusals by code: ${Object.entries(r.refusals.by_code).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}` },
    { area: 'Content filtering', area_zh: '内容过滤', tested: 'Classified markings, personal data (GB 11643 resident ids), executables under a document name, zip bombs.',
      result: refusals(content), figures: `${refusedOk(content)} of ${content.length} refused${unsettled(content)}; false accepts overall ${c.false_accept}; findings: ${Object.entries(r.refusals.by_finding).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}` },
    { area: 'Virus protection', area_zh: '病毒防护', tested: 'EICAR test files scanned by a real clamd; with clamd stopped, transfers refused (fail closed), never waved through.',
      result: refusals(malware), figures: `${refusedOk(malware)} of ${malware.length} malware test files refused${unsettled(malware)}; ${c.fail_closed} refused while the antivirus was unavailable` },
    { area: 'Identity authentication', area_zh: '身份鉴别', tested: 'Every system and gateway used a certificate of the run\'s CA (mutual TLS); the identity each gateway recorded is the sender\'s certificate identity.',
      result: verdict(r.audit.identity_mismatches === 0, c.accepted), figures: `${c.accepted} accepted transfers, ${r.audit.identity_mismatches} recorded under another identity` },
    { area: 'Security audit', area_zh: '安全审计', tested: 'Every gateway\'s audit log verified (hash chain, Merkle tree, signed checkpoints); every settled transfer has exactly one final record.',
      result: verdict(r.audit.gateways.every((g) => g.ok) && r.audit.final_record_problems === 0, r.audit.gateways.length), figures: r.audit.gateways.map((g) => `${g.gateway}: ${g.ok ? 'verified' : 'FAILED'} (${g.records} records, ${g.checkpoints} checkpoints)`).join('; ') + `; ${r.audit.final_record_problems} trail problems` },
    { area: 'Data integrity', area_zh: '数据完整性', tested: 'Each delivered item\'s SHA-256 against what was sent; acceptance and delivery receipts verified with the gateways\' Ed25519 keys.',
      result: verdict(c.corrupted === 0 && r.receipts.failed === 0, c.delivered), figures: `${c.delivered} delivered byte-identical, ${c.corrupted} corrupted; ${r.receipts.checked - r.receipts.failed} of ${r.receipts.checked} receipts verified` },
    { area: 'Exchange rate', area_zh: '交换速率', tested: 'Sustained delivery rate and end-to-end latency over the shaped links, on this machine.',
      result: c.delivered ? 'pass' : 'not exercised', figures: `${r.throughput.items_per_s} items/s, ${(r.throughput.bytes_per_s / 1024).toFixed(0)} KiB/s; latency p50 ${r.latency_ms.files.p50} ms, p99 ${r.latency_ms.files.p99} ms (files)${r.cpu.saturated ? '; CPU saturated: the figures are this machine\'s limit' : ''}` },
    { area: 'Reliability', area_zh: '可靠性', tested: `Faults injected: ${faults.map((f) => `${f.kind} ${f.target}`).join(', ') || 'none'}; then healed and drained.`,
      result: verdict(c.lost === 0 && c.duplicated === 0 && r.verdict !== 'invalid', Math.max(faults.length, c.items)), figures: `lost ${c.lost}, duplicated ${c.duplicated}, pending ${c.pending}, redelivered (deduplicated) ${c.redelivered}` },
  ];
}
