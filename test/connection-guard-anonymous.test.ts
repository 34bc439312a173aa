// A crowd without a certificate must not lock a legitimate sender out of a data
// port. Connections that complete the TLS handshake with no client certificate
// and send a request every so often (each answered 401) used to count as busy
// once they had spoken, so max_connections of them from a few source addresses
// filled the listener for good and every new connection, a legitimate sender's
// included, was reset (red team, 30 Nov). Real gateway, real TLS, several
// loopback source addresses (127.0.0.2…).
import { connect, type TLSSocket } from 'node:tls';
import t from 'tap';
import { textBody } from './helpers/text-body.js';
import { clientFor, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const MAX = 16;
const PER_ADDRESS = 4;

t.test(`${MAX} connections without a certificate, each asking again and again, do not keep a sender with one out`, async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { pki, destinationPort: dest.port, extra: `limits: { max_connections: ${MAX}, max_connections_per_address: ${PER_ADDRESS}, max_pending_handshakes: ${MAX} }` });
  const port = fx.gw.ports.police!;
  let stop = false;
  let refused401 = 0;
  const open = new Set<TLSSocket>();
  const ask = (s: TLSSocket) => { if (!s.destroyed) s.write('GET /v1/destinations HTTP/1.1\r\nHost: x\r\n\r\n'); };
  const connectFrom = (a: number): void => {
    // localAddress is net's option, passed on by tls.connect (not in its type).
    const options = { host: '127.0.0.1', port, localAddress: `127.0.0.${2 + a}`, ca: pki.caCert, servername: 'localhost' };
    const s = connect(options, () => ask(s));
    s.on('data', (d: Buffer) => { if (/^HTTP\/1\.1 401/.test(d.toString('latin1'))) refused401++; });
    s.on('error', () => undefined);
    open.add(s);
    // The crowd comes back at once whenever a connection of it ends.
    s.on('close', () => { open.delete(s); if (!stop) setImmediate(() => connectFrom(a)); });
  };
  for (let a = 0; a < MAX / PER_ADDRESS; a++) for (let i = 0; i < PER_ADDRESS; i++) connectFrom(a);
  const again = setInterval(() => { for (const s of open) ask(s); }, 100);
  t.teardown(() => { stop = true; clearInterval(again); for (const s of open) s.destroy(); });
  await until(async () => refused401 >= MAX, 'the crowd answered 401 for each of its connections');

  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  for (let i = 0; i < 3; i++) {
    const body = textBody(200 + i);
    const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' })
      .catch((e: NodeJS.ErrnoException) => ({ status: 0, json: { code: e.code } }));
    t.equal(r.status, 202, `a sender with a certificate is answered 202 while the crowd keeps asking (try ${i + 1}: ${r.status} ${String(r.json.code ?? '')})`);
  }
  t.ok(refused401 > MAX, `the crowd was answered and kept coming back (${refused401} answers 401)`);
});
