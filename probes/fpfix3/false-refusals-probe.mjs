// fpfix3: ordinary files a provincial bureau sends, each refused before (false refusals), beside evasions that
// must stay refused. Run after `npm run build`: node probes/fpfix3/false-refusals-probe.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { docx, inspectBytes, kinds, zip } from '../../dist/test/inspect-fixtures.js';
import { cjkPdf, stallPdf } from '../../dist/test/pdf-filter-fixtures.js';

const show = async (name, body, ctx = {}, opts = {}) => {
  const r = await inspectBytes(body, opts, ctx);
  console.log(name.padEnd(48), (r.sniffedType ?? '-').padEnd(28), JSON.stringify(kinds(r.findings)), r.findings.map((f) => f.sample ?? f.detail ?? '').join(' | ').slice(0, 120));
  return r;
};
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

// F4: SVG path data
// Coordinates written with 11 decimals (as some exporters do): a fraction of 11 digits starting 13–19 now and then.
const path = Array.from({ length: 400 }, (_, i) => `L ${(rnd() * 1000).toFixed(11)} ${(rnd() * 2 - 1).toFixed(11)}`).join(' ');
const svg = (extra = '') => `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000" viewBox="0 0 1000 1000">\n<path d="M 138.13812345678 ${path} Z" fill="none" stroke="#333"/>\n${extra}</svg>\n`;
await show('F4 svg path data', svg(), { filename: 'map.svg', declaredType: 'image/svg+xml' });
await show('F4 svg path, plain', `<svg xmlns="http://www.w3.org/2000/svg"><path d="M 138.12345678 513.98765432 L 150.11112222 13.5"/></svg>`, { filename: 'a.svg', declaredType: 'image/svg+xml' });
await show('F4 evasion: mobile in <text>', svg('<text x="10" y="20">联系电话 13812345678</text>\n'), { filename: 'map.svg', declaredType: 'image/svg+xml' });
await show('F4 evasion: mobile in path d alone', `<svg xmlns="http://www.w3.org/2000/svg"><path d="13812345678"/></svg>`, { filename: 'a.svg', declaredType: 'image/svg+xml' });

// F9: USD amounts
await show('F9 USD', 'Revenue for FY2025: $13,812,345,678.00 (up 4%).\nNet: US$ 13,998,765,432.50\n', { filename: 'r.txt', declaredType: 'text/plain' });
await show('F9 USD no cents', 'Total assets $13,812,345,678\n', { filename: 'r.txt', declaredType: 'text/plain' });
await show('F9 evasion: 电话 13812345678', '电话 13812345678\n', { filename: 'r.txt', declaredType: 'text/plain' });
await show('F9 evasion: 电话 138,1234,5678', '电话 $138,1234,5678\n', { filename: 'r.txt', declaredType: 'text/plain' });

