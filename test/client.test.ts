// The client against a small real HTTPS server with mutual TLS, certificates
// from our PKI: uploads stream with the right headers and length, refusals
// reach the user with code and rule (also when the server answers before
// reading the body and hangs up), and pulled files are verified, safely named
// and acknowledged only when they check out.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import t from 'tap';
import { Connection, resolveConnectionOptions } from '../client/connection.js';
import { fetchInboxItem, listInbox, receiveAll } from '../client/receive.js';
import { ClientError, GatewayRefusal, IntegrityError } from '../client/refusal.js';
import { sendFile } from '../client/send.js';
import { getStatus } from '../client/status.js';
import { keyIdOf, receiptSigningBytes, type Receipt, type ReceiptBody } from '../protocol/receipt.js';
import { makePki, type TestPki } from './helpers/pki.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

interface Call {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  peer: string | undefined;
  /** For uploads the server read: what it counted and hashed. */
  size?: number;
  sha256?: string;
}

interface InboxItem {
  id: string;
  filename: string;
  body: Buffer;
  /** What the server announces in ferry-sha256; the true hash unless a test lies. */
  announced: string;
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

class FakeGateway {
  calls: Call[] = [];
  inbox: InboxItem[] = [];
  /** Override per test; the default handler plays a well-behaved gateway. */
  handler: Handler | undefined;
  signingKey: KeyObject;
  publicPem: string;
  #server: Server;
  #keyId: string;

