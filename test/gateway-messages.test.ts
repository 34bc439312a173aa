// Messages (WSS /v1/channels/<c>) take the path files take: the certificate
// says who, one policy decides for files and messages alike (a rule can single
// out kind: message), the inspectors read them, and they are spooled, queued,
// delivered and audited the same way.
import { join } from 'node:path';
import t from 'tap';
import WebSocket from 'ws';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { verifyReceipt } from '../protocol/receipt.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway, type GatewayFixture } from './helpers/gateway-fixture.js';

const POLICY = `policy: messages-e2e
networks: [police, extranet, social]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems send public and internal data to the extranet, files and messages alike.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
  - id: deny-classified-marking
    effect: deny
    description: Content carrying a classified marking never crosses.
    when: { finding: classified-marking }
  - id: deny-messages-to-portal
    effect: deny
    description: The portal takes files only.
    match: { to: extranet/portal, kind: message }
`;

interface Channel {
  ws: WebSocket;
  send(env: Record<string, unknown> | string): Promise<Record<string, any>>;
}

function open(fx: GatewayFixture, pki: TestPki, creds: { cert: string; key: string } | null, name = 'notices'): Promise<Channel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${fx.gw.ports.police}/v1/channels/${name}`, { ca: pki.caCert, ...(creds ?? {}) });
    const waiting: Array<(v: Record<string, any>) => void> = [];
    ws.on('message', (d) => waiting.shift()?.(JSON.parse(d.toString()) as Record<string, any>));
    ws.once('open', () => resolve({
      ws,
      send: (env) => new Promise((r) => {
        waiting.push(r);
        ws.send(typeof env === 'string' ? env : JSON.stringify(env));
      }),
    }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error('refused'), { status: res.statusCode, body: JSON.parse(body) as Record<string, unknown> })));
    });
    ws.once('error', reject);
  });
}

t.test('one policy for files and messages', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, policyText: POLICY });
  const ch = await open(fx, pki, pki.system('ferry://police/sys1'));
  t.teardown(() => ch.ws.close());

  const ok = await ch.send({ ref: 'm1', to: 'extranet/archive', label: 'internal', body: '明天上午九点召开例会。' });
  t.equal(ok.status, 202, 'a message is accepted');
  t.equal(ok.ref, 'm1', 'the answer names the envelope it answers');
  t.ok(verifyReceipt(ok.receipt, fx.gw.context.keys.signingPublicKey), 'with a receipt that verifies');
  const [got] = await dest.waitFor(1);
  t.equal(got!.headers['ferry-kind'], 'message', 'delivered as a message');
  t.equal(got!.headers['ferry-channel'], 'notices', 'on its channel');
  t.equal(got!.headers['ferry-from'], 'police/sys1', 'from the certificate, not the envelope');

  const marked = await ch.send({ ref: 'm2', to: 'extranet/archive', label: 'internal', body: '【机密】专案进展' });
  t.equal(marked.status, 422, 'a message is inspected like a file');
  t.equal(marked.problem.rule, 'deny-classified-marking');
  t.ok((marked.problem.findings as Array<{ kind: string }>).some((f) => f.kind === 'classified-marking'));

  const toPortal = await ch.send({ ref: 'm3', to: 'extranet/portal', label: 'public', body: 'hello' });
  t.equal(toPortal.status, 403, 'a rule can single out messages');
  t.equal(toPortal.problem.rule, 'deny-messages-to-portal');
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const file = await putFile(sender, fx.url('police'), Buffer.from('hello'), { 'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '5' });
  t.equal(file.status, 202, 'while the same policy lets a file to the same place through');

  const bad = await ch.send('{not json');
  t.equal(bad.status, 400);
  t.equal(bad.problem.code, 'FERRY_MESSAGE_INVALID', 'a bad envelope gets a code');
  const both = await ch.send({ ref: 'm5', to: 'extranet/archive', body: 'a', body_base64: 'YQ==' });
  t.equal(both.problem.code, 'FERRY_MESSAGE_INVALID');
  const binary = await ch.send({ ref: 'm6', to: 'extranet/archive', label: 'public', body_base64: Buffer.from([0, 1, 2, 3]).toString('base64') });
  t.equal(binary.status, 202, 'and the channel stays open: binary bodies go as base64');
  const unknown = await ch.send({ ref: 'm7', to: 'extranet/nobody', label: 'public', body: 'x' });
  t.equal(unknown.problem.code, 'FERRY_DESTINATION_UNKNOWN');
  const replay1 = await ch.send({ ref: 'm8', to: 'extranet/archive', label: 'public', body: 'once', idempotency_key: 'msg-8' });
  const replay2 = await ch.send({ ref: 'm8b', to: 'extranet/archive', label: 'public', body: 'once', idempotency_key: 'msg-8' });
  t.equal(replay2.id, replay1.id, 'a repeated idempotency key replays the first answer');
  t.equal(replay2.idempotent_replay, true);
  // A key is one request: a message under a file's key and size (or another channel's) is no replay of it.
  const keyed = await putFile(sender, fx.url('police'), Buffer.from('once'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '4', 'idempotency-key': 'file-9' });
  t.equal(keyed.status, 202, 'a file under a key');
  const asMessage = await ch.send({ ref: 'm9', to: 'extranet/archive', label: 'public', body: 'once', idempotency_key: 'file-9' });
  t.equal(asMessage.problem?.code, 'FERRY_IDEMPOTENCY_CONFLICT', 'a message under the file\'s key and size is a conflict, not the file\'s answer');
  const other = await open(fx, pki, pki.system('ferry://police/sys1'), 'alerts');
  t.teardown(() => other.ws.close());
  const otherChannel = await other.send({ ref: 'm10', to: 'extranet/archive', label: 'public', body: 'once', idempotency_key: 'msg-8' });
  t.equal(otherChannel.problem?.code, 'FERRY_IDEMPOTENCY_CONFLICT', 'so is a message under another channel\'s key');

  const status = await request(`${fx.url('police')}/v1/transfers/${ok.id}`, { dispatcher: sender });
  t.equal(((await status.body.json()) as { kind: string }).kind, 'message', 'its status says it is a message');

  const recs = [...readRecords(join(fx.dir, 'data', 'audit.db'), { transferId: ok.id as string })];
  t.same(recs.slice(0, 2).map((r) => r.event), ['received', 'accepted'], 'audited like a file: received, then the one accepted record (audit schema 3)');
  t.equal((recs[0]!.details as { kind: string; channel: string }).kind, 'message');
  t.equal((recs[0]!.details as { channel: string }).channel, 'notices');
  t.equal(((recs[1]!.details as { facts: { kind: string } }).facts).kind, 'message', 'the decisions saw kind: message (for replay)');
});

t.test('a channel needs the same identity as an upload', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, policyText: POLICY });
  const noCert = await open(fx, pki, null).catch((e: { status: number; body: { code: string } }) => e);
  t.equal((noCert as { status: number }).status, 401);
  t.equal((noCert as { body: { code: string } }).body.code, 'FERRY_NO_CLIENT_CERT');
  const foreign = await open(fx, pki, pki.foreign).catch((e: { body: { code: string } }) => e);
  t.equal((foreign as { body: { code: string } }).body.code, 'FERRY_CERT_UNTRUSTED');
  const wrongNet = await open(fx, pki, pki.system('ferry://extranet/portal')).catch((e: { body: { code: string } }) => e);
  t.equal((wrongNet as { body: { code: string } }).body.code, 'FERRY_WRONG_NETWORK', 'a system opens channels on its own network only');
  const badName = await open(fx, pki, pki.system('ferry://police/sys1'), 'Bad..Name').catch((e: { status: number }) => e);
  t.equal((badName as { status: number }).status, 404);
  const denied = [...readRecords(join(fx.dir, 'data', 'audit.db'), { event: 'denied' })].map((r) => r.details as { code: string; kind?: string; certificate?: { sha256: string } });
  t.ok(denied.some((d) => d.kind === 'message' && d.code === 'FERRY_NO_CLIENT_CERT'), 'a channel opened without a certificate is in the audit log');
  t.ok(denied.some((d) => d.code === 'FERRY_CERT_UNTRUSTED' && /^[0-9A-F:]{95}$/.test(d.certificate?.sha256 ?? '')), 'with the fingerprint of the foreign certificate');
});