// F9 as it was refused: an .ods currency cell (the text forms above were clean already)
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const ods = (cell) => zip([{ name: 'mimetype', data: Buffer.from(ODS), method: 0 }, { name: 'content.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row>${cell}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`) }]);
await show('F9 .ods currency cell USD', ods('<table:table-cell office:value-type="currency" office:currency="USD" office:value="13812345678"><text:p>$13,812,345,678.00</text:p></table:table-cell>'), { filename: 'r.ods', declaredType: ODS });
await show('F9 evasion: .ods float cell 13812345678', ods('<table:table-cell office:value-type="float" office:value="13812345678"><text:p>13812345678</text:p></table:table-cell>'), { filename: 'r.ods', declaredType: ODS });

// WARC
const warcRecord = (type, uri, block) => {
  const head = `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: ${uri}\r\nWARC-Date: 2026-12-02T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:${'0'.repeat(8)}-0000-0000-0000-${String(Math.floor(rnd() * 1e12)).padStart(12, '0')}>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${block.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
};
const page = (i) => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知 ${i}</title></head><body>${'<p>关于做好年度工作总结的通知。各单位要认真组织，按时报送。</p>'.repeat(40)}</body></html>`);
const httpResp = (body, enc) => {
  const b = enc === 'gzip' ? zlib.gzipSync(body) : enc === 'br' ? zlib.brotliCompressSync(body) : body;
  return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n${enc ? `Content-Encoding: ${enc}\r\n` : ''}Content-Length: ${b.length}\r\n\r\n`), b]);
};
for (const enc of ['', 'gzip', 'br']) {
  const warc = Buffer.concat([0, 1, 2].map((i) => warcRecord('response', `https://www.gov.cn/${i}.html`, httpResp(page(i), enc))));
  await show(`WARC, http bodies ${enc || 'identity'}`, warc, { filename: 'crawl.warc', declaredType: 'application/warc' });
  await show(`WARC.gz per record, http ${enc || 'identity'}`, Buffer.concat([0, 1, 2].map((i) => zlib.gzipSync(warcRecord('response', `https://www.gov.cn/${i}.html`, httpResp(page(i), enc))))), { filename: 'crawl.warc.gz', declaredType: 'application/gzip' });
}
{
  const secret = Buffer.from('<html><body><p>密级：机密★10年</p></body></html>');
  for (const enc of ['gzip', 'br']) await show(`WARC evasion: marking in ${enc} body`, warcRecord('response', 'https://x/1', httpResp(secret, enc)), { filename: 'crawl.warc', declaredType: 'application/warc' });
}

// Pickle of 1,000 floats
const tmp = mkdtempSync(join(tmpdir(), 'fpfix3-'));
try {
  for (const proto of [2, 4, 5]) {
    execFileSync('python3', ['-c', `import pickle,random;random.seed(1);open('${tmp}/f.pkl','wb').write(pickle.dumps([random.random()*1000 for _ in range(1000)], protocol=${proto}))`]);
    await show(`pickle 1000 floats p${proto}`, readFileSync(`${tmp}/f.pkl`), { filename: 'floats.pkl', declaredType: 'application/octet-stream' });
  }
  execFileSync('python3', ['-c', `import pickle,random;random.seed(1);open('${tmp}/d.pkl','wb').write(pickle.dumps({'x':[random.gauss(0,1) for _ in range(1000)]}, protocol=4))`]);
  await show('pickle dict of 1000 gauss', readFileSync(`${tmp}/d.pkl`), { filename: 'd.pkl', declaredType: 'application/octet-stream' });
  execFileSync('python3', ['-c', `import pickle;open('${tmp}/m.pkl','wb').write(pickle.dumps([{'mobile':13812345678+i} for i in range(5)], protocol=4))`]);
  await show('pickle evasion: mobiles', readFileSync(`${tmp}/m.pkl`), { filename: 'm.pkl', declaredType: 'application/octet-stream' });

  // git .idx
  const repo = join(tmp, 'repo');
  execFileSync('git', ['init', '-q', repo]);
  for (let i = 0; i < 400; i++) writeFileSync(join(repo, `f${i}.txt`), `file ${i} ${rnd()}\n`);
  execFileSync('git', ['-C', repo, 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'x']);
  execFileSync('git', ['-C', repo, 'gc', '-q']);
  const packDir = join(repo, '.git/objects/pack');
  const idx = readdirSync(packDir).find((f) => f.endsWith('.idx'));
  await show('git .idx (400 objects)', readFileSync(join(packDir, idx)), { filename: idx, declaredType: 'application/octet-stream' });
  const pk = readdirSync(packDir).find((f) => f.endsWith('.pack'));
  await show('git .pack', readFileSync(join(packDir, pk)), { filename: pk, declaredType: 'application/octet-stream' });

  // OpenPGP armour
  const gh = join(tmp, 'gnupg');
  execFileSync('mkdir', ['-m', '700', gh]);
  writeFileSync(join(tmp, 'doc.txt'), '关于年度工作的通知\n'.repeat(50));
  execFileSync('gpg', ['--homedir', gh, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', 'x', '--symmetric', '--armor', '-o', join(tmp, 'doc.asc'), join(tmp, 'doc.txt')], { stdio: 'ignore' });
  const asc = readFileSync(join(tmp, 'doc.asc'));
  for (const dt of ['text/plain', 'application/pgp-encrypted', 'application/octet-stream']) await show(`.asc symmetric as ${dt}`, asc, { filename: 'doc.txt.asc', declaredType: dt });
  execFileSync('gpg', ['--homedir', gh, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Bureau <a@b.cn>', 'ed25519', 'sign', '0'], { stdio: 'ignore' });
  const pub = execFileSync('gpg', ['--homedir', gh, '--armor', '--export']);
  await show('.asc public key as text/plain', pub, { filename: 'key.asc', declaredType: 'text/plain' });
  const sig = execFileSync('gpg', ['--homedir', gh, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--detach-sign', '-o', '-', join(tmp, 'doc.txt')]);
  await show('.asc detached sig as text/plain', sig, { filename: 'doc.txt.asc', declaredType: 'text/plain' });
  const clear = execFileSync('gpg', ['--homedir', gh, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--clearsign', '-o', '-', join(tmp, 'doc.txt')]);
  await show('.asc clearsigned as text/plain', clear, { filename: 'doc.txt.asc', declaredType: 'text/plain' });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// Forms: one level word and 非密 ticked
const html = (body) => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>审批表</title></head><body><h1>审批表</h1>${body}<p>关于加强安全管理的通知</p></body></html>`);
const hb = (type, choices, checked) => html(`<p>密级：${choices.map((w, k) => `<input type="${type}" name="mj" id="l${k}"${k === checked ? ' checked' : ''}><label for="l${k}">${w}</label> `).join('')}</p>`);
const HT = { filename: '审批表.html', declaredType: 'text/html' };
await show('HTML cb ☐机密 ☑非密', hb('checkbox', ['机密', '非密'], 1), HT);
await show('HTML radio ○机密 ●非密', hb('radio', ['机密', '非密'], 1), HT);
await show('HTML cb ☐秘密 ☑非密', hb('checkbox', ['秘密', '非密'], 1), HT);
await show('HTML cb none ☐机密 ☐非密', hb('checkbox', ['机密', '非密'], null), HT);
await show('HTML evasion cb ☑机密 ☐非密', hb('checkbox', ['机密', '非密'], 0), HT);
await show('HTML evasion radio ●机密 ○非密', hb('radio', ['机密', '非密'], 0), HT);
await show('text ☐机密 ☑非密', '密级：☐机密 ☑非密\n', { filename: 'a.txt', declaredType: 'text/plain' });
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const checkBox = (on) => `</w:t></w:r><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="${on ? 1 : 0}"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr><w:t>${on ? '☒' : '☐'}</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t>`;
const symBox = (on) => `</w:t><w:sym w:font="MS Gothic" w:char="${on ? '2612' : '2610'}"/><w:t>`;
const wf = (choices, box) => docx(['密级：', ...choices.map(([w, on]) => `${box(on)}${w} `)]);
const DX = { filename: '审批单.docx', declaredType: DOCX };
for (const [bn, box] of [['w14', checkBox], ['sym', symBox]]) {
  await show(`docx ${bn} ☐机密 ☒非密`, wf([['机密', false], ['非密', true]], box), DX);
  await show(`docx ${bn} ☐绝密 ☒非密`, wf([['绝密', false], ['非密', true]], box), DX);
  await show(`docx ${bn} evasion ☒机密 ☐非密`, wf([['机密', true], ['非密', false]], box), DX);
}

// PDF over its CPU budget
const pdf = cjkPdf('UniGB-UCS2-H', ['关于召开年度工作会议的通知', '请各部门准时参加。']);
await show('PDF that stalls, budget 1 s', stallPdf(), { filename: 'n.pdf', declaredType: 'application/pdf' }, { budget: { baseMs: 1000, perMiBMs: 0 } });
await show('PDF, ordinary budget', pdf, { filename: 'n.pdf', declaredType: 'application/pdf' });
process.exit(0);