  constructor(pki: TestPki) {
    const gw = pki.gateway('gw1');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.signingKey = privateKey;
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.#keyId = keyIdOf(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
    this.#server = createServer({ key: gw.key, cert: gw.cert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerX509Certificate()?.subjectAltName;
      const call: Call = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, peer };
      this.calls.push(call);
      Promise.resolve((this.handler ?? this.defaultHandler)(req, res)).catch((err: unknown) => {
        res.destroy(err as Error);
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  receipt(body: Omit<ReceiptBody, 'gateway' | 'time'>, key: KeyObject = this.signingKey): Receipt {
    const full: ReceiptBody = { ...body, time: new Date().toISOString(), gateway: 'ferry://gateway/gw1' };
    return { ...full, key_id: this.#keyId, signature: sign(null, receiptSigningBytes(full), key).toString('base64') };
  }

  /** Read the whole upload through a hash, as a gateway does; record what arrived. */
  async consume(req: IncomingMessage): Promise<{ size: number; sha256: string }> {
    const h = createHash('sha256');
    let size = 0;
    for await (const chunk of req) {
      h.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const got = { size, sha256: h.digest('hex') };
    Object.assign(this.calls[this.calls.length - 1]!, got);
    return got;
  }

  defaultHandler: Handler = async (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'PUT' && url === '/v1/files') {
      const got = await this.consume(req);
      const id = randomUUID();
      const receipt = this.receipt({ type: 'accepted', transfer: id, ...got, source: 'ferry://police/sys1', destination: String(req.headers['ferry-to']) });
      return json(res, 202, { id, state: 'accepted', receipt });
    }
    if (req.method === 'GET' && url === '/v1/inbox') {
      return json(res, 200, {
        transfers: this.inbox.map((i) => ({ id: i.id, source: 'ferry://police/sys1', filename: i.filename, size: i.body.length, sha256: i.announced, label: 'internal', content_type: 'application/octet-stream', created: new Date().toISOString() })),
      });
    }
    const m = /^\/v1\/inbox\/([^/]+)$/.exec(url);
    const item = m ? this.inbox.find((i) => i.id === m[1]) : undefined;
    if (m && !item) return problem(res, 404, 'FERRY_NOT_FOUND', 'No such transfer is visible to you.');
    if (item && req.method === 'GET') {
      res.writeHead(200, {
        'ferry-transfer-id': item.id,
        'ferry-from': 'police/sys1',
        'ferry-sha256': item.announced,
        'ferry-filename': encodeURIComponent(item.filename),
        'content-type': 'application/octet-stream',
        'content-length': String(item.body.length),
      });
      return void res.end(item.body);
    }
    if (item && req.method === 'DELETE') {
      this.inbox = this.inbox.filter((i) => i !== item);
      const receipt = this.receipt({ type: 'delivered', transfer: item.id, sha256: sha(item.body), size: item.body.length, source: 'ferry://police/sys1', destination: 'extranet/archive', delivered_to: 'ferry://extranet/archive' });
      return json(res, 200, { id: item.id, state: 'delivered', receipt });
    }
    return problem(res, 404, 'FERRY_ROUTE_NOT_FOUND', 'There is no such endpoint.');
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: `https://ferry.invalid/errors/${code}`, title: detail, status, code, detail, action: 'Do something sensible.', ...extra }));
}

const pki = await makePki();
const work = await mkdtemp(join(tmpdir(), 'ferry-client-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const gw = new FakeGateway(pki);
const gatewayUrl = await gw.listen();
t.teardown(() => gw.close());
const sys1 = pki.system('ferry://police/sys1');
const archive = pki.system('ferry://extranet/archive');

async function connect(creds = sys1, ca = pki.caCertPath, url = gatewayUrl): Promise<Connection> {
  const c = new Connection(await resolveConnectionOptions({ gateway: url, cert: creds.certPath, key: creds.keyPath, ca }, {}));
  t.teardown(() => c.close());
  return c;
}

async function fileOf(name: string, body: Buffer): Promise<string> {
  const p = join(work, name);
  await writeFile(p, body);
  return p;
}

t.beforeEach(() => {
  gw.handler = undefined;
  gw.calls = [];
  gw.inbox = [];
});

t.test('connection options: flags win over the environment; what is missing is named', async (t) => {
  const env = { FERRY_GATEWAY: 'https://127.0.0.1:1', FERRY_CERT: sys1.certPath, FERRY_KEY: sys1.keyPath, FERRY_CA: pki.caCertPath };
  const o = await resolveConnectionOptions({ gateway: gatewayUrl }, env);
  t.equal(o.gateway.origin, gatewayUrl);
  t.equal(o.certPem, sys1.cert);
  await t.rejects(resolveConnectionOptions({}, { ...env, FERRY_KEY: undefined }), { name: 'ClientError', message: /--key.*FERRY_KEY/ });
  await t.rejects(resolveConnectionOptions({ gateway: 'http://127.0.0.1:1' }, env), { message: /https:\/\// });
  await t.rejects(resolveConnectionOptions({ ca: join(work, 'nope.crt') }, env), { message: /cannot read the CA certificate .*ENOENT/ });
});

t.test('a file streams up with the right headers and length, and the receipt checks out', async (t) => {
  const body = randomBytes(3 * 1024 * 1024 + 1);
  const file = await fileOf('報告 2024.csv', body);
  const seen: number[] = [];
  const totals = new Set<number>();
  const conn = await connect();
  const r = await sendFile({
    connection: conn, file, to: 'extranet/archive', label: 'sensitive', idempotencyKey: 'job-42:part-1',
    receiptKeyPem: gw.publicPem, onProgress: (n, total) => { seen.push(n); totals.add(total); },
  });
  const call = gw.calls[0]!;
  t.equal(call.method, 'PUT');
  t.equal(call.url, '/v1/files');
  t.equal(call.peer, 'URI:ferry://police/sys1', 'the server saw our certificate');
  t.equal(call.headers['ferry-to'], 'extranet/archive');
  t.equal(call.headers['ferry-label'], 'sensitive');
  t.equal(call.headers['ferry-filename'], encodeURIComponent('報告 2024.csv'));
  t.equal(decodeURIComponent(String(call.headers['ferry-filename'])), '報告 2024.csv');
  t.equal(call.headers['content-type'], 'text/csv');
  t.equal(call.headers['content-length'], String(body.length));
  t.equal(call.headers['idempotency-key'], 'job-42:part-1');
  t.equal(call.size, body.length, 'every byte arrived');
  t.equal(call.sha256, sha(body), 'the server hashed what we hashed');
  t.equal(r.sent.sha256, sha(body));
  t.equal(r.receipt.sha256, sha(body));
  t.equal(r.state, 'accepted');
  t.ok(r.signatureVerified, 'the signature verified with the gateway key');
  t.equal(seen.at(-1), body.length, 'progress reached the full size');
  t.same([...totals], [body.length], 'progress knew the total');
  t.ok(seen.length > 1, 'progress was reported along the way');
});

t.test('an empty file is sent with content-length 0', async (t) => {
  const file = await fileOf('empty.bin', Buffer.alloc(0));
  const r = await sendFile({ connection: await connect(), file, to: 'extranet/archive' });
  t.equal(gw.calls[0]!.headers['content-length'], '0');
  t.equal(gw.calls[0]!.headers['ferry-label'], 'internal', 'label defaults to internal');
  t.equal(gw.calls[0]!.headers['content-type'], 'application/octet-stream');
  t.equal(r.sent.size, 0);
  t.notOk(r.signatureVerified, 'no key given, nothing claimed');
});

t.test('a receipt that contradicts what was sent, or is signed by another key, is an integrity error', async (t) => {
  const file = await fileOf('doc.txt', Buffer.from('hello ferry\n'));
  gw.handler = async (req, res) => {
    const got = await gw.consume(req);
    const id = randomUUID();
    json(res, 202, { id, state: 'accepted', receipt: gw.receipt({ type: 'accepted', transfer: id, sha256: sha('something else'), size: got.size, source: 'ferry://police/sys1', destination: 'extranet/archive' }) });
  };
  const conn = await connect();
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive' }), IntegrityError);
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive' }), { message: /SHA-256/ });

  gw.handler = undefined;
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive', receiptKeyPem: other }), { name: 'IntegrityError', message: /signature does not verify/ });
});

t.test('usage mistakes are caught before anything is sent', async (t) => {
  const file = await fileOf('u.txt', Buffer.from('x'));
  const conn = await connect();
  await t.rejects(sendFile({ connection: conn, file, to: 'Extranet/Archive' }), { name: 'ClientError', message: /network>\/<system/ });
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive', label: 'secret' as never }), { message: /classified/ });
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive', idempotencyKey: 'has space' }), { message: /idempotency/ });
  await t.rejects(sendFile({ connection: conn, file: work, to: 'extranet/archive' }), { message: /not a regular file/ });
  await t.rejects(sendFile({ connection: conn, file: join(work, 'missing'), to: 'extranet/archive' }), { message: /ENOENT/ });
  t.equal(gw.calls.length, 0, 'no request reached the server');
});

t.test('a refusal after inspection carries code, rule and findings', async (t) => {
  const file = await fileOf('ids.txt', Buffer.from('110101199003078515\n'));
  gw.handler = async (req, res) => {
    await gw.consume(req);
    problem(res, 422, 'FERRY_CONTENT_DENIED', 'The content was inspected and the policy refused it.', {
      rule: 'no-personal-data-out',
      findings: [{ kind: 'personal-data', subkind: 'cn-resident-id', offset: 0, count: 1, sample: '1101**********8515' }],
    });
  };
  const err = await sendFile({ connection: await connect(), file, to: 'extranet/archive' }).catch((e: unknown) => e);
  t.type(err, GatewayRefusal);
  const r = err as GatewayRefusal;
  t.equal(r.status, 422);
  t.equal(r.code, 'FERRY_CONTENT_DENIED');
  t.equal(r.rule, 'no-personal-data-out');
  t.equal(r.detail, 'The content was inspected and the policy refused it.');
  t.same(r.findings, [{ kind: 'personal-data', subkind: 'cn-resident-id', offset: 0, count: 1, sample: '1101**********8515' }]);
});

// A gateway that decides before content refuses without reading the body and
// closes (the Ferry ingress does: connection: close, then destroySoon once the
// answer is out). Whatever happens to the rest of the upload, the user must
// see the answer. (A server that resets the socket the instant its answer is
// flushed cannot be helped by any client: RFC 9112 §9.6 asks for a staged close.)
const early = (close: 'node-default' | 'destroy-soon'): Handler => (req, res) => {
  const body = JSON.stringify({ type: 'https://ferry.invalid/errors/FERRY_POLICY_DENIED', title: 'The policy does not allow this transfer.', status: 403, code: 'FERRY_POLICY_DENIED', detail: 'No rule allows police/sys1 to send to extranet/archive.', action: 'Ask the operator.', rule: 'default-deny' });
  res.writeHead(403, { 'content-type': 'application/problem+json', connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  if (close === 'destroy-soon') res.once('finish', () => req.socket.destroySoon());
};

for (const close of ['node-default', 'destroy-soon'] as const) {
  t.test(`a refusal answered before the body is read (${close}) is reported, not a socket error`, async (t) => {
    const file = await fileOf(`big-${close}.bin`, Buffer.alloc(24 * 1024 * 1024, 7));
    gw.handler = early(close);
    const conn = await connect();
    for (let i = 0; i < 5; i++) {
      const err = await sendFile({ connection: conn, file, to: 'extranet/archive' }).catch((e: unknown) => e);
      t.type(err, GatewayRefusal, `attempt ${i + 1}: the gateway's answer, not ${(err as Error)?.message}`);
      t.match(err, { code: 'FERRY_POLICY_DENIED', rule: 'default-deny', status: 403, detail: /No rule allows/ });
    }
    // The connection pool is still usable afterwards.
    gw.handler = undefined;
    const ok = await sendFile({ connection: conn, file: await fileOf('after.txt', Buffer.from('after')), to: 'extranet/archive' });
    t.equal(ok.state, 'accepted');
  });
}

// When the reset wins the race and the first answer is lost, the client tries
// once more, sending one chunk and waiting for the early answer. Here the
// first attempt is cut off by the server outright, which looks the same to it.
function breakFirstUpload(then: Handler): Handler {
  let n = 0;
  return (req, res) => {
    if (req.method === 'PUT' && n++ === 0) {
      let seen = 0;
      req.on('data', (c: Buffer) => {
        seen += c.length;
        if (seen > 256 * 1024) req.socket.destroy();
      });
      return;
    }
    return then(req, res);
  };
}

t.test('an upload broken before any answer is tried once more, and the early refusal is then seen', async (t) => {
  const file = await fileOf('retry-refused.bin', Buffer.alloc(16 * 1024 * 1024, 3));
  gw.handler = breakFirstUpload(early('destroy-soon'));
  const err = await sendFile({ connection: await connect(), file, to: 'extranet/archive', idempotencyKey: 'k-1' }).catch((e: unknown) => e);
  t.match(err, { name: 'GatewayRefusal', code: 'FERRY_POLICY_DENIED', rule: 'default-deny' });
  const puts = gw.calls.filter((c) => c.method === 'PUT');
  t.equal(puts.length, 2, 'one retry');
  t.equal(puts[1]!.headers['idempotency-key'], 'k-1', 'the same request again');
  t.equal(puts[1]!.headers['content-length'], String(16 * 1024 * 1024));
});

t.test('an upload broken before any answer and accepted on the retry is sent whole, once', async (t) => {
  const body = randomBytes(4 * 1024 * 1024);
  const file = await fileOf('retry-accepted.bin', body);
  gw.handler = breakFirstUpload(gw.defaultHandler);
  // This gateway has no early answer to give; a short probe keeps the test quick.
  const r = await sendFile({ connection: await connect(), file, to: 'extranet/archive', probeWaitMs: 50 });
  t.equal(r.sent.sha256, sha(body));
  t.equal(r.sent.size, body.length, 'the progress of the broken attempt is not counted');
  const puts = gw.calls.filter((c) => c.method === 'PUT');
  t.equal(puts.length, 2);
  t.equal(puts[1]!.sha256, sha(body), 'the retry carried the whole file');
});

t.test('an upload broken twice is a connection error, not a refusal', async (t) => {
  const file = await fileOf('broken-twice.bin', Buffer.alloc(4 * 1024 * 1024, 5));
  gw.handler = (req) => {
    req.on('data', () => req.socket.destroy());
  };
  await t.rejects(sendFile({ connection: await connect(), file, to: 'extranet/archive' }), { name: 'ClientError', message: /cannot reach the gateway .*connection broke/ });
  t.equal(gw.calls.filter((c) => c.method === 'PUT').length, 2, 'tried twice, no more');
});

t.test('rate limits carry retry-after; answers without problem details still get a code', async (t) => {
  const file = await fileOf('r.txt', Buffer.from('r'));
  const conn = await connect();
  gw.handler = async (req, res) => {
    await gw.consume(req);
    problem(res, 429, 'FERRY_RATE_LIMITED', 'A rate or volume limit of the policy was reached.', {}, { 'retry-after': '30' });
  };
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive' }), { code: 'FERRY_RATE_LIMITED', retryAfter: 30 });
  gw.handler = async (req, res) => {
    await gw.consume(req);
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>Bad Gateway</body></html>');
  };
  await t.rejects(sendFile({ connection: conn, file, to: 'extranet/archive' }), { name: 'GatewayRefusal', code: 'HTTP_502', status: 502, detail: /Bad Gateway/ });
});

t.test('a gateway we cannot trust, or cannot reach, is a connection error', async (t) => {
  const file = await fileOf('c.txt', Buffer.from('c'));
  const wrongCa = await connect(sys1, pki.foreign.caCertPath);
  await t.rejects(sendFile({ connection: wrongCa, file, to: 'extranet/archive' }), { name: 'ClientError', message: /not issued by the Ferry CA/ });
  t.equal(gw.calls.length, 0, 'nothing was sent to an untrusted server');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const nowhere = await connect(sys1, pki.caCertPath, `https://127.0.0.1:${port}`);
  await t.rejects(sendFile({ connection: nowhere, file, to: 'extranet/archive' }), { name: 'ClientError', message: /nothing is listening/ });
});

t.test('status: the transfer as the gateway sees it, refusals as refusals', async (t) => {
  const id = '01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f';
  gw.handler = (req, res) => {
    if (req.url === `/v1/transfers/${id}`) {
      return json(res, 200, { id, state: 'delivered', source: 'ferry://police/sys1', destination: 'extranet/archive', size: 5, sha256: sha('hello'), filename: 'a.txt', label: 'internal', created: 'c', updated: 'u', attempts: 1, receipts: {} });
    }
    return problem(res, 404, 'FERRY_NOT_FOUND', 'No such transfer is visible to you.');
  };
  const conn = await connect();
  const s = await getStatus(conn, id);
  t.equal(s.state, 'delivered');
  t.equal(s.attempts, 1);
  await t.rejects(getStatus(conn, '01936b2e-7c1a-7d3e-9f00-000000000000'), { code: 'FERRY_NOT_FOUND', status: 404 });
  await t.rejects(getStatus(conn, '../../admin'), ClientError);
  t.equal(gw.calls.length, 2, 'the malformed id never went out');
});

function item(filename: string, body: Buffer, announced = sha(body)): InboxItem {
  return { id: randomUUID(), filename, body, announced };
}

t.test('receive: safe names, verified hashes, 0600 files, acknowledged only when verified', async (t) => {
  const out = join(work, 'inbox-out');
  const oneK = 'n'.repeat(996) + '.txt';
  const good = [
    item('../../etc/passwd', Buffer.from('not really passwd')),
    item('a/b', Buffer.from('b')),
    item('CON', Buffer.from('device')),
    item('.hidden', Buffer.from('hidden')),
    item('bell\u0007esc\u001b[2Jname.txt', Buffer.from('controls')),
    item(oneK, Buffer.from('long')),
    item('report.pdf', Buffer.from('first report')),
    item('report.pdf', Buffer.from('second report')),
    item('', randomBytes(200_000)),
  ];
  const bad = item('tampered.txt', Buffer.from('the body that arrives'), sha('the body that was announced'));
  gw.inbox = [good[0]!, good[1]!, bad, ...good.slice(2)];
  await receiveAll(await connect(archive), out).then(async (result) => {
    t.equal(result.received.length, good.length);
    t.equal(result.failed.length, 1);
    t.equal(result.failed[0]!.id, bad.id);
    t.type(result.failed[0]!.error, IntegrityError);
    t.match(result.failed[0]!.error.message, /SHA-256/);
  });
  const names = (await readdir(out)).sort();
  const long = names.find((n) => n.startsWith('nnnn'))!;
  t.ok(Buffer.byteLength(long) <= 200 && long.endsWith('.txt'), 'the 1,000-byte name was shortened, extension kept');
  t.same(names, [
    '_CON', 'b', 'bell' + 'esc[2Jname.txt', `ferry-${good[8]!.id}`, 'hidden', long, 'passwd', 'report (2).pdf', 'report.pdf',
  ].sort(), 'exactly the safe names; no temporary file and nothing from the tampered body');
  t.equal(await readFile(join(out, 'passwd'), 'utf8'), 'not really passwd');
  t.equal(await readFile(join(out, 'report.pdf'), 'utf8'), 'first report');
  t.equal(await readFile(join(out, 'report (2).pdf'), 'utf8'), 'second report');
  t.equal(sha(await readFile(join(out, `ferry-${good[8]!.id}`))), sha(good[8]!.body));
  for (const n of names) t.equal((await stat(join(out, n))).mode & 0o777, 0o600, `${n} is 0600`);
  const deleted = gw.calls.filter((c) => c.method === 'DELETE').map((c) => c.url.slice('/v1/inbox/'.length));
  t.same(deleted.sort(), good.map((g) => g.id).sort(), 'every verified item acknowledged');
  t.notOk(deleted.includes(bad.id), 'the mismatching body was not acknowledged');
  t.same(gw.inbox.map((i) => i.id), [bad.id], 'it stays in the inbox');
});

t.test('receive: a body cut short is not kept and not acknowledged', async (t) => {
  const out = join(work, 'short-out');
  const it = item('short.bin', randomBytes(100_000));
  gw.handler = (req, res) => {
    if (req.method === 'GET' && req.url === `/v1/inbox/${it.id}`) {
      res.writeHead(200, { 'ferry-sha256': it.announced, 'ferry-filename': 'short.bin', 'content-length': String(it.body.length) });
      res.write(it.body.subarray(0, 50_000), () => req.socket.destroy());
      return;
    }
    return gw.defaultHandler(req, res);
  };
  gw.inbox = [it];
  const conn = await connect(archive);
  await mkdir(out);
  await t.rejects(fetchInboxItem(conn, it.id, out), ClientError);
  t.same(await readdir(out), [], 'no partial file, no temporary file');
  t.notOk(gw.calls.some((c) => c.method === 'DELETE'));
});

t.test('receive: delivered receipts verify with the gateway key; a refusal is reported per item', async (t) => {
  const out = join(work, 'verify-out');
  const a = item('a.txt', Buffer.from('aaa'));
  gw.inbox = [a];
  const conn = await connect(archive);
  t.same((await listInbox(conn)).map((e) => e.id), [a.id]);
  const res = await receiveAll(conn, out, { receiptKeyPem: gw.publicPem });
  t.equal(res.received[0]!.signatureVerified, true);
  t.equal(res.received[0]!.ack.receipt!.type, 'delivered');
  gw.inbox = [item('gone.txt', Buffer.from('x'))];
  gw.handler = (req, res) => (req.url === '/v1/inbox' ? gw.defaultHandler(req, res) : problem(res, 404, 'FERRY_NOT_FOUND', 'No such transfer is visible to you.'));
  const r2 = await receiveAll(conn, out);
  t.equal(r2.failed.length, 1);
  t.match(r2.failed[0]!.error, { name: 'GatewayRefusal', code: 'FERRY_NOT_FOUND' });
});

t.test('receive --follow keeps polling until stopped', async (t) => {
  const out = join(work, 'follow-out');
  const first = item('first.txt', Buffer.from('1'));
  const second = item('second.txt', Buffer.from('2'));
  gw.inbox = [first];
  let polls = 0;
  gw.handler = (req, res) => {
    // The second file appears only after the client has polled once and found the first.
    if (req.url === '/v1/inbox' && ++polls === 2) gw.inbox.push(second);
    return gw.defaultHandler(req, res);
  };
  const ac = new AbortController();
  const got: string[] = [];
  const res = await receiveAll(await connect(archive), out, {
    follow: true, intervalMs: 10, signal: ac.signal,
    onReceived: (r) => { got.push(r.id); if (got.length === 2) ac.abort(); },
  });
  t.same(got, [first.id, second.id]);
  t.equal(res.received.length, 2);
  t.ok(polls >= 2);
  t.same((await readdir(out)).sort(), ['first.txt', 'second.txt']);
});

