// Regressions from the attack campaign of issue 9, items 2, 4 and 7: headers past
// what the gateway reads, duplicate ferry-* headers, a missing label, file names
// that are not what a receiver writes, and broken body framing.
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { parseFilename } from '../gateway/ingress/upload-headers.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { rawRequest } from './helpers/raw-request.js';

const HEAD = 'PUT /v1/files HTTP/1.1\r\nhost: localhost\r\n';

t.test('more headers than the gateway reads: 431, never half-read (the label after 80 fillers was lost)', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const fillers = Array.from({ length: 80 }, (_, i) => `x-filler-${i}: ${i}\r\n`).join('');
  const r = await rawRequest(fx.gw.ports.police!, pki, `${HEAD}${fillers}ferry-to: extranet/archive\r\nferry-label: sensitive\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello`);
  t.equal(r.status, 431, 'refused with 431');
  t.equal(r.json?.code, 'FERRY_TOO_MANY_HEADERS');
  t.same(await fx.gw.context.queue.countsByState(), {}, 'nothing was queued');
  // At the limit itself the request is read whole.
  const some = Array.from({ length: 58 }, (_, i) => `x-filler-${i}: ${i}\r\n`).join('');
  const ok = await rawRequest(fx.gw.ports.police!, pki, `${HEAD}${some}ferry-to: extranet/archive\r\nferry-label: public\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello`);
  t.equal(ok.status, 202, 'a request with as many headers as are read (64) is accepted');
});

t.test('every ferry-* header (and the ones the gateway reads) is refused when sent twice', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const base: Record<string, string> = { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'ferry-filename': 'a.txt', 'content-type': 'text/plain', 'idempotency-key': 'k-1' };
  const twice: Array<[string, string]> = [
    ['ferry-filename', 'b.txt'], ['ferry-to', 'extranet/archive'], ['ferry-label', 'public'], ['content-type', 'text/plain'],
    ['idempotency-key', 'k-2'], ['ferry-from', 'police/other'], ['Ferry-Filename', 'b.txt'],
  ];
  for (const [name, second] of twice) {
    const lines = Object.entries(base).map(([k, v]) => `${k}: ${v}\r\n`).join('') + (base[name.toLowerCase()] === undefined ? `${name}: x\r\n` : '');
    const r = await rawRequest(fx.gw.ports.police!, pki, `${HEAD}${lines}${name}: ${second}\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello`);
    t.equal(r.status, 400, `${name} twice: 400`);
    t.equal(r.json?.code, 'FERRY_HEADER_INVALID', `${name} twice: FERRY_HEADER_INVALID`);
  }
  t.same(await fx.gw.context.queue.countsByState(), {}, 'nothing was queued');
});

t.test('a missing ferry-label is refused unless the policy names a default', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const example = await readFile(EXAMPLE_POLICY, 'utf8');
  t.match(example, /^default_label: internal$/m, 'the example policy names its default label');
  const strict = await startTestGateway(t, { destinationPort: dest.port, policyText: example.replace(/^default_label: .*$/m, '') });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, strict.url('police'), Buffer.from('hello'), { 'ferry-to': 'extranet/archive', 'content-length': '5' });
  t.equal(r.status, 400, 'without a default: 400');
  t.equal(r.json.code, 'FERRY_LABEL_MISSING');
  const lenient = await startTestGateway(t, { destinationPort: dest.port });
  const ok = await putFile(sender, lenient.url('police'), Buffer.from('hello'), { 'ferry-to': 'extranet/archive', 'content-length': '5' });
  t.equal(ok.status, 202, 'with default_label: internal, accepted');
  const row = await lenient.gw.context.queue.get(ok.json.id as string);
  t.equal(row?.label, 'internal', 'as internal, the default the policy names');
});

