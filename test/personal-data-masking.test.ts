// Regression (issue 9, item 3): a resident ID number sent as the destination
// (ferry-to: extranet/11010519491231002x) appeared raw in details.reason of the
// `denied` audit record. Here a resident ID (valid GB 11643 check digit) and a
// mobile number go in every header, the path, every envelope field and the
// channel name, against a gateway running as its own process; then every log line
// it wrote (stdout), its audit and queue databases (with their WAL files) and
// every answer are searched for the raw values.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import WebSocket from 'ws';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { clientFor, gatewayYaml, startDestination, startGatewayProcess } from './helpers/gateway-fixture.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { rawRequest } from './helpers/raw-request.js';

// GB 11643-1999: weights 2^(17-i) mod 11 over the first 17 digits; check digit from "10X98765432".
function checkDigit(first17: string): string {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (2 ** (17 - i) % 11), 0);
  return '10X98765432'[sum % 11]!;
}
const ID17 = '11010519491231002';
const RESIDENT_ID = ID17 + checkDigit(ID17);
const MOBILE = '13912345678';
// As a sender may write them (issue 9, second campaign): split by spaces or hyphens,
// in full-width digits, an e-mail address, a bank card in groups of four.
const WRITTEN = ['139 1234 5678', '139-1234-5678', '６２２２０２１２３４５６７８９０１２３', 'zhang.san@example.com', '6222 0212 3456 7890', '110105 19491231 002X'];
const RAW = [RESIDENT_ID, RESIDENT_ID.toLowerCase(), MOBILE, ...WRITTEN];
// Written in an upload's declared type: once kept for delivery in the queue (never in a log
// or the audit log); the declared type is inspected now (fourth red team of 30 Nov, N2), so
// the upload is refused and the number is nowhere.
const ACCEPTED_RAW = '13987654321';

