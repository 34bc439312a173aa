// False positives of the id-number groupings (gateway/inspect/marks/id-groups.ts) on
// a corpus of ordinary files: the readings IdGroups writes (a region and a
// birth date that are real, the check not looked at) and how many of them
// pass the check, file by file, for one build or two side by side.
//
//   node bench/id-groups-corpus.mjs LIST [DIST [DIST2]]
//
// LIST: a file of absolute paths, one a line (.gz files are read inflated).
// DIST: a build's dist directory (default ./dist). With DIST2, each file is
// read by both and the files whose readings differ are listed with the new
// readings (and the text around the first), so a change is judged on what it
// adds, not on totals. The text is read as UTF-8 at the top level only (the
// scanner also reads decoded views: this is a lower bound of what a change
// adds, and a fast one; send the files it lists through inspectBytes for the
// findings). Chunks of 64 KiB, as the scanner reads.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [list, distA = 'dist', distB] = process.argv.slice(2);
if (!list) {
  console.error('usage: node bench/id-groups-corpus.mjs LIST [DIST [DIST2]]');
  process.exit(2);
}
const load = async (dist) => {
  const base = pathToFileURL(resolve(dist)).href;
  const { IdGroups } = await import(`${base}/gateway/inspect/marks/id-groups.js`);
  const { residentIdCheck } = await import(`${base}/gateway/inspect/marks/pii-checks.js`);
  return { IdGroups, residentIdCheck };
};
const builds = [await load(distA), ...(distB ? [await load(distB)] : [])];
const CHUNK = 65536;

function readings(b, text) {
  const ids = new b.IdGroups();
  let out = '';
  for (let i = 0; i < text.length; i += CHUNK) out += ids.push(text.slice(i, i + CHUNK), i + CHUNK >= text.length);
  if (text.length === 0) out += ids.push('', true);
  const rs = out.split('\n').filter((l) => /^\d{6} \d{8} [\dx]{4}$/.test(l));
  return { rs, passed: rs.filter((r) => b.residentIdCheck(r.replace(/ /g, ''))).length };
}

const totals = builds.map(() => ({ files: 0, readings: 0, passed: 0, filesWith: 0, filesPassed: 0 }));
let files = 0;
let bytes = 0;
const t0 = process.cpuUsage();
const cpu = builds.map(() => 0);
for (const f of readFileSync(list, 'utf8').split('\n').filter(Boolean)) {
  let buf;
  try {
    buf = readFileSync(f);
    if (f.endsWith('.gz')) buf = gunzipSync(buf);
  } catch {
    continue;
  }
  const text = buf.toString('utf8');
  files++;
  bytes += buf.length;
  const got = builds.map((b, k) => {
    const c = process.cpuUsage();
    const r = readings(b, text);
    const u = process.cpuUsage(c);
    cpu[k] += u.user + u.system;
    const t = totals[k];
    t.readings += r.rs.length;
    t.passed += r.passed;
    if (r.rs.length) t.filesWith++;
    if (r.passed) t.filesPassed++;
    return r;
  });
  if (builds.length === 2) {
    const before = new Set(got[0].rs);
    const added = got[1].rs.filter((r) => !before.has(r));
    const after = new Set(got[1].rs);
    const gone = got[0].rs.filter((r) => !after.has(r));
    if (added.length || gone.length) {
      const pass = (r) => (builds[1].residentIdCheck(r.replace(/ /g, '')) ? ' (check passes)' : '');
      console.log(`DIFF ${f}: +${added.length} -${gone.length} ${added.slice(0, 3).map((r) => r + pass(r)).join(', ')}`);
    }
  } else if (got[0].passed) console.log(`PASSES ${f}: ${got[0].passed} of ${got[0].rs.length} readings`);
}
const all = process.cpuUsage(t0);
console.log(`${files} files, ${(bytes / 1048576).toFixed(1)} MiB, ${((all.user + all.system) / 1e6).toFixed(1)} CPU-s`);
builds.forEach((_, k) => {
  const t = totals[k];
  console.log(`${[distA, distB][k]}: ${t.readings} readings in ${t.filesWith} files, ${t.passed} passing the check in ${t.filesPassed} files; IdGroups ${(cpu[k] / 1e6).toFixed(2)} CPU-s`);
});
