// A spool file that was altered, cut short, extended, or sealed to another
// gateway is refused with a SpoolError that says which; and the writer cleans
// up after itself (.part gone after commit and after abort).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, truncate, appendFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadSodium, type SodiumBackend } from '../gateway/spool/sodium.js';
import { SpoolWriter } from '../gateway/spool/spool-writer.js';
import { openSpool } from '../gateway/spool/spool-reader.js';
import { SPOOL_HEADER_BYTES, SpoolError, type SpoolErrorCode } from '../gateway/spool/spool-format.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';

const root = await mkdtemp(join(tmpdir(), 'ferry-spool-tamper-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
const keys = await loadOrCreateGatewayKeys(join(root, 'keys'), 'gw-a');
const otherKeys = await loadOrCreateGatewayKeys(join(root, 'other-keys'), 'gw-b');
const backends = [await loadSodium('native'), await loadSodium('wasm')];

let seq = 0;
const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

async function makeSpool(size: number, backend: SodiumBackend): Promise<string> {
  const path = join(root, `s-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, backend);
  await w.write(randomBytes(size));
  await w.commit();
  return path;
}

/** Reads the whole spool; resolves with the SpoolError code it failed with, or 'ok'. */
async function outcome(path: string, backend: SodiumBackend, k = keys): Promise<SpoolErrorCode | 'ok'> {
  try {
    for await (const _ of openSpool(path, k, backend)) { /* drain */ }
    return 'ok';
  } catch (err) {
    if (err instanceof SpoolError) return err.code;
    throw err;
  }
}

async function flipByte(path: string, offset: number): Promise<void> {
  const buf = await readFile(path);
  buf[offset] = buf[offset]! ^ 0x01;
  await writeFile(path, buf);
}

// Layout of a 200 000-byte spool: header (113), then messages of 4 + 65553
// bytes, three full ones and a final one of 3392 + 17 bytes.
const SIZE = 200_000;
const MSG = 4 + 65536 + 17;

for (const backend of backends) {
  t.test(`${backend.name}: refusals`, async (t) => {
    t.equal(await outcome(await makeSpool(SIZE, backend), backend), 'ok', 'an untouched file reads');

    const notSpool = join(root, `plain-${++seq}`);
    await writeFile(notSpool, 'hello, this is not a spool file at all, just text');
    t.equal(await outcome(notSpool, backend), 'SPOOL_BAD_MAGIC', 'bad magic');

    const empty = join(root, `empty-${++seq}`);
    await writeFile(empty, '');
    t.equal(await outcome(empty, backend), 'SPOOL_BAD_MAGIC', 'empty file');

    let p = await makeSpool(SIZE, backend);
    await flipByte(p, 8);
    t.equal(await outcome(p, backend), 'SPOOL_UNSUPPORTED_VERSION', 'version byte changed');

    p = await makeSpool(SIZE, backend);
    t.equal(await outcome(p, backend, otherKeys), 'SPOOL_KEY_MISMATCH', 'sealed to another gateway');

    p = await makeSpool(SIZE, backend);
    await flipByte(p, 9 + 40);
    t.equal(await outcome(p, backend), 'SPOOL_KEY_MISMATCH', 'sealed key altered');

    p = await makeSpool(SIZE, backend);
    await flipByte(p, 9 + 80 + 3);
    t.equal(await outcome(p, backend), 'SPOOL_TAMPERED', 'secretstream header altered');

    for (const [what, off] of [
      ['first message body', SPOOL_HEADER_BYTES + 4 + 100],
      ['second message MAC', SPOOL_HEADER_BYTES + MSG + 4 + 3],
      ['final message', SPOOL_HEADER_BYTES + 3 * MSG + 4 + 10],
      ['last byte of the file', -1],
    ] as const) {
      p = await makeSpool(SIZE, backend);
      const at = off < 0 ? (await stat(p)).size + off : off;
      await flipByte(p, at);
      t.equal(await outcome(p, backend), 'SPOOL_TAMPERED', `${what} altered`);
    }

    p = await makeSpool(SIZE, backend);
    await flipByte(p, SPOOL_HEADER_BYTES + MSG + 1); // length prefix of message 2
    t.equal(await outcome(p, backend), 'SPOOL_TAMPERED', 'length prefix altered');

    p = await makeSpool(SIZE, backend);
    const buf = await readFile(p);
    buf.writeUInt32BE(0xffffffff, SPOOL_HEADER_BYTES);
    await writeFile(p, buf);
    t.equal(await outcome(p, backend), 'SPOOL_TAMPERED', 'a 4 GiB length is refused before any read');

    p = await makeSpool(SIZE, backend);
    const b2 = await readFile(p);
    // Swap messages 1 and 2: each authenticates alone, but not in that place.
    const m1 = b2.subarray(SPOOL_HEADER_BYTES, SPOOL_HEADER_BYTES + MSG);
    const m2 = b2.subarray(SPOOL_HEADER_BYTES + MSG, SPOOL_HEADER_BYTES + 2 * MSG);
    await writeFile(p, Buffer.concat([b2.subarray(0, SPOOL_HEADER_BYTES), m2, m1, b2.subarray(SPOOL_HEADER_BYTES + 2 * MSG)]));
    t.equal(await outcome(p, backend), 'SPOOL_TAMPERED', 'messages reordered');

    p = await makeSpool(SIZE, backend);
    await truncate(p, SPOOL_HEADER_BYTES + 3 * MSG);
    t.equal(await outcome(p, backend), 'SPOOL_TRUNCATED', 'cut at a message boundary (final message gone)');

    p = await makeSpool(SIZE, backend);
    await truncate(p, SPOOL_HEADER_BYTES + MSG + 1000);
    t.equal(await outcome(p, backend), 'SPOOL_TRUNCATED', 'cut inside a message');

    p = await makeSpool(SIZE, backend);
    await truncate(p, 50);
    t.equal(await outcome(p, backend), 'SPOOL_TRUNCATED', 'cut inside the header');

    p = await makeSpool(SIZE, backend);
    await truncate(p, SPOOL_HEADER_BYTES);
    t.equal(await outcome(p, backend), 'SPOOL_TRUNCATED', 'header only');

    p = await makeSpool(SIZE, backend);
    await appendFile(p, Buffer.from([0]));
    t.equal(await outcome(p, backend), 'SPOOL_TRAILING_DATA', 'one byte after TAG_FINAL');

    p = await makeSpool(0, backend);
    await appendFile(p, randomBytes(300 * 1024));
    t.equal(await outcome(p, backend), 'SPOOL_TRAILING_DATA', 'a block after TAG_FINAL');
  });
}

t.test('the error is a sentence with a stable code', async (t) => {
  const p = await makeSpool(10, backends[0]!);
  const err = await new Promise<Error>((resolve) => openSpool(p, otherKeys, backends[0]!).on('error', resolve).resume());
  t.type(err, SpoolError);
  t.equal((err as SpoolError).code, 'SPOOL_KEY_MISMATCH');
  t.match(err.message, /does not open with this gateway's sealing key\./);
});

t.test('.part is gone after commit and after abort; abort never throws', async (t) => {
  const [native] = backends;
  const path = join(root, `p-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, native!);
  t.ok(await exists(path + '.part'), '.part while writing');
  t.notOk(await exists(path), 'no final name while writing');
  t.equal((await stat(path + '.part')).mode & 0o777, 0o600, '.part is 0600 from creation');
  await w.write(randomBytes(100_000));
  await w.commit();
  t.ok(await exists(path));
  t.notOk(await exists(path + '.part'));
  await t.rejects(w.write(Buffer.from('x')), /committed/, 'no write after commit');

  const path2 = join(root, `p-${++seq}`);
  const w2 = await SpoolWriter.create(path2, keys.sealPublicKey, native!);
  await w2.write(randomBytes(3 * 1024 * 1024));
  await w2.abort();
  t.notOk(await exists(path2 + '.part'), '.part removed by abort');
  t.notOk(await exists(path2));
  await t.resolves(w2.abort(), 'a second abort is fine');
  await t.rejects(w2.write(Buffer.from('x')), /aborted/);

  const path3 = join(root, `p-${++seq}`);
  const w3 = await SpoolWriter.create(path3, keys.sealPublicKey, native!);
  await rm(path3 + '.part');
  await t.resolves(w3.abort(), 'abort when the file is already gone');

  await w.abort();
  t.notOk(await exists(path), 'abort after commit discards the committed file');
});

t.test('create never replaces an existing .part file', async (t) => {
  const path = join(root, `x-${++seq}`);
  await writeFile(path + '.part', 'someone else\'s');
  await t.rejects(SpoolWriter.create(path, keys.sealPublicKey, backends[0]!), { code: 'EEXIST' });
  t.equal(await readFile(path + '.part', 'utf8'), 'someone else\'s');
});

t.test('a write that waits for the disk is released by abort', async (t) => {
  const path = join(root, `w-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, backends[1]!);
  const pending = w.write(randomBytes(8 * 1024 * 1024));
  const aborted = w.abort();
  await Promise.allSettled([pending]);
  await aborted;
  t.notOk(await exists(path + '.part'));
});

t.test('overlapping writes are refused, not interleaved', async (t) => {
  const path = join(root, `o-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, backends[0]!);
  const first = w.write(randomBytes(4 * 1024 * 1024));
  await t.rejects(w.write(Buffer.from('second')), /before the previous write\(\) resolved/);
  await t.rejects(w.commit(), /before the last write\(\) resolved/);
  await first;
  await w.commit();
  t.equal(await outcome(path, backends[0]!), 'ok');
});

t.test('abort during commit leaves no file, whichever finishes first', async (t) => {
  for (const size of [10, 3 * 1024 * 1024]) {
    const path = join(root, `ac-${++seq}`);
    const w = await SpoolWriter.create(path, keys.sealPublicKey, backends[0]!);
    await w.write(randomBytes(size));
    const committing = w.commit();
    await w.abort();
    await committing.catch(() => {});
    t.notOk(await exists(path), `${size} bytes: no spool file`);
    t.notOk(await exists(path + '.part'), `${size} bytes: no .part file`);
  }
});
