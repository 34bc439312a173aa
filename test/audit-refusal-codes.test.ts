// Every refusal is in the audit log with the code its answer carried, so a
// security team that searches by code (`ferry log query --code`, the example in
// its own --help; the console's Transfers filter) finds the refusals that
// matter most. The `denied` records of policy and content refusals carried
// only a reason (red team, 30 Nov): `--code FERRY_CONTENT_DENIED` found none.
// Real gateway, real TLS, the example policy; the query through `ferry`.
import { join } from 'node:path';
import t from 'tap';
import { runFerry } from './helpers/ferry-process.js';
import { openPublisher } from './helpers/channels.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { residentId } from './inspect-fixtures.js';

t.test('policy and content refusals, of files and of messages, are found by their code', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { pki, destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const put = (body: string, headers: Record<string, string>) => {
    const b = Buffer.from(body);
    return putFile(sender, fx.url('police'), b, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(b.length), 'content-type': 'text/plain', ...headers });
  };
  // Sensitive data may go only to the entitled recipients: no rule allows this one.
  const policy = await put('名单', { 'ferry-to': 'extranet/portal', 'ferry-label': 'sensitive' });
  t.equal(policy.json.code, 'FERRY_POLICY_DENIED', 'refused before content');
  const content = await put(`姓名,证件号\n王五,${residentId('110105', '19491231', '002')}\n`, {});
  t.equal(content.json.code, 'FERRY_CONTENT_DENIED', 'refused after content');
  const pub = await openPublisher(fx.gw.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'notices');
  t.teardown(() => pub.close());
  const message = await pub.send({ to: 'extranet/archive', label: 'internal', body: '通知：机密★10年' });
  t.equal(message.problem?.code, 'FERRY_CONTENT_DENIED', 'a message refused after content');

  const db = join(fx.dir, 'data', 'audit.db');
  const byCode = async (code: string): Promise<string[]> => {
    const q = await runFerry(['log', 'query', '--db', db, '--code', code, '--json']);
    t.equal(q.code, 0, q.stderr);
    return q.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { transfer_id: string }).transfer_id);
  };
  t.same(await byCode('FERRY_POLICY_DENIED'), [policy.json.transfer], 'the policy refusal, by its code');
  t.same((await byCode('FERRY_CONTENT_DENIED')).sort(), [content.json.transfer, message.problem?.transfer].sort(), 'the file and the message refused for their content, by their code');
});