function sendEnvelopes(port: number, pki: TestPki, channel: string, envelopes: object[]): Promise<string[]> {
  return new Promise((resolve) => {
    const answers: string[] = [];
    const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/channels/${channel}`, { ca: pki.caCert, ...pki.system('ferry://police/sys1') });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve([body]));
    });
    ws.on('open', () => { for (const e of envelopes) ws.send(JSON.stringify(e)); });
    ws.on('message', (d: Buffer) => {
      answers.push(d.toString());
      if (answers.length === envelopes.length) ws.close();
    });
    ws.on('close', () => resolve(answers));
    ws.on('error', () => resolve(answers));
  });
}

t.test('personal data sent in any field never reaches a log, a database or an answer raw', async (t) => {
  t.equal(RESIDENT_ID, '11010519491231002X', 'the resident ID carries a valid GB 11643 check digit');
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-mask-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY));
  await writeFile(join(dir, 'gateway.yaml'), gatewayYaml(pki, dir, { destinationPort: dest.port }));
  // debug: the most the gateway ever logs.
  const child = await startGatewayProcess(join(dir, 'gateway.yaml'), 'debug', { captureStdout: true });
  t.teardown(() => child.kill9());
  const port = child.ports.police!;
  const answers: string[] = [];

  const good: Record<string, string> = { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-type': 'text/plain', 'ferry-filename': 'note.txt' };
  const variants: Array<Record<string, string>> = [];
  for (const v of [RESIDENT_ID, RESIDENT_ID.toLowerCase(), MOBILE, ...WRITTEN]) {
    variants.push(
      { ...good, 'ferry-to': `extranet/${v}` },
      { ...good, 'ferry-to': `extranet/${v}`, 'ferry-label': 'sensitive' },
      { ...good, 'ferry-to': v },
      { ...good, 'ferry-to': `${v}/archive` },
      { ...good, 'ferry-label': v },
      { ...good, 'ferry-filename': `${v}.` },
      { ...good, 'ferry-to': 'extranet/nowhere', 'ferry-filename': `${v}.txt` },
      { ...good, 'ferry-to': 'extranet/nowhere', 'content-type': `application/x-${v}` },
      { ...good, 'content-type': `${v}` },
      { ...good, 'ferry-to': 'extranet/nowhere', 'idempotency-key': v },
      { ...good, 'idempotency-key': `${v} ${v}` },
      { ...good, 'ferry-from': `police/${v}`, 'ferry-to': 'extranet/nowhere' },
      { ...good, [`ferry-${v}`]: v, 'ferry-to': 'extranet/nowhere' },
    );
  }
  for (const headers of variants) {
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    // Header values travel as bytes: full-width digits as their UTF-8.
    const r = await rawRequest(port, pki, Buffer.from(`PUT /v1/files HTTP/1.1\r\nhost: localhost\r\n${lines}content-length: 5\r\nconnection: close\r\n\r\nhello`));
    t.not(r.status, 202, `refused: ${Object.keys(headers).join(',')}`);
    answers.push(r.headers, r.text);
  }
  // The path, on every route and with a method that is not allowed.
  const agent = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const paths = [['GET', `/v1/transfers/${RESIDENT_ID}`], ['POST', `/v1/transfers/${MOBILE}`], ['GET', `/v1/${RESIDENT_ID}`], ['DELETE', `/v1/inbox/${MOBILE}`], ['GET', `/v1/files?${RESIDENT_ID}`]] as Array<[string, string]>;
  // Percent-encoded in the path, as a client library writes them (zhang.san%40example.com).
  for (const v of WRITTEN) paths.push(['POST', `/v1/transfers/${encodeURIComponent(v)}`], ['PUT', `/v1/inbox/${encodeURIComponent(v)}`]);
  for (const [method, path] of paths) {
    const res = await request(`https://127.0.0.1:${port}${path}`, { method, dispatcher: agent });
    answers.push(JSON.stringify(res.headers), await res.body.text());
  }
  // A foreign certificate whose subject holds the ID.
  // A certificate of the wrong network whose identity and name hold the ID.
  const odd = await pki.issue(`ferry://extranet/${RESIDENT_ID.toLowerCase()}`, `id-${MOBILE}`);
  const stranger = await request(`https://127.0.0.1:${port}/v1/transfers/${RESIDENT_ID}`, { dispatcher: clientFor(t, pki, odd) });
  answers.push(await stranger.body.text());

  // Every envelope field, and the channel name.
  for (const v of [RESIDENT_ID, MOBILE, ...WRITTEN]) {
    const envelopes = [
      { ref: v, to: `extranet/${v.toLowerCase()}`, label: 'public', body: 'x' },
      { ref: 'r1', to: v, label: 'public', body: 'x' },
      { ref: 'r2', to: 'extranet/archive', label: v, body: 'x' },
      { ref: 'r3', to: 'extranet/nowhere', label: 'public', content_type: `application/x-${v}`, body: 'x' },
      { ref: 'r4', to: 'extranet/nowhere', label: 'public', idempotency_key: v, body: 'x' },
      { ref: 'r5', to: 'extranet/archive', label: 'public', content_type: v, body: 'x' },
      { ref: 'r6', to: 123, [v]: v, body: 'x' },
      { ref: 'r7', to: 'extranet/archive', label: 'public', body: 'x', body_base64: v },
    ];
    answers.push(...await sendEnvelopes(port, pki, 'alerts', envelopes));
    answers.push(...await sendEnvelopes(port, pki, v.toLowerCase(), [{ ref: 'c', to: 'extranet/archive', label: 'public', body: 'x' }]));
  }

  // An upload whose declared type holds a number: inspected like the content, refused.
  const ok = await rawRequest(port, pki, `PUT /v1/files HTTP/1.1\r\nhost: localhost\r\nferry-to: extranet/archive\r\nferry-label: public\r\ncontent-type: text/x-${ACCEPTED_RAW}\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello`);
  t.equal(ok.status, 422, 'the upload with a mobile number in its declared type is refused by content');

  // Stop cleanly, so that every log line and record is out.
  child.proc.kill('SIGTERM');
  await child.exitedPromise;
  const data = join(dir, 'data');
  // ref is the sender's correlation token, echoed verbatim to the connection that sent it
  // (that is its job) and kept nowhere: it is taken out of the answers searched here.
  const echoed = answers.join('\n').replace(/"ref":"[^"]*"/g, '"ref":"…"');
  const stores: Array<[string, string]> = [['stdout (operational log)', child.stdout], ['answers', echoed]];
  for (const f of await readdir(data)) {
    if (/^(audit|queue)\.db/.test(f)) stores.push([f, (await readFile(join(data, f))).toString('latin1')]);
  }
  t.ok(child.stdout.split('\n').length > 20, `the log has lines to search (${child.stdout.split('\n').length})`);
  t.ok(stores.some(([n]) => n === 'audit.db'), 'the audit database is searched');
  for (const [name, text] of stores) {
    for (const raw of [...RAW, ACCEPTED_RAW]) {
      const at = text.indexOf(raw);
      t.equal(at, -1, `${name} does not hold ${raw}${at >= 0 ? `: …${text.slice(Math.max(0, at - 120), at + 40).replace(/[^\x20-\x7e]/g, '.')}…` : ''}`);
      // Full-width digits are stored as UTF-8: search for those bytes too.
      const utf8 = Buffer.from(raw).toString('latin1');
      const at8 = utf8 === raw ? -1 : text.indexOf(utf8);
      t.equal(at8, -1, `${name} does not hold ${raw} as UTF-8${at8 >= 0 ? `: …${text.slice(Math.max(0, at8 - 300), at8 + 40).replace(/[^\x20-\x7e]/g, ".")}…` : ""}`);
    }
  }
});
