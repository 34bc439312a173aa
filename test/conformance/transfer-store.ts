// What every TransferStore backend must do (gateway/store/transfer-store.ts),
// written against the port alone, so that one suite runs against each backend
// (as undici runs one cache-store suite against its memory and SQLite stores).
// test/storage-conformance.test.ts runs it against SQLite today.
import type tap from 'tap';
import type { Receipt } from '../../protocol/receipt.js';
import type { NewTransfer, Transfer, TransferStore } from '../../gateway/store/transfer-store.js';

/** A tap test (the main one or a subtest). */
type Tap = Parameters<Parameters<typeof tap.test>[0]>[0];

export interface TransferStoreBackend {
  name: string;
  /** A new, empty store; `reopen` closes nothing itself: the suite closes the store first. */
  create(): Promise<{ store: TransferStore; reopen(): Promise<TransferStore> }>;
}

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
let counter = 0;

/** UUIDv7-shaped ids that sort in creation order, as the gateway's do. */
function nextId(): string {
  counter += 1;
  return `01900000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

function receipt(type: 'accepted' | 'delivered', id: string): Receipt {
  return {
    type, transfer: id, sha256: 'a'.repeat(64), size: 5, source: 'police/sys1', destination: 'extranet/archive',
    time: new Date(T0).toISOString(), gateway: 'ferry://gateway/gw1', key_id: 'k1', signature: `sig-${type}-${id}`,
  } as unknown as Receipt;
}

function transfer(over: Partial<NewTransfer> = {}): NewTransfer {
  const id = over.id ?? nextId();
  return {
    id, kind: 'file', channel: null, principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive', label: 'internal',
    filename: '报告.pdf', contentType: 'application/pdf', size: 5, sha256: 'a'.repeat(64), spool: `ab/${id}.spool`, delivery: 'push',
    idempotencyKey: null, created: T0, expiresAt: T0 + DAY, receiptAccepted: receipt('accepted', id), retainDays: null, ...over,
  };
}

/** Inserted and queued, as the gateway leaves a transfer answered 202. */
async function queued(store: TransferStore, over: Partial<NewTransfer> = {}): Promise<Transfer> {
  const t = transfer(over);
  await store.insertAccepted(t);
  await store.markQueued(t.id, t.created);
  return (await store.get(t.id))!;
}

export function transferStoreConformance(tap: Tap, backend: TransferStoreBackend): void {
  const fresh = async (t: Tap): Promise<TransferStore> => {
    const { store } = await backend.create();
    t.teardown(() => store.close());
    return store;
  };

  void tap.test(`${backend.name}: a transfer reads back as written, camel-case, receipts and path as values`, async (t) => {
    const store = await fresh(t);
    const n = transfer({ idempotencyKey: 'k-1', retainDays: 30, via: 'gw0', path: ['gw0'], nextHop: 'gw2', delivery: 'relay' });
    await store.insertAccepted(n);
    const got = (await store.get(n.id))!;
    t.match(got, {
      id: n.id, kind: 'file', channel: null, state: 'accepted', principal: n.principal, source: n.source, destination: n.destination,
      label: 'internal', filename: '报告.pdf', contentType: 'application/pdf', size: 5, sha256: n.sha256, spool: n.spool, delivery: 'relay',
      seq: null, idempotencyKey: 'k-1', created: T0, updated: T0, expiresAt: T0 + DAY, attempts: 0, nextAttemptAt: T0, reason: null,
      receiptDelivered: null, retainDays: 30, retainUntil: null, deliveredAt: null, via: 'gw0', nextHop: 'gw2', hops: null, polls: 0,
    });
    t.same(got.receiptAccepted, n.receiptAccepted, 'the receipt is an object equal to the one given');
    t.same(got.path, ['gw0'], 'the path is a list');
    t.equal(await store.get(nextId()), undefined, 'an unknown id is undefined');
    await store.markQueued(n.id, T0 + 1);
    t.equal((await store.get(n.id))!.state, 'queued', 'accepted → queued');
    t.same(await store.countsByState(), { queued: 1 }, 'counted by state');
  });

  void tap.test(`${backend.name}: idempotency keys`, async (t) => {
    const store = await fresh(t);
    const first = transfer({ idempotencyKey: 'same' });
    await store.insertAccepted(first);
    t.equal((await store.findByIdempotencyKey(first.principal, 'same'))?.id, first.id, 'found by (principal, key)');
    t.equal(await store.findByIdempotencyKey('ferry://police/other', 'same'), undefined, 'a key is per principal');
    // Asked in one turn, committed together: only the repeated key fails.
    const other = transfer({ idempotencyKey: 'other' });
    const results = await Promise.allSettled([store.insertAccepted(transfer({ idempotencyKey: 'same' })), store.insertAccepted(other)]);
    t.equal(results[0]!.status, 'rejected', 'a second transfer under the same key is refused');
    t.equal(results[1]!.status, 'fulfilled', 'the write beside it is not');
    t.ok(await store.get(other.id), 'and is kept');
    await store.failUnanswered(first.id, 'stopped before the answer', T0 + 5);
    const failed = (await store.get(first.id))!;
    t.match(failed, { state: 'failed', reason: 'stopped before the answer', idempotencyKey: null }, 'failed, its key released');
    t.equal(await store.findByIdempotencyKey(first.principal, 'same'), undefined, 'the key finds nothing now');
    await store.insertAccepted(transfer({ idempotencyKey: 'same' }));
    t.ok(await store.findByIdempotencyKey(first.principal, 'same'), 'and a retry under it is a new transfer');
  });

  void tap.test(`${backend.name}: claiming due work`, async (t) => {
    const store = await fresh(t);
    const a = await queued(store);
    const b = await queued(store, { delivery: 'relay' });
    await queued(store, { delivery: 'pull' });
    const later = await queued(store, { created: T0 + 10_000 });
    const unanswered = transfer();
    await store.insertAccepted(unanswered);
    t.equal(await store.nextDueTime(), T0, 'the earliest due time');
    // Two schedulers asking at once never get the same transfer.
    const [x, y] = await Promise.all([store.claimDue(1, T0 + 1), store.claimDue(10, T0 + 1)]);
    const claimed = [...x, ...y].map((r) => r.id).sort();
    t.same(claimed, [a.id, b.id].sort(), 'push and relay transfers due now; not pull, not later, not accepted');
    t.ok([...x, ...y].every((r) => r.state === 'forwarding' && r.attempts === 1), 'claimed: forwarding, attempt 1');
    t.equal((await store.get(a.id))!.state, 'forwarding', 'as stored');
    t.same(await store.claimDue(10, T0 + 1), [], 'nothing is claimed twice');
    t.ok(await store.reschedule(a.id, T0 + 5_000, 'connection refused', T0 + 2), 'a failed attempt waits for its next');
    t.match(await store.get(a.id), { state: 'queued', nextAttemptAt: T0 + 5_000, reason: 'connection refused', attempts: 1 }, 'rescheduled');
    t.same((await store.claimDue(10, T0 + 4_999)).map((r) => r.id), [], 'not before its time');
    t.same((await store.claimDue(10, T0 + 10_000)).map((r) => r.id), [a.id, later.id], 'then in due order');
    t.equal((await store.get(a.id))!.attempts, 2, 'attempts counted');
    await store.requeueInterrupted(T0 + 20_000);
    t.same((await store.withState('forwarding')).map((r) => r.id), [], 'after a crash nothing is left forwarding');
    t.ok((await store.withState('queued')).some((r) => r.id === b.id), 'the interrupted one is due again');
    t.ok(await store.retryNow(later.id, T0 + 30_000), 'an operator may retry a waiting transfer now');
    t.equal((await store.get(later.id))!.nextAttemptAt, T0 + 30_000, 'due at once');
    t.notOk(await store.retryNow(unanswered.id), 'but not one that is not waiting');
    // An attempt in hand that an administrator cancelled meanwhile stays cancelled: its failure does not bring it back.
    const [c] = await store.claimDue(1, T0 + 40_000);
    t.ok(c, 'one more claimed');
    t.ok(await store.settle(c!.id, 'failed', 'cancelled by an administrator', T0 + 40_001), 'cancelled while forwarding');
    t.notOk(await store.reschedule(c!.id, T0 + 50_000, 'connection refused', T0 + 40_002), 'its attempt failing afterwards changes nothing');
    t.match(await store.get(c!.id), { state: 'failed', reason: 'cancelled by an administrator' }, 'still cancelled');
    t.same((await store.claimDue(10, T0 + 60_000)).map((r) => r.id).filter((id) => id === c!.id), [], 'and never claimed again');
  });

  void tap.test(`${backend.name}: messages of one channel go in order`, async (t) => {
    const store = await fresh(t);
    const first = await queued(store, { kind: 'message', channel: 'orders' });
    const second = await queued(store, { kind: 'message', channel: 'orders' });
    const elsewhere = await queued(store, { kind: 'message', channel: 'other' });
    t.same((await store.claimDue(10, T0)).map((r) => r.id).sort(), [first.id, elsewhere.id].sort(), 'the second waits for the first');
    t.ok(await store.markDelivered(first.id, receipt('delivered', first.id), T0 + 1), 'the first delivered');
    t.same((await store.claimDue(10, T0 + 1)).map((r) => r.id), [second.id], 'then the second is due');
  });

  void tap.test(`${backend.name}: delivery and final states`, async (t) => {
    const store = await fresh(t);
    const kept = await queued(store, { retainDays: 30 });
    const plain = await queued(store);
    const r = receipt('delivered', kept.id);
    t.ok(await store.markDelivered(kept.id, r, T0 + 100), 'delivered');
    const got = (await store.get(kept.id))!;
    t.match(got, { state: 'delivered', deliveredAt: T0 + 100, retainUntil: T0 + 100 + 30 * DAY, reason: null }, 'retention runs from delivery');
    t.same(got.receiptDelivered, r, 'the delivered receipt is an object');
    t.notOk(await store.markDelivered(kept.id, r, T0 + 200), 'delivered once only');
    t.notOk(await store.settle(kept.id, 'expired', 'too late', T0 + 200), 'a delivered transfer does not expire');
    const hops = [{ gateway: 'ferry://gateway/gw2', state: 'denied', time: new Date(T0).toISOString(), code: 'FERRY_POLICY_DENIED', rule: 'r1' }];
    t.ok(await store.settle(plain.id, 'denied', 'refused downstream', T0 + 300, hops), 'settled as denied');
    t.match(await store.get(plain.id), { state: 'denied', reason: 'refused downstream', updated: T0 + 300, hops }, 'with the hops given');
    t.same(await store.countsByState(), { delivered: 1, denied: 1 });
  });

  void tap.test(`${backend.name}: relayed transfers wait for their outcome`, async (t) => {
    const store = await fresh(t);
    const a = await queued(store, { delivery: 'relay', nextHop: 'gw2' });
    const b = await queued(store, { delivery: 'relay', nextHop: 'gw2', expiresAt: T0 + 1_000 });
    t.notOk(await store.markRelayed(a.id, [], T0 + 10), 'only a transfer being forwarded is relayed');
    await store.claimDue(10, T0);
    const hop = { gateway: 'ferry://gateway/gw2', state: 'queued', time: new Date(T0).toISOString() };
    t.ok(await store.markRelayed(a.id, [hop], T0 + 100, T0 + 1), 'relayed');
    t.ok(await store.markRelayed(b.id, [hop], T0 + 100, T0 + 1));
    t.match(await store.get(a.id), { state: 'relayed', hops: [hop], polls: 0, nextAttemptAt: T0 + 100 });
    t.same(await store.relayedDue(10, T0 + 99), [], 'not asked before its time');
    t.same((await store.relayedDue(10, T0 + 100)).map((r) => r.id).sort(), [a.id, b.id].sort(), 'then asked');
    await store.pollLater(a.id, T0 + 500, null, 'not settled yet');
    t.match(await store.get(a.id), { polls: 1, nextAttemptAt: T0 + 500, hops: [hop], reason: 'not settled yet' }, 'asked again later, the hops kept');
    const done = [hop, { gateway: 'ferry://gateway/gw3', state: 'delivered', time: new Date(T0).toISOString() }];
    const r = receipt('delivered', a.id);
    t.ok(await store.settleRelayed(a.id, 'delivered', done, null, r, T0 + 600), 'settled by the next gateways');
    const got = (await store.get(a.id))!;
    t.match(got, { state: 'delivered', hops: done, deliveredAt: T0 + 600 });
    t.same(got.receiptDelivered, r);
    t.same((await store.relayedExpiredDue(T0 + 1_000)).map((x) => x.id), [b.id], 'the other is past its expiry');
    t.ok(await store.expireRelayed(b.id, 'no answer', T0 + 1_001), 'and expires');
    t.notOk(await store.expireRelayed(b.id, 'no answer', T0 + 1_002), 'once');
    t.equal((await store.get(b.id))!.state, 'expired');
  });

  void tap.test(`${backend.name}: withdrawal of a relayed transfer, and at the gateway before's request`, async (t) => {
    const store = await fresh(t);
    const a = await queued(store, { delivery: 'relay', nextHop: 'gw2', expiresAt: T0 + 1_000 });
    await store.claimDue(10, T0);
    const waiting = await queued(store, { delivery: 'push' });
    const hop = { gateway: 'ferry://gateway/gw2', state: 'queued', time: new Date(T0).toISOString() };
    const w = { final: 'expired' as const, reason: 'no answer', at: T0 + 1_000 };
    t.notOk(await store.requestWithdrawal(a.id, w, T0 + 1_000), 'only a relayed transfer is withdrawn from the next hop');
    t.ok(await store.markRelayed(a.id, [hop], T0 + 5_000, T0 + 1));
    t.ok(await store.requestWithdrawal(a.id, w, T0 + 1_000), 'asked for');
    t.notOk(await store.requestWithdrawal(a.id, { ...w, reason: 'again' }, T0 + 1_001), 'once');
    t.match(await store.get(a.id), { state: 'relayed', withdrawal: w, nextAttemptAt: T0 + 1_000 }, 'still relayed, due now, the withdrawal kept');
    t.same((await store.relayedDue(10, T0 + 1_000)).map((r) => r.id), [a.id], 'due for its question');
    t.same(await store.relayedExpiredDue(T0 + 2_000), [], 'and not expired a second time');
    t.ok(await store.settleRelayed(a.id, 'expired', [hop], 'no answer; withdrawn', null, T0 + 1_100), 'settled once the next hop answered');
    const mine = { final: 'failed' as const, reason: 'cancelled upstream', at: T0 + 10, by: 'ferry://gateway/gw0' };
    const forwarding = (await store.claimDue(1, T0 + 10))[0];
    t.equal(forwarding?.id, waiting.id);
    t.notOk(await store.withdraw(waiting.id, mine, 'withdrawn', T0 + 10), 'not while an attempt is in hand');
    await store.reschedule(waiting.id, T0 + 100, 'down', T0 + 11);
    t.ok(await store.withdraw(waiting.id, mine, 'withdrawn by gw0', T0 + 12), 'withdrawn while waiting');
    t.match(await store.get(waiting.id), { state: 'failed', reason: 'withdrawn by gw0', withdrawal: mine, updated: T0 + 12 });
    t.notOk(await store.withdraw(waiting.id, mine, 'withdrawn by gw0', T0 + 13), 'once');
  });

  void tap.test(`${backend.name}: inbox, lists and lookups`, async (t) => {
    const store = await fresh(t);
    const p1 = await queued(store, { delivery: 'pull', destination: 'extranet/portal' });
    const p2 = await queued(store, { delivery: 'pull', destination: 'extranet/portal', principal: 'ferry://police/sys2' });
    await queued(store, { delivery: 'pull', destination: 'extranet/other' });
    const pushed = await queued(store, { destination: 'extranet/portal' });
    t.same((await store.inbox('extranet/portal')).map((r) => r.id), [p1.id, p2.id], 'pull transfers waiting for the destination, oldest first');
    t.same((await store.inbox('extranet/portal', 1)).map((r) => r.id), [p1.id], 'limited');
    t.same((await store.list({ principal: 'ferry://police/sys1', limit: 10 })).map((r) => r.id), [pushed.id, (await store.inbox('extranet/other'))[0]!.id, p1.id], 'a sender\'s own, newest first');
    t.same((await store.list({ principal: null, destination: 'extranet/portal', limit: 10 })).map((r) => r.id), [pushed.id, p2.id, p1.id], 'every sender\'s to a destination');
    t.same((await store.list({ principal: null, limit: 2, before: pushed.id })).map((r) => r.id).length, 2, 'paged by id');
    t.same((await store.list({ principal: null, states: ['delivered'], limit: 10 })), [], 'by state');
  });

  void tap.test(`${backend.name}: expiry, retention and the purge of settled transfers`, async (t) => {
    const store = await fresh(t);
    const late = await queued(store, { expiresAt: T0 + 10 });
    const kept = await queued(store, { retainDays: 1 });
    const gone = await queued(store);
    t.same((await store.expiredDue(T0 + 10)).map((r) => r.id), [late.id], 'waiting past its expiry');
    t.ok(await store.settle(late.id, 'expired', 'not delivered in time', T0 + 11));
    t.same(await store.expiredDue(T0 + 10), [], 'expired once');
    await store.markDelivered(kept.id, receipt('delivered', kept.id), T0 + 20);
    await store.markDelivered(gone.id, receipt('delivered', gone.id), T0 + 20);
    t.same(await store.retainedDue(T0 + 20 + DAY - 1), [], 'retained until its time');
    t.same((await store.retainedDue(T0 + 20 + DAY)).map((r) => r.id), [kept.id], 'then due for removal');
    t.same((await store.unsettledSpools()), [], 'no spool file is owned by an unsettled transfer');
    t.equal(await store.purgeSettled(T0 + 1_000, 10), 2, 'settled transfers holding nothing are purged');
    t.ok(await store.get(kept.id), 'one still retaining content is not');
    await store.clearRetention(kept.id);
    t.equal((await store.get(kept.id))!.retainUntil, null, 'retention cleared');
    t.equal(await store.purgeSettled(T0 + 1_000, 10), 1, 'then it goes too');
    t.same(await store.countsByState(), {}, 'nothing left');
  });

  void tap.test(`${backend.name}: unanswered relays are forgotten, answered ones are not`, async (t) => {
    const store = await fresh(t);
    const relayed = transfer({ principal: 'ferry://gateway/gw0', idempotencyKey: null });
    await store.insertAccepted(relayed);
    t.same((await store.unsettledSpools()).map((s) => s.id), [relayed.id], 'an accepted transfer owns its spool file');
    t.notOk(await store.forgetUnanswered(relayed.id, relayed.principal), 'not while it is being received');
    await store.failUnanswered(relayed.id, 'crashed');
    t.notOk(await store.forgetUnanswered(relayed.id, 'ferry://gateway/other'), 'not for another upstream');
    t.ok(await store.forgetUnanswered(relayed.id, relayed.principal), 'failed unanswered: forgotten');
    t.equal(await store.get(relayed.id), undefined, 'gone');
    await store.insertAccepted(relayed);
    t.ok(await store.get(relayed.id), 'and the id is free for the retry');
  });

  void tap.test(`${backend.name}: messages by subscription`, async (t) => {
    const store = await fresh(t);
    const key = await store.messages.addKey(Buffer.from('sealed data key'));
    t.same(await store.messages.key(key), Buffer.from('sealed data key'), 'a data key reads back');
    t.equal(await store.messages.key(key + 1000), undefined);
    const dest = 'extranet/feed';
    const ms = [1, 2, 3].map(() => transfer({ kind: 'message', channel: 'notices', destination: dest, delivery: 'subscribe', spool: '', size: 10 }));
    // Asked without waiting between them: sequence numbers follow the order of the calls.
    const seqs = await Promise.all(ms.map((m, i) => store.insertMessage({ ...m, channel: 'notices' }, Buffer.from(`body ${i}`))));
    t.same(seqs, [1, 2, 3], 'sequence numbers in call order');
    t.same(await store.messages.head(dest, 'notices'), { lastSeq: 3, ackedSeq: 0, backlogCount: 3, backlogBytes: 30 }, 'the head counts the backlog');
    t.same(await store.messages.head(dest, 'none'), { lastSeq: 0, ackedSeq: 0, backlogCount: 0, backlogBytes: 0 }, 'an unknown channel is empty');
    t.same(await store.messages.body(ms[1]!.id), Buffer.from('body 1'), 'the sealed body is kept with the transfer');
    await store.markQueued(ms[0]!.id);
    t.same((await store.messages.toSend(dest, 'notices', 0, 10)).map((m) => [m.seq, m.state]), [[1, 'queued'], [2, 'accepted']],
      'what a subscription may send next ends with the first still being answered');
    t.same((await store.messages.after(dest, 'notices', 0, 10)).map((m) => m.seq), [1, 2, 3], 'after() reads past it');
    for (const m of ms) await store.markQueued(m.id);
    t.same((await store.messages.toSend(dest, 'notices', 0, 2)).map((m) => m.seq), [1, 2], 'queued, up to the limit');
    const after = await store.messages.after(dest, 'notices', 1, 10);
    t.same(after.map((m) => [m.seq, m.state, m.sealed?.toString()]), [[2, 'queued', 'body 1'], [3, 'queued', 'body 2']], 'after a sequence, in order, with their bodies');
    t.same(await store.claimDue(10), [], 'a subscription\'s messages are not pushed');
    t.same((await store.messages.waitingUpTo(dest, 'notices', 0, 2)).map((m) => m.seq), [1, 2], 'what an ack of 2 settles');
    for (const m of ms.slice(0, 2)) await store.markDelivered(m.id, receipt('delivered', m.id));
    await store.ackMessages(dest, 'notices', 2);
    await store.ackMessages(dest, 'notices', 1);
    await store.messages.markSent(dest, 'notices', 3);
    await store.messages.markSent(dest, 'notices', 2);
    t.same(await store.messages.head(dest, 'notices'), { lastSeq: 3, ackedSeq: 2, backlogCount: 1, backlogBytes: 10 }, 'the marks only move forward; settled messages leave the backlog');
    t.equal(await store.messages.sentUpTo(dest, 'notices'), 3, 'what was sent only moves forward');
    t.equal(await store.messages.sentUpTo(dest, 'none'), 0, 'nothing sent on an unknown channel');
    t.equal(await store.messages.body(ms[0]!.id), undefined, 'a delivered body with no retention is removed');
    t.ok(await store.settle(ms[2]!.id, 'expired', 'not acknowledged in time'));
    t.same((await store.messages.head(dest, 'notices')).backlogCount, 0, 'an expired one leaves it too');
  });

  void tap.test(`${backend.name}: small files kept sealed with their row`, async (t) => {
    const store = await fresh(t);
    const n = transfer({ retainDays: 1 });
    await store.insertInline(n, Buffer.from('sealed small file'));
    const got = (await store.get(n.id))!;
    t.equal(got.spool, '', 'no spool file');
    t.equal(got.seq, null, 'no sequence number');
    t.same(await store.messages.body(n.id), Buffer.from('sealed small file'), 'its body is kept');
    await store.markQueued(n.id);
    await store.markDelivered(n.id, receipt('delivered', n.id), T0);
    t.ok(await store.messages.body(n.id), 'kept while retained');
  });

  void tap.test(`${backend.name}: what was resolved is there after a reopen`, async (t) => {
    const { store, reopen } = await backend.create();
    const a = transfer({ idempotencyKey: 'durable' });
    const m = transfer({ kind: 'message', channel: 'c', destination: 'extranet/feed', delivery: 'subscribe', spool: '' });
    await Promise.all([store.insertAccepted(a), store.insertMessage({ ...m, channel: 'c' }, Buffer.from('x'))]);
    await store.markQueued(a.id);
    // Not awaited: close() still commits writes already asked for.
    const last = store.markQueued(m.id);
    await store.close();
    await last;
    const again = await reopen();
    t.teardown(() => again.close());
    t.equal((await again.get(a.id))?.state, 'queued', 'the transfer and its state');
    t.equal((await again.findByIdempotencyKey(a.principal, 'durable'))?.id, a.id, 'its key');
    t.equal((await again.get(m.id))?.state, 'queued', 'a write asked for before close');
    t.same(await again.messages.body(m.id), Buffer.from('x'), 'a message body');
    t.equal((await again.messages.head('extranet/feed', 'c')).lastSeq, 1, 'the sequence');
    await again.check();
  });
}
