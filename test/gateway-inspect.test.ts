// Inspection in the gateway's path (issue 6): each bad file is refused with its
// finding in the answer and in the audit log; each clean one passes; a clamd
// that cannot scan makes the default policy fail closed.
import { join } from 'node:path';
import t from 'tap';
import { readRecords } from '../gateway/audit/read-records.js';
import { startClamd } from './helpers/clamd.js';
import { requires } from './helpers/requires.js';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { EICAR, docx, overlapBomb, peExecutable, residentId, zip } from './inspect-fixtures.js';
import { eicarBehindPredictor, filterCleanSamples } from './pdf-filter-fixtures.js';
import { compressWith } from './evasion-fixtures.js';

t.test('the gateway refuses what the inspectors find and passes what is clean', { skip: requires('clamd') }, async (t) => {
  const pki = await makePki();
  const clamd = await startClamd();
  t.teardown(() => clamd.stop());
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: `inspect:\n  clamd: { host: 127.0.0.1, port: ${clamd.port}, timeout: 10s }\n  keywords: [专案组]\n` });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const send = (body: Buffer | string, name: string, type: string) => {
    const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
    return putFile(sender, fx.url('police'), b, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': encodeURIComponent(name), 'content-type': type, 'content-length': String(b.length) });
  };

  const bad: Array<[string, Buffer | string, string, string, string]> = [
    ['eicar.txt', EICAR, 'text/plain', 'deny-malware', 'malware'],
    ['readme.zip', zip([{ name: 'docs/readme.com', data: Buffer.from(EICAR) }]), 'application/zip', 'deny-malware', 'malware'],
    ['minutes.docx', docx(['会议纪要', '绝密★长期', '正文']), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'deny-classified-marking', 'classified-marking'],
    ['memo.txt', '各单位：\n机\u200b密★1年\n请阅。', 'text/plain', 'deny-classified-marking', 'classified-marking'],
    ['invoice.pdf', peExecutable(), 'application/pdf', 'deny-type-mismatch', 'type-mismatch'],
    ['roster.csv', `姓名,证件号\n王五,${residentId('110105', '19491231', '002')}\n`, 'text/csv', 'deny-personal-data', 'personal-data'],
    ['bomb.zip', overlapBomb(200, 64 * 1024), 'application/zip', 'deny-uninspectable-archive', 'archive-'],
    // Red team of 1 December (A7): attached behind Flate with a PNG predictor, which clamd does not undo.
    ['attachment.pdf', eicarBehindPredictor(12), 'application/pdf', 'deny-malware', 'malware'],
  ];
  // EICAR in a bzip2 file's second stream (pbzip2, lbzip2): clamd's own bzip2 reader stops after the first.
  const bz = (b: string) => compressWith('bzip2', Buffer.from(b));
  const [one, two] = [bz('hello\n'.repeat(100)), bz(`${EICAR}\n`)];
  if (one && two) bad.push(['e.bz2', Buffer.concat([one, two]), 'application/x-bzip2', 'deny-malware', 'malware']);
  for (const [name, body, type, rule, kind] of bad) {
    const r = await send(body, name, type);
    t.equal(r.status, 422, `${name}: refused after inspection`);
    t.equal(r.json.code, 'FERRY_CONTENT_DENIED');
    t.equal(r.json.rule, rule, `${name}: decided by ${rule}`);
    t.ok((r.json.findings as Array<{ kind: string }>).some((f) => f.kind.startsWith(kind)), `${name}: the ${kind} finding is in the answer`);
    const recs = [...readRecords(join(fx.dir, 'data', 'audit.db'), { transferId: r.json.transfer as string })];
    const inspected = recs.find((x) => x.event === 'inspected');
    t.ok((inspected?.details?.findings as Array<{ kind: string }> | undefined)?.some((f) => f.kind.startsWith(kind)), `${name}: the finding is in the audit log`);
    t.ok(recs.some((x) => x.event === 'denied' && x.rule === rule), `${name}: the denial and its rule are in the audit log`);
  }
  const raw = JSON.stringify([...readRecords(join(fx.dir, 'data', 'audit.db'))]);
  t.notMatch(raw, /19491231002/, 'the raw resident id never reaches the audit log');

  const clean: Array<[string, Buffer | string, string]> = [
    ['notice.txt', '关于保守商业秘密的提示：请遵守工作秘密管理规定，注意数据的机密性。\n', 'text/plain'],
    ['report.docx', docx(['季度工作总结', '本季度完成各项任务。']), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['data.zip', zip([{ name: 'a.csv', data: Buffer.from('季度,数量\nQ1,10\n') }]), 'application/zip'],
    ['stats.pdf', filterCleanSamples()[0]!.body, 'application/pdf'],
  ];
  for (const [name, body, type] of clean) {
    const r = await send(body, name, type);
    t.equal(r.status, 202, `${name}: clean content crosses`);
  }
  await dest.waitFor(clean.length);

  // clamd gone: the file cannot be scanned, and the default policy fails closed.
  await clamd.stop();
  const r = await send('an ordinary note\n', 'note.txt', 'text/plain');
  t.equal(r.status, 422);
  t.equal(r.json.rule, 'deny-av-unavailable', 'no scan, no crossing');
  t.ok((r.json.findings as Array<{ kind: string }>).some((f) => f.kind === 'av-unavailable'));
});
