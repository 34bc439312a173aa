// The simulator's terminal output in either language: the verdict, its
// reasons, the table (aligned by the width a terminal shows, a Chinese
// character taking two columns) and the fault lines. report.json keeps its
// English reasons whatever the language.
import t from 'tap';
import stringWidth from 'string-width';
import { faultLine, summaryText } from '../simulator/sim-text.js';
import { reasonText, type Reason } from '../simulator/reason-text.js';
import type { SimReport } from '../simulator/report.js';

const counts = (items: number, delivered: number, refused: number, lost: number) => ({
  items, accepted: delivered + lost, delivered, refused, lost, duplicated: 0, false_accept: 0, false_refuse: 0,
  fail_closed: 0, settled_failed: 0, pending: 0, unanswered: 0, expected_cross: delivered + lost, unexpected: 0, corrupted: 0, redelivered: 0,
});
const p = { n: 1, p50: 10, p90: 20, p99: 30, max: 40 };
const lost: Reason = { key: 'lost', params: { n: 1, allowed: 0 } };
// Only the fields the terminal summary reads.
const report = {
  verdict: 'invalid', reasons: [reasonText(lost, 'en')], reason_keys: [lost],
  counts: counts(30, 25, 4, 1),
  routes: { 'police/records → extranet/archive': { ...counts(20, 15, 4, 1), latency_ms: p }, 'police/records → extranet/portal': { ...counts(10, 10, 0, 0), latency_ms: p } },
  throughput: { items_per_s: 2.5, bytes_per_s: 20480 }, latency_ms: { files: p, messages: p },
  cpu: { saturated: false }, mode: { name: 'loopback' },
  faults: { timeline: [{ atMs: 1000, kind: 'cut', phase: 'start' }] },
  audit: { gateways: [{ ok: true }] }, receipts: { checked: 50, failed: 0 },
} as unknown as SimReport;

t.test('the summary in Chinese: verdict, reasons and a table whose columns line up on a terminal', async (t) => {
  const text = summaryText(report, '/tmp/r', 'zh-CN');
  t.match(text, /结论：不通过（INVALID） — 丢失 1 项（允许 0 项）/);
  t.match(text, /审计日志全部校验通过；回执 50\/50 已校验/);
  const table = text.split('\n').filter((l) => /^  (路径|police|合计)/.test(l));
  t.equal(table.length, 4, 'heading, two routes and the total');
  t.equal(new Set(table.map((l) => stringWidth(l))).size, 1, 'every row as wide as the heading');
  // Where each of the eight figure columns ends, in terminal columns: the same in every row, heading included.
  const ends = table.map((l) => [...l.matchAll(/\S+/g)].slice(-8).map((m) => stringWidth(l.slice(0, m.index + m[0].length))).join(','));
  t.equal(new Set(ends).size, 1, `the columns end at the same place in every row: ${ends.join(' | ')}`);
});

t.test('the summary in English keeps its wording; report.json reasons stay English', async (t) => {
  const text = summaryText(report, '/tmp/r', 'en');
  t.match(text, /verdict: INVALID — 1 lost \(allowed 0\)/);
  t.match(text, /receipts 50\/50 verified/);
  t.same(report.reasons, ['1 lost (allowed 0)']);
});

t.test('fault lines: each kind and phase in the reader\'s language; a failed restart says its error as it is', async (t) => {
  const e = (kind: string, phase: 'start' | 'end', extra = {}) => ({ atMs: 10_500, time: '', kind, target: 'gw1', phase, detail: `${kind} ${phase} (raw)`, ...extra });
  t.equal(faultLine(e('cut', 'start'), 'zh-CN'), '  [ 10.5 s] 故障 链路 gw1 中断（连接被重置）');
  t.equal(faultLine(e('kill', 'end'), 'en'), '  [ 10.5 s] healed gw1 restarted');
  t.equal(faultLine(e('degrade', 'start', { latencyMs: 80, bandwidth: 1000 }), 'zh-CN'), '  [ 10.5 s] 故障 链路 gw1 降级，时延 80 毫秒，带宽 1000 字节/秒');
  t.equal(faultLine(e('kill', 'end', { failed: true, detail: 'restart failed: port in use' }), 'zh-CN'), '  [ 10.5 s] 恢复 restart failed: port in use');
  for (const kind of ['kill', 'stop', 'cut', 'degrade', 'down', 'clamd']) {
    for (const phase of ['start', 'end'] as const) t.notMatch(faultLine(e(kind, phase), 'zh-CN'), /\(raw\)|fault\./, `${kind} ${phase} has its own sentence`);
  }
});
