// review10: signed .p7m (9a438f6) as openssl writes it in its other modes. The new reader finds the attached
// content in definite-length DER only; `openssl cms -sign -stream` and `openssl smime -sign -stream` write BER with
// indefinite lengths and the content as a constructed OCTET STRING of pieces. Content: a PDF whose text is a
// compressed content stream through a ToUnicode map (pdfCid), the R27 sample that crossed before.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pdfCid, pdfDocument } from '../../dist/test/evasion-fixtures.js';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const dir = mkdtempSync(join(tmpdir(), 'r10-p7m-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=seal', '-days', '30'], { stdio: 'ignore' });
const docs = { marked: pdfCid('关于工作的通知 机密★10年'), clean: pdfCid('关于召开会议的通知') , bigclean: pdfDocument('Quarterly report 2026') };
for (const [what, pdf] of Object.entries(docs)) {
  writeFileSync(join(dir, 'in.pdf'), pdf);
  for (const [mode, args] of [['cms DER', ['cms', '-sign', '-nodetach', '-binary', '-outform', 'DER']], ['cms -stream (BER)', ['cms', '-sign', '-nodetach', '-binary', '-stream', '-outform', 'DER']], ['smime -stream (BER)', ['smime', '-sign', '-nodetach', '-binary', '-stream', '-outform', 'DER']], ['smime DER', ['smime', '-sign', '-nodetach', '-binary', '-outform', 'DER']]]) {
    execFileSync('openssl', [...args, '-in', join(dir, 'in.pdf'), '-signer', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-out', join(dir, 'out.p7m')]);
    const b = readFileSync(join(dir, 'out.p7m'));
    const r = await inspectBytes(b, {}, { filename: '文件.p7m', declaredType: 'application/pkcs7-mime' });
    console.log(what.padEnd(9), mode.padEnd(20), b.subarray(0, 4).toString('hex'), JSON.stringify(kinds(r.findings)));
  }
}
