// A hop retried with the same transfer id is idempotent at the receiving
// gateway: the same envelope and body get the same answer, the transfer has
// one row there and one clear audit history (one final record), whether the
// first answer was a 202 or a refusal that never reached the upstream, or the
// first attempt was cut off before any answer.
import { Readable } from 'node:stream';
import { join } from 'node:path';
import t from 'tap';
import { readRecords } from '../gateway/audit/read-records.js';
import { readEvidence } from '../simulator/audit-evidence.js';
import { startChain, type Hop } from './helpers/chain.js';
import { clientFor, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { envelopeFrom, relay } from './helpers/relay-envelope.js';
import { textBody } from './helpers/text-body.js';
import { readFile } from 'node:fs/promises';

function records(hop: Hop, id: string) {
  return [...readRecords(join(hop.dataDir, 'audit.db'), { transferId: id })];
}

t.test('a retried relay gets the first answer again, one row and one final record', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { extra2: 'inspect: { keywords: [绝不外传] }' });
  const asGw1 = clientFor(t, pki, pki.gateway('gw1'));
  const gw2 = chain.gw2.gw!.context;

  t.test('answered 202, the answer lost: the same answer again', async (t) => {
    const body = textBody(30_000);
    const e = await envelopeFrom(chain.gw1.dataDir, 'gw1', body);
    const first = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(first.status, 202);
    const again = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(again.status, 202, 'the retry is answered 202 too');
    t.equal(again.json.idempotent_replay, true, 'as a replay of the first answer');
    t.equal(again.json.receipt.signature, first.json.receipt.signature, 'with the same accepted receipt');
    t.equal((await gw2.queue.list({ principal: 'ferry://gateway/gw1', limit: 1000 })).filter((r) => r.id === e.id).length, 1, 'one row');
    await until(async () => (await gw2.queue.get(e.id))?.state === 'delivered', 'delivered by gw2');
    const events = records(chain.gw2, e.id).map((r) => r.event);
    t.equal(events.filter((x) => x === 'received').length, 1, 'one pass');
    t.equal(events.filter((x) => x === 'delivered').length, 1, 'one final record');

    // The same id with another body, even under a valid signature, is not a retry.
    const other = textBody(30_000);
    const e2 = await envelopeFrom(chain.gw1.dataDir, 'gw1', other, { transfer: e.id });
    const conflict = await relay(asGw1, chain.gw2, e2.sealed, other, e.id);
    t.equal(conflict.json.code, 'FERRY_ID_CONFLICT', 'another body under the same id is refused');
    t.equal(chain.receiver.received.length, 1, 'and delivered nothing more');
  });

  t.test('refused, the refusal lost: the same refusal again, not a second denial', async (t) => {
    const body = Buffer.from('季度报告：本文件绝不外传，仅供内部参考。\n'.repeat(20));
    const e = await envelopeFrom(chain.gw1.dataDir, 'gw1', body, { content_type: 'text/plain; charset=utf-8' });
    const first = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(first.json.code, 'FERRY_CONTENT_DENIED');
    const again = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(again.status, first.status, 'the same status');
    t.equal(again.json.code, first.json.code, 'the same code');
    t.equal(again.json.rule, 'deny-keyword', 'the same rule');
    t.same(again.json.findings.map((f: { kind: string }) => f.kind), first.json.findings.map((f: { kind: string }) => f.kind), 'the same findings');
    const trail = records(chain.gw2, e.id).map((r) => r.event);
    t.equal(trail.filter((x) => x === 'received').length, 1, 'no second pass');
    t.equal(trail.filter((x) => x === 'denied').length, 1, "one final record in the transfer's trail");
    const repeated = [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { event: 'denied' })]
      .filter((r) => (r.details as { transfer?: string; repeated?: boolean } | null)?.transfer === e.id);
    t.equal(repeated.length, 1, 'the repeated refusal is itself an audit record');
    t.equal((repeated[0]!.details as { repeated?: boolean }).repeated, true);
  });

  t.test('cut off before any answer, then retried: taken afresh, one row, the aborted attempt marked', async (t) => {
    const body = textBody(400_000);
    const e = await envelopeFrom(chain.gw1.dataDir, 'gw1', body);
    // Half the body, then the upstream's connection breaks.
    const half = new Readable({
      read() {
        this.push(body.subarray(0, body.length / 2));
        setTimeout(() => this.destroy(new Error('cut')), 50);
      },
    });
    await relay(asGw1, chain.gw2, e.sealed, half, e.id, body.length).catch(() => undefined);
    await until(() => records(chain.gw2, e.id).some((r) => r.event === 'failed'), 'gw2 records the broken attempt');
    const ok = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(ok.status, 202, 'the retry is taken afresh');
    await until(async () => (await gw2.queue.get(e.id))?.state === 'delivered', 'delivered by gw2');
    const trail = records(chain.gw2, e.id);
    const second = trail.filter((r) => r.event === 'received')[1];
    t.equal((second?.details as { retry_of_unanswered?: boolean } | undefined)?.retry_of_unanswered, true, 'the second attempt says it retries one that was never answered');
    t.equal((await gw2.queue.list({ principal: 'ferry://gateway/gw1', limit: 1000 })).filter((r) => r.id === e.id).length, 1, 'one row');
    // The simulator's reading of the log: one final record; the broken attempt is not one.
    const evidence = await readEvidence('gw2', chain.gw2.dataDir, await readFile(chain.gw2.vkeyPath, 'utf8'));
    const tr = evidence.trails.get(e.id)!;
    t.same(tr.finals.map((f) => f.event), ['delivered'], 'one final record: delivered');
    t.equal(tr.abortedAttempts, 1, 'and one aborted attempt before it');
  });
});
