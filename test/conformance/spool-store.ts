// What every SpoolStore backend must do (gateway/store/spool-store.ts), written
// against the port alone; test/storage-conformance.test.ts runs it against the
// encrypted files on the local disk today.
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type tap from 'tap';
import type { SpoolStore } from '../../gateway/store/spool-store.js';

/** A tap test (the main one or a subtest). */
type Tap = Parameters<Parameters<typeof tap.test>[0]>[0];

export interface SpoolStoreBackend {
  name: string;
  /** A new, empty store, prepared as at a gateway's start. */
  create(): Promise<SpoolStore>;
}

let counter = 0;
function nextId(): string {
  counter += 1;
  return `01900000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

async function readAll(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function listAll(store: SpoolStore): Promise<string[]> {
  const out: string[] = [];
  for (const shard of store.shards) for await (const n of store.list(shard)) out.push(n);
  return out.sort();
}

async function put(store: SpoolStore, body: Buffer, chunk = 64 * 1024): Promise<string> {
  const w = await store.create(nextId());
  for (let i = 0; i < body.length; i += chunk) await w.write(body.subarray(i, i + chunk));
  await w.commit();
  return w.name;
}

export function spoolStoreConformance(t: Tap, backend: SpoolStoreBackend): void {
  void t.test(`${backend.name}: content reads back as written, streamed`, async (t) => {
    const store = await backend.create();
    t.same(await listAll(store), [], 'a new store is empty');
    const small = Buffer.from('季度报告 quarterly report');
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const a = await put(store, small, 7);
    const b = await put(store, big);
    t.same(await readAll(store.open(a)), small, 'small content, written in small pieces');
    t.equal(createHash('sha256').update(await readAll(store.open(b))).digest('hex'), createHash('sha256').update(big).digest('hex'), 'several MiB, byte for byte');
    t.same(await listAll(store), [a, b].sort(), 'listed, shard by shard');
    t.ok(store.shards.some((s) => a.startsWith(s)), 'a name belongs to a shard');
    t.type(await store.modifiedAt(a), 'number', 'when it was written');
    const empty = await put(store, Buffer.alloc(0));
    t.same(await readAll(store.open(empty)), Buffer.alloc(0), 'empty content is content too');
  });

  void t.test(`${backend.name}: nothing is there before the commit, nor after an abort`, async (t) => {
    const store = await backend.create();
    const w = await store.create(nextId());
    await w.write(Buffer.from('half of it'));
    t.same(await listAll(store), [], 'not listed while being written');
    await t.rejects(readAll(store.open(w.name)), 'not readable while being written');
    await w.abort();
    t.same(await listAll(store), [], 'not listed after an abort');
    t.equal(await store.modifiedAt(w.name), null, 'nothing under its name');
    t.equal(await store.clearIncoming(), 0, 'and nothing half-written left behind');
  });

  void t.test(`${backend.name}: an abort after the commit removes the content`, async (t) => {
    // The upload failed after its content was committed (the queue or the audit log refused it, bytes
    // past the body): accept-transfer.ts aborts the write, and nothing of it may stay, nor the abort hang.
    const store = await backend.create();
    const w = await store.create(nextId());
    await w.write(Buffer.from('committed, then given up'));
    await w.commit();
    t.equal(typeof (await store.modifiedAt(w.name)), 'number', 'there once committed');
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      w.abort().then(() => 'aborted'),
      new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still waiting after 10 s'), 10_000); }),
    ]);
    clearTimeout(timer);
    t.equal(settled, 'aborted', 'the abort settles');
    t.equal(await store.modifiedAt(w.name), null, 'nothing under its name');
    t.same(await listAll(store), [], 'not listed');
  });

  void t.test(`${backend.name}: a stop while receiving leaves nothing after the next start`, async (t) => {
    const store = await backend.create();
    const w = await store.create(nextId());
    await w.write(randomBytes(100_000));
    // No commit, no abort: the process died here.
    t.ok((await store.clearIncoming()) >= 1, 'the cut-off content is found');
    t.same(await listAll(store), [], 'and gone');
    t.same(await store.prepare(), { moved: 0, removed: 0 }, 'preparing again changes nothing');
  });

  void t.test(`${backend.name}: removal`, async (t) => {
    const store = await backend.create();
    const a = await put(store, Buffer.from('to be removed'));
    const b = await put(store, Buffer.from('to be kept'));
    await store.remove(a);
    await store.remove(a);
    t.same(await listAll(store), [b], 'removed, twice without error; the other kept');
    t.equal(await store.modifiedAt(a), null);
    await t.rejects(readAll(store.open(a)), 'what was removed does not read');
    t.same(await readAll(store.open(b)), Buffer.from('to be kept'));
  });

  void t.test(`${backend.name}: names never leave the store`, async (t) => {
    const store = await backend.create();
    for (const bad of ['../queue.db', '/etc/passwd', 'ab/../../x.spool', '']) {
      await t.rejects(readAll(store.open(bad)), `${JSON.stringify(bad)} is not opened`);
    }
    t.ok((await store.freeBytes()) > 0, 'free space is known');
  });
}
