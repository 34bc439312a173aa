// Bad input gets a clear error and nothing is lost: every refusal is a problem
// body with a stable code; nothing is queued; the gateway keeps serving others.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { Readable } from 'node:stream';
import t from 'tap';
import { Agent, request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway, until, type GatewayFixture } from './helpers/gateway-fixture.js';
import { spoolFiles } from './helpers/spool-files.js';

function rawTls(fx: GatewayFixture, pki: TestPki, creds: { cert: string; key: string } | null, network = 'police'): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: fx.gw.ports[network]!, ca: pki.caCert, ...(creds ?? {}), servername: 'localhost' }, () => resolve(s));
    s.once('error', reject);
  });
}

function readAll(s: TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString('utf8')));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
  });
}

function problemOf(raw: string): { status: number; body: Record<string, any> } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  const json = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return { status, body: json ? JSON.parse(json) : {} };
}

async function nothingQueued(t: { same(a: unknown, b: unknown, m: string): void }, fx: GatewayFixture, what: string): Promise<void> {
  const counts = await fx.gw.context.queue.countsByState();
  t.same(counts, {}, `${what}: nothing queued`);
  const spool = await spoolFiles(join(fx.dir, 'data'));
  t.same(spool, [], `${what}: no spool file left`);
}
type Tap = typeof t;

t.test('identity and header refusals', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = Buffer.from('hello');
  const base = { 'ferry-to': 'extranet/archive', 'content-length': '5' };

  const noCert = new Agent({ connect: { ca: pki.caCert } });
  t.teardown(() => noCert.close());
  let r = await putFile(noCert, fx.url('police'), body, base);
  t.equal(r.status, 401);
  t.equal(r.json.code, 'FERRY_NO_CLIENT_CERT', 'no client certificate: 401 with a code');

  const foreign = clientFor(t, pki, pki.foreign);
  r = await putFile(foreign, fx.url('police'), body, base);
  t.equal(r.json.code, 'FERRY_CERT_UNTRUSTED', 'a certificate from another CA is refused');

  const noId = clientFor(t, pki, pki.noIdentity);
  r = await putFile(noId, fx.url('police'), body, base);
  t.equal(r.json.code, 'FERRY_IDENTITY_INVALID');

  const social = clientFor(t, pki, pki.system('ferry://social/hr'));
  r = await putFile(social, fx.url('police'), body, base);
  t.equal(r.json.code, 'FERRY_WRONG_NETWORK', 'a system must use the listener of its own network');

  r = await putFile(sender, fx.url('police'), body, { 'content-length': '5' });
  t.equal(r.json.code, 'FERRY_DESTINATION_MISSING');
  t.equal(r.status, 400);
  r = await putFile(sender, fx.url('police'), body, { ...base, 'ferry-to': '../../etc' });
  t.equal(r.json.code, 'FERRY_DESTINATION_INVALID');
  r = await putFile(sender, fx.url('police'), body, { ...base, 'ferry-to': 'extranet/nobody' });
  t.equal(r.json.code, 'FERRY_DESTINATION_UNKNOWN');
  t.equal(r.status, 404);
  r = await putFile(sender, fx.url('police'), body, { ...base, 'ferry-label': 'secret' });
  t.equal(r.json.code, 'FERRY_CLASSIFIED_LABEL', 'a classified label never crosses');
  const s = await rawTls(fx, pki, pki.system('ferry://police/sys1'));
  const answer = readAll(s);
  s.write(Buffer.from('PUT /v1/files HTTP/1.1\r\nhost: localhost\r\nferry-to: extranet/archive\r\nferry-label: 机密\r\ncontent-length: 5\r\n\r\nhello', 'utf8'));
  t.equal(problemOf(await answer).body.code, 'FERRY_CLASSIFIED_LABEL', 'a classified label in Chinese (UTF-8 header bytes) never crosses');
  r = await putFile(sender, fx.url('police'), body, { ...base, 'ferry-label': 'secretish' });
  t.equal(r.json.code, 'FERRY_LABEL_INVALID');
  r = await putFile(sender, fx.url('police'), body, { ...base, 'ferry-filename': '..%2F..%2Fetc%2Fpasswd' });
  t.equal(r.json.code, 'FERRY_FILENAME_INVALID', 'a filename with a path is refused');
  r = await putFile(sender, fx.url('police'), body, { ...base, 'content-type': 'not a type' });
  t.equal(r.json.code, 'FERRY_UNSUPPORTED_MEDIA_TYPE');
  t.equal(r.status, 415);
  for (const p of [r]) {
    t.type(p.json.detail, 'string', 'a sentence comes with the code');
    t.type(p.json.action, 'string', 'and what to do about it');
  }

  // A header that claims an identity is ignored: the certificate decides.
  r = await putFile(sender, fx.url('police'), body, { ...base, 'ferry-from': 'extranet/portal', 'x-ferry-principal': 'ferry://gateway/gw1', 'x-forwarded-client-cert': 'URI=ferry://social/hr' });
  t.equal(r.status, 202);
  t.equal(r.json.receipt.source, 'police/sys1', 'spoofed identity headers are ignored');
  await dest.waitFor(1);
  dest.received.length = 0;

  const denied = [...readRecords(join(fx.dir, 'data', 'audit.db'), { event: 'denied' })];
  t.ok(denied.some((d) => (d.details as { code?: string })?.code === 'FERRY_CERT_UNTRUSTED'), 'the foreign certificate that knocked is in the audit log');
  t.ok(denied.some((d) => (d.details as { code?: string })?.code === 'FERRY_DESTINATION_UNKNOWN'));
});

