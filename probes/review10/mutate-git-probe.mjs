// review10: mutations of a real git bundle (deltas and all) through the pack walker: an exception
// (archive-broken:inspection-failed), a pass of a marked bundle, or a slow reading.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const dir = mkdtempSync(join(tmpdir(), 'r10-git-'));
const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b.cn', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b.cn' };
const git = (...a) => execFileSync('git', ['-C', dir, ...a], { stdio: 'ignore', env });
execFileSync('git', ['init', '-q', dir]);
for (let i = 1; i <= 8; i++) writeFileSync(join(dir, `m${i}.txt`), `模块 ${i}\n${'说明：按月汇总各区县数据。\n'.repeat(30)}`);
git('add', '-A'); git('commit', '-qm', 'init');
for (let r = 1; r <= 6; r++) { writeFileSync(join(dir, `m${r}.txt`), `${readFileSync(join(dir, `m${r}.txt`), 'utf8')}rev ${r}\n`); git('commit', '-qam', `r${r}`); }
writeFileSync(join(dir, 'm3.txt'), `${readFileSync(join(dir, 'm3.txt'), 'utf8')}文件密级：机密★10年\n`); git('commit', '-qam', 'x');
git('gc', '-q'); git('bundle', 'create', join(dir, 'a.bundle'), '--all');
const b = readFileSync(join(dir, 'a.bundle'));
console.log('bundle', b.length, JSON.stringify(kinds((await inspectBytes(b, {}, { filename: 'a.bundle' })).findings)));
let seed = 11; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const counts = {};
for (let i = 0; i < 300; i++) {
  const m = Buffer.from(b);
  const k = Math.floor(rnd() * 3);
  if (k === 0) for (let j = 0; j < 1 + rnd() * 4; j++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
  const body = k === 1 ? m.subarray(0, Math.floor(rnd() * m.length)) : k === 2 ? Buffer.concat([m.subarray(0, 200 + Math.floor(rnd() * (m.length - 200))), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])]) : m;
  const t0 = process.cpuUsage();
  const r = await inspectBytes(body, {}, { filename: 'a.bundle' });
  const ms = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1000;
  const ks = kinds(r.findings);
  const key = ks.join(',') || 'CLEAN';
  counts[key] = (counts[key] ?? 0) + 1;
  if (r.findings.some((f) => f.subkind === 'inspection-failed') || ms > 3000 || ks.length === 0) console.log(i, k, body.length, `${ms | 0} ms`, JSON.stringify(ks), r.findings.map((f) => f.detail).filter(Boolean).join(' | ').slice(0, 200));
}
console.log(counts);