t.test('ferry-filename: raw UTF-8 and look-alike path separators are refused', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const raw = Buffer.concat([Buffer.from(`${HEAD}ferry-to: extranet/archive\r\nferry-label: public\r\nferry-filename: `), Buffer.from('季度报告.csv', 'utf8'), Buffer.from('\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello')]);
  const r = await rawRequest(fx.gw.ports.police!, pki, raw);
  t.equal(r.status, 400, 'raw UTF-8 bytes (read as Latin-1 mojibake) are refused');
  t.equal(r.json?.code, 'FERRY_FILENAME_INVALID');
  const latin1 = await rawRequest(fx.gw.ports.police!, pki, Buffer.concat([Buffer.from(`${HEAD}ferry-to: extranet/archive\r\nferry-label: public\r\nferry-filename: caf`), Buffer.from([0xe9]), Buffer.from('.txt\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello')]));
  t.equal(latin1.status, 400, 'so is any byte past ASCII');
  for (const sep of ['／', '∕', '⁄', '⧸', '＼', '⧹', '∖', '﹨', '╱', '╲', '⁄']) {
    t.throws(() => parseFilename(encodeURIComponent(`..${sep}..${sep}etc${sep}passwd`)), { code: 'FERRY_FILENAME_INVALID' }, `'${sep}' (U+${sep.codePointAt(0)!.toString(16)}) is refused`);
  }
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const slash = await putFile(sender, fx.url('police'), Buffer.from('hello'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'ferry-filename': encodeURIComponent('x／y.txt'), 'content-length': '5' });
  t.equal(slash.status, 400, 'a full-width solidus is refused over the wire');
  const fine = await putFile(sender, fx.url('police'), Buffer.from('hello'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'ferry-filename': encodeURIComponent('季度报告.csv'), 'content-length': '5' });
  t.equal(fine.status, 202, 'a percent-encoded UTF-8 name passes');
  t.equal((await fx.gw.context.queue.get(fine.json.id as string))?.filename, '季度报告.csv');
});

t.test('ferry-filename: what a receiver would write otherwise is refused, in every form a reviewer tried (issue 9, second campaign)', async (t) => {
  const refused: Array<[string, string]> = [
    // Windows devices, with or without an extension, in any case, full-width too.
    ['CON', 'CON'], ['con.txt', 'con.txt'], ['NUL.txt', 'NUL.txt'], ['COM1', 'COM1'], ['lpt9.pdf', 'lpt9.pdf'], ['COM¹', 'COM¹'], ['AUX .txt', 'AUX .txt'],
    ['CONIN$', 'CONIN$'], ['ＣＯＮ.txt (full-width)', 'ＣＯＮ.txt'],
    // A drive, a stream, wildcards.
    ['a.txt:evil.exe', 'a.txt:evil.exe'], ['C:x', 'C:x'], ['a：b (full-width colon)', 'a：b'], ['a*.txt', 'a*.txt'], ['a?.txt', 'a?.txt'], ['a|b', 'a|b'], ['a"b', 'a"b'], ['a<b>', 'a<b>'],
    // Ends that a receiver trims or shows as nothing, and names that fold into . and ..
    ['trailing no-break space', 'evil.exe\u00a0'], ['trailing ideographic space', 'evil.exe\u3000'], ['trailing full-width dot', 'evil.exe．'], ['leading space', ' evil.txt'],
    ['．．', '．．'], ['two dot leader', '\u2025'], ['one dot leader ×2', '\u2024\u2024'],
    // Invisible: Hangul filler, braille blank, a variation selector, a tag, interlinear annotation, line separator.
    ['Hangul filler', 'a\u3164b.txt'], ['braille blank', 'a\u2800b.txt'], ['variation selector', 'a\ufe0fb.txt'], ['tag character', 'a\u{e0041}b.txt'],
    ['interlinear annotation', 'a\ufff9b.txt'], ['line separator', 'a\u2028b.txt'],
    // More look-alikes of / and \.
    ['⧶', 'a⧶b'], ['⧷', 'a⧷b'], ['⫻', 'a⫻b'], ['⫽', 'a⫽b'], ['⁁', 'a⁁b'], ['⹊', 'a⹊b'], ['㇓', 'a㇓b'], ['㇔', 'a㇔b'], ['🙼', 'a🙼b'], ['🙽', 'a🙽b'], ['𝈺', 'a𝈺b'],
  ];
  for (const [what, name] of refused) t.throws(() => parseFilename(encodeURIComponent(name)), { code: 'FERRY_FILENAME_INVALID' }, `${what} is refused`);
  for (const name of ['季度报告.csv', 'ノート.txt', 'console.log', 'community.txt', 'a.b.c', 'CONTRACT.pdf', 'com10.txt', '.bashrc', 'e\u0301.txt']) {
    t.doesNotThrow(() => parseFilename(encodeURIComponent(name)), `${name} passes`);
  }
});

