// review10: mutations of the new readers' samples (git pack, xlsb, PST, ICC JPEG, signed p7m DER/BER, EBCDIC, RTF
// and docx fields, xlsx shared strings and formats), looking for an exception (archive-broken:inspection-failed)
// or a reading far slower than its size. `node probes/review10/mutate-probe.mjs [iterations]`.
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
import * as bm from '../../dist/test/bytes-misc-fixtures.js';
import * as wf from '../../dist/test/word-field-fixtures.js';
import * as xb from '../../dist/test/xlsb-fixtures.js';
import * as sr from '../../dist/test/sheet-rows-fixtures.js';
const N = Number(process.argv[2] ?? 300);
let seed = Number(process.argv[3] ?? 7);
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const samples = [...bm.pstSamples(), ...bm.iccSplitSamples(), ...bm.signedFileSamples(), ...bm.ebcdicSamples(), ...wf.wordFieldSamples(), ...xb.xlsbSamples(), ...sr.sheetRowsSamples(), ...sr.numberFormatSamples()];
console.log('samples', samples.length);
function mutate(b) {
  const m = Buffer.from(b);
  const k = Math.floor(rnd() * 4);
  if (k === 0) { for (let i = 0; i < 1 + rnd() * 8; i++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256); return m; }
  if (k === 1) return m.subarray(0, Math.floor(rnd() * m.length));
  if (k === 2) { const at = Math.floor(rnd() * m.length); return Buffer.concat([m.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0x7f, 0x80, 0x00]), m.subarray(at)]); }
  const at = Math.floor(rnd() * m.length); const n = Math.floor(rnd() * 64); return Buffer.concat([m.subarray(0, at), m.subarray(Math.min(m.length, at + n))]);
}
for (let i = 0; i < N; i++) {
  const s = samples[Math.floor(rnd() * samples.length)];
  const body = typeof s.body === 'string' ? Buffer.from(s.body) : s.body;
  const m = mutate(body);
  const t0 = process.cpuUsage();
  const r = await inspectBytes(m, {}, { filename: s.filename, declaredType: s.type });
  const ms = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1000;
  const ks = kinds(r.findings);
  const failed = r.findings.filter((f) => f.subkind === 'inspection-failed');
  if (failed.length || ms > 3000) console.log(i, s.name.slice(0, 60), m.length, `${ms | 0} ms`, JSON.stringify(ks), failed.map((f) => f.detail).join(' | '));
}
console.log('done');
