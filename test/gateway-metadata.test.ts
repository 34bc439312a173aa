// What crosses beside the content (fourth red team of 30 Nov, N2 and N8): the
// declared content type and the file name, through a real gateway. A content
// type is type/subtype with only the parameters a receiver reads (charset,
// header for CSV…), anything else refused 415 before the body is read and
// audited with its code; the type that is kept is inspected as text, and so are
// the decoded forms of a file name (base64, base64url, hex), while the names
// and types real clients send keep crossing.
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { openPublisher } from './helpers/channels.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const MARKING = '绝密★作战计划 11010519491231002X';

t.test('the declared content type and the file name cross only as what they are, and are inspected', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, pki });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const receiver = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const body = Buffer.from('an ordinary report\n');
  const base = { 'ferry-to': 'extranet/portal', 'ferry-label': 'internal', 'content-length': String(body.length) };
  const put = (headers: Record<string, string>) => putFile(sender, fx.url('police'), body, { ...base, ...headers });
  const denied = () => [...readRecords(join(fx.dir, 'data', 'audit.db'), { event: 'denied' })];

  // N2: parameters nobody reads are refused before the body, whatever they hold.
  const refused: Array<[string, string]> = [
    ['a parameter of the sender\'s own', `text/plain; x=${Buffer.from(MARKING).toString('hex')}`],
    ['the same beside a charset', `text/plain; charset=utf-8; x=${'a'.repeat(4000)}`],
    ['a charset no decoder knows', 'text/plain; charset=13800138000'],
    ['header= on another type than CSV', 'text/plain; header=present'],
    ['a charset twice', 'text/plain; charset=utf-8; charset=gbk'],
    ['a type longer than 255 characters', `application/vnd.${'a'.repeat(120)}+${'b'.repeat(120)}`],
    ['bytes past ASCII (UTF-8 read as Latin-1)', `text/plain; charset="${Buffer.from('绝密').toString('latin1')}"`],
  ];
  const before = denied().length;
  for (const [what, ct] of refused) {
    const r = await put({ 'content-type': ct });
    t.equal(r.status, 415, `${what}: 415`);
    t.equal(r.json.code, 'FERRY_UNSUPPORTED_MEDIA_TYPE', `${what}: FERRY_UNSUPPORTED_MEDIA_TYPE`);
  }
  const audited = denied().slice(before);
  t.equal(audited.filter((d) => (d.details as { code?: string }).code === 'FERRY_UNSUPPORTED_MEDIA_TYPE').length, refused.length, 'each refusal is a denied record with its code');
  t.notOk(JSON.stringify(audited).includes('13800138000'), 'and a number in the refused type is masked in it');

  // The types real clients send cross, as one canonical form.
  const list = async (id: string) => {
    const dl = await request(`${fx.url('extranet')}/v1/inbox/${id}`, { dispatcher: receiver });
    await dl.body.dump();
    return dl.headers['content-type'];
  };
  const clean: Array<[string, string]> = [
    ['text/csv; header=present', 'text/csv; header=present'],
    ['Text/CSV;charset="UTF-8"; header=absent', 'text/csv; charset=utf-8; header=absent'],
    ['text/plain; charset=GB2312', 'text/plain; charset=gb2312'],
    ['text/plain; format=flowed; delsp=yes', 'text/plain; format=flowed; delsp=yes'],
    ['text/plain;', 'text/plain'],
  ];
  for (const [ct, kept] of clean) {
    const r = await put({ 'content-type': ct });
    t.equal(r.status, 202, `${ct}: accepted`);
    if (r.status === 202) t.equal(await list(r.json.id), kept, `${ct}: handed on as ${kept}`);
  }

  // What is kept is inspected: a marking spelt in hex into a subtype, a mobile in a subtype.
  let r = await put({ 'content-type': `text/x-${Buffer.from('绝密★').toString('hex')}` });
  t.equal(r.status, 422, 'a marking in hex in the subtype: refused by content');
  t.equal(r.json.rule, 'deny-classified-marking');
  r = await put({ 'content-type': 'text/x-13987654321' });
  t.equal(r.status, 422, 'a mobile number in the subtype: refused by content');
  t.equal(r.json.rule, 'deny-personal-data');

  // N8: a file name that is the base64url or the hex of a marking and an id is read decoded.
  for (const [what, name] of [
    ['base64url', `${Buffer.from(MARKING).toString('base64url')}.txt`],
    ['hex', `${Buffer.from(MARKING).toString('hex')}.txt`],
    ['an id in base64url', `${Buffer.from('11010519491231002X').toString('base64url')}.txt`],
  ] as const) {
    r = await put({ 'content-type': 'text/plain', 'ferry-filename': name });
    t.equal(r.status, 422, `a file name in ${what}: refused`);
  }
  // Names real systems write keep crossing.
  for (const name of [
    '3f2a9c1e0b7d4a6e8f1c2b3a4d5e6f70a1b2c3d4e5f60718293a4b5c6d7e8f9.txt',
    '550e8400-e29b-41d4-a716-446655440000.txt',
    'IMG_20231130_123456.txt',
    'index-BxK3mQ9z.txt',
    'app.QmFzZTY0TG9va2luZ05hbWU.min.txt',
    'sd2s7x0mw1ycx2pjqdyfrcl5lvd9gd1m-hello-2.12.1.txt',
  ]) {
    r = await put({ 'content-type': 'text/plain', 'ferry-filename': encodeURIComponent(name) });
    t.equal(r.status, 202, `${name}: accepted`);
  }

  // A message's content_type: the same rule, the same inspection.
  const pub = await openPublisher(fx.gw.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'notes');
  t.teardown(() => pub.close());
  const m = (content_type: string) => pub.send({ to: 'extranet/portal', label: 'internal', body: 'an ordinary note', content_type });
  let a = await m(`text/plain; x=${Buffer.from(MARKING).toString('base64url')}`);
  t.equal(a.status, 415, 'a message\'s content_type with a parameter of its own: 415');
  t.equal(a.problem?.code, 'FERRY_UNSUPPORTED_MEDIA_TYPE');
  a = await m(`text/x-${Buffer.from('绝密★').toString('hex')}`);
  t.equal(a.status, 422, 'a marking in hex in a message\'s subtype: refused by content');
  a = await m('text/plain; charset=utf-8');
  t.equal(a.status, 202, 'a message as clients send it: accepted');
  t.ok(denied().some((d) => (d.details as { kind?: string; code?: string }).kind === 'message' && (d.details as { code?: string }).code === 'FERRY_UNSUPPORTED_MEDIA_TYPE'), 'the message\'s refusal is audited with its code');
});