t.test('broken body framing is answered 400 at once, not 408 after the idle timeout', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  // An idle timeout long enough that a 408 shows it was waited for, short enough to keep a failing run short.
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: 'limits: { idle_timeout: 4s }\n' });
  const head = `${HEAD}ferry-to: extranet/archive\r\nferry-label: public\r\n`;
  const cases: Array<[string, string]> = [
    ['transfer-encoding: xchunked', `${head}transfer-encoding: xchunked\r\n\r\nhello`],
    ['transfer-encoding: gzip', `${head}transfer-encoding: gzip\r\n\r\nhello`],
    ['an overflowing chunk size', `${head}transfer-encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nhello`],
    ['a chunk size that is not hex', `${head}transfer-encoding: chunked\r\n\r\nzz\r\nhello`],
    ['a chunk without its CRLF', `${head}transfer-encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n`],
    // Second campaign: an HTTP/1.0 request with Transfer-Encoding (RFC 9112 §6.1), two Hosts (§3.2).
    ['HTTP/1.0 with transfer-encoding', `PUT /v1/files HTTP/1.0\r\nhost: localhost\r\nferry-to: extranet/archive\r\nferry-label: public\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`],
    ['two Host headers', `${head}host: evil.example\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello`],
    ['two Host headers on a read', 'GET /v1/transfers HTTP/1.1\r\nhost: localhost\r\nHost: evil.example\r\nconnection: close\r\n\r\n'],
  ];
  for (const [what, payload] of cases) {
    const r = await rawRequest(fx.gw.ports.police!, pki, payload);
    t.equal(r.status, 400, `${what}: 400`);
    t.equal(r.json?.code, 'FERRY_MALFORMED_REQUEST', `${what}: FERRY_MALFORMED_REQUEST`);
  }
  // A trailer that would say what the transfer is: the label was decided from the headers, so it is refused, not ignored.
  for (const trailer of ['ferry-label: sensitive', 'Ferry-To: extranet/other', 'content-type: application/x-msdownload']) {
    const r = await rawRequest(fx.gw.ports.police!, pki, `${head}transfer-encoding: chunked\r\nconnection: close\r\n\r\n5\r\nhello\r\n0\r\n${trailer}\r\n\r\n`);
    t.equal(r.status, 400, `a trailer ${trailer}: 400`);
    t.equal(r.json?.code, 'FERRY_HEADER_INVALID', `a trailer ${trailer}: FERRY_HEADER_INVALID`);
  }
  const fillers = Array.from({ length: 80 }, (_, i) => `x-filler-${i}: ${i}\r\n`).join('');
  const trailers = await rawRequest(fx.gw.ports.police!, pki, `${head}transfer-encoding: chunked\r\nconnection: close\r\n\r\n5\r\nhello\r\n0\r\n${fillers}\r\n`);
  t.equal(trailers.status, 431, 'more trailer fields than are read: 431');
  // The subscription upgrade had no header count of its own.
  const sub = await rawRequest(fx.gw.ports.police!, pki, `GET /v1/subscriptions/news HTTP/1.1\r\nhost: localhost\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n${fillers}\r\n`);
  t.equal(sub.status, 431, 'a subscription upgrade with 80 more headers: 431');
  t.same(await fx.gw.context.queue.countsByState(), {}, 'nothing was queued');
});
