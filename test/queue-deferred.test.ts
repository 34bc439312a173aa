// A write that need not be committed at once (QueueWriter.writeSoon, through
// TransferStore.markAnswered): it waits for the next commit another write asks
// for, keeps its place in the order, shows in the store's reads at once, and is
// committed by close() or after its delay if nothing else comes. Real SQLite
// files, the real writer thread; a second connection reads what is on disk.
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';
import type { NewTransfer } from '../gateway/store/transfer-store.js';
import { until, type Tap } from './helpers/gateway-fixture.js';

const message = (n: number): NewTransfer & { channel: string } => ({
  id: `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`, kind: 'message', channel: 'c', principal: 'ferry://police/sys1',
  source: 'police/sys1', destination: 'extranet/feed', label: 'public', filename: null, contentType: null, size: 1, sha256: 'a'.repeat(64),
  spool: '', delivery: 'subscribe', idempotencyKey: `k${n}`, created: Date.now(), expiresAt: Date.now() + 3_600_000, receiptAccepted: null, retainDays: null,
});

async function fixture(t: Tap) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-queue-deferred-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'queue.db');
  const store = new SqliteTransferStore(path);
  const disk = new Database(path, { readonly: true });
  t.teardown(() => disk.close());
  const onDisk = (id: string) => (disk.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string } | undefined)?.state;
  return { store, onDisk };
}


t.test('a deferred move to queued goes with the next write, in order, and reads see it at once', async (t) => {
  const { store, onDisk } = await fixture(t);
  t.teardown(() => store.close());
  const a = message(1);
  t.equal(await store.insertMessage(a, Buffer.from('a')), 1);
  let committed = false;
  const marked = store.markAnswered(a.id).then(() => (committed = true));
  t.equal((await store.get(a.id))?.state, 'queued', 'the store reads it queued from the call on');
  t.equal((await store.findByIdempotencyKey(a.principal, 'k1'))?.state, 'queued', 'so does an idempotent replay');
  t.same((await store.messages.toSend('extranet/feed', 'c', 0, 10)).map((m) => m.state), ['queued'], 'and a subscription: it may be sent');
  t.same((await store.messages.waitingUpTo('extranet/feed', 'c', 0, 1)).map((m) => m.id), [a.id], 'and an acknowledgement settles it');
  // Several turns of the event loop: nothing else asks for a commit, so it waits (up to its delay).
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  t.equal(onDisk(a.id), 'accepted', 'on disk it is still accepted: it asked for no commit of its own');
  t.notOk(committed);
  const b = message(2);
  t.equal(await store.insertMessage(b, Buffer.from('b')), 2, 'the next write asks for one');
  await marked;
  t.equal(onDisk(a.id), 'queued', 'and the move went with it');
  t.equal(onDisk(b.id), 'accepted');
});

t.test('a deferred write is committed after its delay when nothing else comes, and by close()', async (t) => {
  const { store, onDisk } = await fixture(t);
  const a = message(3);
  await store.insertMessage(a, Buffer.from('a'));
  const first = store.markAnswered(a.id);
  await first;
  t.equal(onDisk(a.id), 'queued', 'committed on its own once its delay passed');
  const b = message(4);
  await store.insertMessage(b, Buffer.from('b'));
  const second = store.markAnswered(b.id);
  await store.close();
  await second;
  t.equal(onDisk(b.id), 'queued', 'close() commits what was deferred before ending the thread');
});

t.test('a row accepted and not answered is not settled by an acknowledgement', async (t) => {
  const { store } = await fixture(t);
  t.teardown(() => store.close());
  const a = message(5);
  const b = message(6);
  await store.insertMessage(a, Buffer.from('a'));
  await store.insertMessage(b, Buffer.from('b'));
  store.markAnswered(b.id).catch(() => undefined);
  t.same((await store.messages.waitingUpTo('extranet/feed', 'c', 0, 2)).map((m) => m.id), [b.id], 'only the answered one waits; the other is still being answered');
  t.same((await store.messages.toSend('extranet/feed', 'c', 0, 10)).map((m) => m.state), ['accepted'], 'a subscription stops at the first not yet answered');
  await until(async () => (await store.get(b.id))?.state === 'queued', 'committed');
});
