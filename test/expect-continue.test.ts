// Expect: 100-continue: the sender is invited to send its body only once the
// gateway wants it. A refusal before content (the policy's 403) is the first
// answer, never after a `100 Continue` (red team, 30 Nov: Node answered 100
// at once); an upload that passes the checks before content is invited, sends
// its body, and is answered 202. Real gateway, real TLS, a raw socket.
import { createHash } from 'node:crypto';
import { connect } from 'node:tls';
import t from 'tap';
import { startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

/** Sends `head`, waits for the first answer line; then, on a 100, sends `body` and waits for the final one. */
function exchange(port: number, creds: { cert: string; key: string }, ca: string, head: string, body: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buf = '';
    const s = connect({ host: '127.0.0.1', port, ca, cert: creds.cert, key: creds.key, servername: 'localhost' }, () => s.write(head));
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const status = buf.slice(0, buf.indexOf('\r\n'));
        const length = Number(/content-length: *(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        lines.push(status);
        buf = buf.slice(end + 4 + length);
        if (status.includes(' 100 ')) s.write(body);
        else { s.destroy(); resolve(lines); return; }
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(lines));
  });
}

t.test('Expect: 100-continue is answered 100 only when the body is wanted', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { pki, destinationPort: dest.port });
  const port = fx.gw.ports.police!;
  const sys1 = pki.system('ferry://police/sys1');
  const put = (headers: string) => `PUT /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}expect: 100-continue\r\ncontent-length: 5\r\n\r\n`;
  // Sensitive data may go only to the entitled recipients: refused before content.
  const refused = await exchange(port, sys1, pki.caCert, put('ferry-to: extranet/portal\r\nferry-label: sensitive\r\n'), 'hello');
  t.same(refused, ['HTTP/1.1 403 Forbidden'], 'the refusal is the first answer: no 100 before it');
  const taken = await exchange(port, sys1, pki.caCert, put('ferry-to: extranet/archive\r\nferry-label: public\r\n'), 'hello');
  t.same(taken, ['HTTP/1.1 100 Continue', 'HTTP/1.1 202 Accepted'], 'invited, sent, accepted');
  const [got] = await dest.waitFor(1);
  t.equal(got!.sha256, createHash('sha256').update('hello').digest('hex'), 'and delivered as sent');
});
