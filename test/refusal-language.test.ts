// A refusal is worded in the language the request asked for (Accept-Language),
// English when it asks for none; the code never changes. The `ferry` command
// line asks in its own language (LANG, --lang) and prints the refusal in it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import WebSocket from 'ws';
import { messages } from '../i18n/catalogue.js';
import { ERROR_CODES } from '../protocol/errors.js';
import { runFerry } from './helpers/ferry-process.js';
import { clientFor, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { rawRequest } from './helpers/raw-request.js';

const zh = messages('zh-CN').errors;
const pki = await makePki();
const dest = await startDestination(t, pki);
const fx = await startTestGateway(t, { destinationPort: dest.port, pki });
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));

async function put(headers: Record<string, string>): Promise<{ status: number; lang: unknown; body: Record<string, any> }> {
  const res = await request(`${fx.url('police')}/v1/files`, { method: 'PUT', dispatcher: sender, body: 'hello', headers: { 'content-length': '5', ...headers } });
  return { status: res.statusCode, lang: res.headers['content-language'], body: (await res.body.json()) as Record<string, any> };
}

t.test('Accept-Language picks the words of a problem body; the code stays', async (t) => {
  const cn = await put({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
  t.equal(cn.status, 400);
  t.equal(cn.body.code, 'FERRY_DESTINATION_MISSING', 'the code is the same in Chinese');
  t.equal(cn.body.lang, 'zh-CN');
  t.equal(cn.lang, 'zh-CN', 'content-language says it too');
  t.equal(cn.body.title, zh.FERRY_DESTINATION_MISSING.title);
  t.equal(cn.body.action, zh.FERRY_DESTINATION_MISSING.action);
  t.equal(cn.body.detail, zh.FERRY_DESTINATION_MISSING.title, 'a detail that only repeats the title is in Chinese too');
  t.match(cn.body.title, /[\u4e00-\u9fff]/);

  const none = await put({});
  t.equal(none.body.code, 'FERRY_DESTINATION_MISSING');
  t.equal(none.body.lang, 'en', 'an API client that names no language gets English');
  t.equal(none.body.title, ERROR_CODES.FERRY_DESTINATION_MISSING.title);
  t.equal(none.body.action, ERROR_CODES.FERRY_DESTINATION_MISSING.action);

  const other = await put({ 'accept-language': 'de-DE, fr;q=0.8' });
  t.equal(other.body.lang, 'en', 'none of ours: English');

  // A refusal with a detail written for this request: title and action in Chinese, the detail as written.
  const unknown = await put({ 'accept-language': 'zh', 'ferry-to': 'extranet/nowhere', 'ferry-label': 'internal' });
  t.equal(unknown.body.code, 'FERRY_DESTINATION_UNKNOWN');
  t.equal(unknown.body.title, zh.FERRY_DESTINATION_UNKNOWN.title);
  t.equal(unknown.body.lang, 'zh-CN');
  t.type(unknown.body.detail, 'string');
});

t.test('refusals answered on the raw socket and in channel frames follow the language too', async (t) => {
  // A refused WebSocket opening is written on the socket (rawProblem), not through the HTTP response.
  const upgrade = ['GET /v1/channels/Bad%20Name HTTP/1.1', 'host: localhost', 'connection: upgrade', 'upgrade: websocket',
    'sec-websocket-version: 13', 'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==', 'accept-language: zh-CN', '', ''].join('\r\n');
  const raw = await rawRequest(fx.gw.ports.police!, pki, upgrade);
  t.equal(raw.status, 404);
  t.equal(raw.json?.code, 'FERRY_ROUTE_NOT_FOUND');
  t.equal(raw.json?.lang, 'zh-CN');
  t.equal(raw.json?.title, zh.FERRY_ROUTE_NOT_FOUND.title);
  t.match(raw.headers, /content-language: zh-CN/i);

  const creds = pki.system('ferry://police/sys1');
  const ws = new WebSocket(`wss://127.0.0.1:${fx.gw.ports.police}/v1/channels/orders`, { ca: pki.caCert, cert: creds.cert, key: creds.key, headers: { 'accept-language': 'zh-CN' } });
  t.teardown(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const answer = new Promise<Record<string, any>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, any>)));
  ws.send('not json');
  const a = await answer;
  t.equal(a.status, 400);
  t.equal(a.problem.code, 'FERRY_MESSAGE_INVALID');
  t.equal(a.problem.lang, 'zh-CN');
  t.equal(a.problem.title, zh.FERRY_MESSAGE_INVALID.title);
  ws.close();
});

t.test('the ferry command line asks in its language and prints the refusal in it', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'ferry-lang-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const file = join(work, 'note.txt');
  await writeFile(file, 'hello\n');
  const c = pki.system('ferry://police/sys1');
  const env = { FERRY_GATEWAY: fx.url('police'), FERRY_CERT: c.certPath, FERRY_KEY: c.keyPath, FERRY_CA: pki.caCertPath, LC_ALL: '', LC_MESSAGES: '' };

  const cn = await runFerry(['send', file, '--to', 'extranet/nowhere'], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
  t.equal(cn.code, 1, 'a refusal exits 1');
  t.match(cn.stderr, '已拒绝：FERRY_DESTINATION_UNKNOWN（HTTP 404）', 'the code is intact in a Chinese line');
  t.match(cn.stderr, `(${zh.FERRY_DESTINATION_UNKNOWN.title})`, 'the gateway answered in Chinese');
  t.match(cn.stderr, `处理办法：${zh.FERRY_DESTINATION_UNKNOWN.action}`);

  const en = await runFerry(['send', file, '--to', 'extranet/nowhere', '--lang', 'en'], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
  t.equal(en.code, 1);
  t.match(en.stderr, 'refused: FERRY_DESTINATION_UNKNOWN (HTTP 404)', '--lang en wins over LANG');
  t.match(en.stderr, `what to do: ${ERROR_CODES.FERRY_DESTINATION_UNKNOWN.action}`);
  t.notMatch(en.stderr, /[\u4e00-\u9fff]/, 'no Chinese in an English run');
});