t.test('body length, disconnects, slow senders and header floods', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: 'limits: { idle_timeout: 300ms, headers_timeout: 500ms, max_body: { public: 1MiB } }' });
  const sender = pki.system('ferry://police/sys1');
  const head = (len: string, extra = '') => `PUT /v1/files HTTP/1.1\r\nhost: localhost\r\nferry-to: extranet/archive\r\ncontent-length: ${len}\r\n${extra}\r\n`;

  // Shorter than declared, then the sender goes quiet: idle timeout, nothing kept.
  let s = await rawTls(fx, pki, sender);
  let answer = readAll(s);
  s.write(head('100') + 'only twenty bytes...');
  let p = problemOf(await answer);
  t.equal(p.body.code, 'FERRY_IDLE_TIMEOUT', 'a body shorter than content-length that stalls: 408');
  t.equal(p.status, 408);

  // Longer than declared: the surplus is not taken as part of anything.
  s = await rawTls(fx, pki, sender);
  answer = readAll(s);
  s.write(head('5') + 'hello' + 'SURPLUS BYTES THAT ARE NOT HTTP\r\n\r\n');
  p = problemOf(await answer);
  t.equal(p.body.code, 'FERRY_BODY_TOO_LONG', 'a body longer than content-length is refused');

  // Cut off midway.
  s = await rawTls(fx, pki, sender);
  s.write(head('1000000') + randomBytes(300_000).toString('latin1'));
  await new Promise((r) => setTimeout(r, 100));
  s.destroy();
  await until(() => [...readRecords(join(fx.dir, 'data', 'audit.db'), { event: 'failed' })].some((f) => (f.details as { code?: string }).code === 'FERRY_BODY_INCOMPLETE'), 'the cut upload recorded as failed');

  // Over the size limit for its label, chunked (no content-length): counted on real bytes.
  const client = clientFor(t, pki, sender);
  const big = async function* () { for (let i = 0; i < 40; i++) yield randomBytes(64 * 1024); };
  const res = await request(`${fx.url('police')}/v1/files`, { method: 'PUT', dispatcher: client, body: Readable.from(big()), headers: { 'ferry-to': 'extranet/archive', 'ferry-label': 'public' } }).catch((e: Error) => e);
  if (res instanceof Error) t.match(res.message, /other side closed|socket|reset|EPIPE/i, 'the gateway cut the oversize upload');
  else {
    t.equal(res.statusCode, 413, 'an oversize chunked upload: 413');
    await res.body.dump();
  }
  const declared = await putFile(client, fx.url('police'), Buffer.alloc(10), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(5 * 1024 * 1024) }).catch(() => null);
  if (declared) t.equal(declared.json.code, 'FERRY_TOO_LARGE', 'a declared size over the limit is refused before the body');

  // No length at all.
  s = await rawTls(fx, pki, sender);
  answer = readAll(s);
  s.write('PUT /v1/files HTTP/1.1\r\nhost: localhost\r\nferry-to: extranet/archive\r\n\r\n');
  p = problemOf(await answer);
  t.equal(p.body.code, 'FERRY_LENGTH_REQUIRED');

  // Slow-loris: headers that never end.
  s = await rawTls(fx, pki, sender);
  answer = readAll(s);
  s.write('PUT /v1/files HTTP/1.1\r\nhost: localhost\r\n');
  const slow = await answer;
  t.ok(slow === '' || /408|400/.test(slow), 'headers that never finish are cut off');

  // Header flood.
  s = await rawTls(fx, pki, sender);
  answer = readAll(s);
  s.write(`PUT /v1/files HTTP/1.1\r\nhost: localhost\r\n${Array.from({ length: 400 }, (_, i) => `x-h${i}: ${'a'.repeat(100)}`).join('\r\n')}\r\n\r\n`);
  p = problemOf(await answer);
  t.equal(p.body.code, 'FERRY_HEADERS_TOO_LARGE', 'a header flood: 431');

  // Garbage.
  s = await rawTls(fx, pki, sender);
  answer = readAll(s);
  s.write('\x16\x03\x01 this is not http\r\n\r\n');
  p = problemOf(await answer);
  t.equal(p.body.code, 'FERRY_MALFORMED_REQUEST');

  const parseRefusals = [...readRecords(join(fx.dir, 'data', 'audit.db'), { event: 'denied' })].map((r) => (r.details as { code?: string }).code);
  t.ok(parseRefusals.includes('FERRY_HEADERS_TOO_LARGE'), 'a header flood is in the audit log');
  t.ok(parseRefusals.includes('FERRY_MALFORMED_REQUEST'), 'and so is a request that is not HTTP');
  await until(() => fx.gw.context.admission.inProgress === 0, 'uploads to settle');
  await nothingQueued(t, fx, 'after every bad request');

  // And the gateway still serves everyone else.
  const ok = await putFile(client, fx.url('police'), Buffer.from('still here'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '10' });
  t.equal(ok.status, 202, 'the gateway keeps serving');
  await dest.waitFor(1);
});
