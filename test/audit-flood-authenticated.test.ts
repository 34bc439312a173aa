// Regression (issue 9, item 5): each authenticated idle connection, and each
// WebSocket frame that is not an envelope, wrote its own `denied` record (700
// idle connections, 701 records). Now they are throttled per principal, as
// unauthenticated refusals are per address: the first few one by one, the rest
// counted into a summary record, written at the latest when the gateway stops.
import { join } from 'node:path';
import { connect } from 'node:tls';
import t from 'tap';
import WebSocket from 'ws';
import { readRecords } from '../gateway/audit/read-records.js';
import { makePki } from './helpers/pki.js';
import { startDestination, startTestGateway } from './helpers/gateway-fixture.js';

const N = 60;

t.test('idle authenticated connections and non-envelope frames are summarised per principal, never uncounted', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: 'limits: { headers_timeout: 300ms }\n' });
  const port = fx.gw.ports.police!;
  const creds = pki.system('ferry://police/sys1');

  // N connections with a good certificate that start a request and never finish its headers.
  await Promise.all(Array.from({ length: N }, () => new Promise<void>((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, ...creds, servername: 'localhost' }, () => s.write('PUT /v1/files HTTP/1.1\r\nhost: localhost\r\n'));
    s.on('data', () => undefined);
    s.on('error', () => resolve());
    s.on('close', () => resolve());
  })));

  // N connections with a good certificate that say nothing at all after the handshake: Node's
  // headers timeout never started for them, and they were held for good (second campaign).
  const silent = await Promise.all(Array.from({ length: N }, () => new Promise<string>((resolve) => {
    let answer = '';
    const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, ...creds, servername: 'localhost' });
    s.on('data', (d: Buffer) => (answer += d.toString()));
    s.on('error', () => resolve(answer));
    s.on('close', () => resolve(answer));
  })));
  t.equal(silent.filter((a) => /^HTTP\/1\.1 408 /.test(a)).length, N, 'every silent connection is answered 408 and closed');

  // N text frames on an open channel that are not JSON envelopes: each answered, with its code.
  const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/channels/alerts`, { ca: pki.caCert, ...creds });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const answers: Array<{ status: number; problem?: { code: string } }> = [];
  await new Promise<void>((resolve) => {
    ws.on('message', (d: Buffer) => {
      answers.push(JSON.parse(d.toString()) as { status: number });
      if (answers.length === N) resolve();
    });
    for (let i = 0; i < N; i++) ws.send(`not an envelope ${i}`);
  });
  t.equal(answers.filter((a) => a.problem?.code === 'FERRY_MESSAGE_INVALID').length, N, 'every bad frame is answered with FERRY_MESSAGE_INVALID');
  ws.close();

  await fx.gw.stop();
  const denied = [...readRecords(join(fx.dir, 'data', 'audit.db'), { event: 'denied' })].filter((r) => r.principal === 'ferry://police/sys1');
  const one = (code: string) => denied.filter((r) => (r.details as { code?: string }).code === code).length;
  const summarised = (code: string) => denied
    .filter((r) => (r.details as { code?: string }).code === 'FERRY_REFUSALS_SUMMARISED')
    .reduce((n, r) => n + ((r.details as { codes: Record<string, number> }).codes[code] ?? 0), 0);
  for (const [code, n] of [['FERRY_IDLE_TIMEOUT', 2 * N], ['FERRY_MESSAGE_INVALID', N]] as const) {
    t.ok(one(code) <= 20, `${code}: at most 20 records one by one (${one(code)})`);
    t.equal(one(code) + summarised(code), n, `${code}: every one of the ${n} is counted, one by one or in a summary (${one(code)} + ${summarised(code)})`);
  }
  const s = denied.find((r) => (r.details as { code?: string }).code === 'FERRY_REFUSALS_SUMMARISED');
  t.equal((s?.details as { principal?: string } | undefined)?.principal, 'ferry://police/sys1', 'the summary names the principal');
});
