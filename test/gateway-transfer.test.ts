// A file crosses one boundary: sizes at the edges arrive byte-identical at the
// destination, with a receipt that verifies with the gateway's public key.
import { createHash } from 'node:crypto';
import { textBody } from './helpers/text-body.js';
import { Readable } from 'node:stream';
import t from 'tap';
import { request } from 'undici';
import { verifyReceipt } from '../protocol/receipt.js';
import { spoolNameFor } from '../gateway/spool/spool-layout.js';
import { clientFor, putFile, sha256, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';

t.test('files of edge sizes arrive byte-identical, with verifiable receipts', async (t) => {
  const { pki } = { pki: await (await import('./helpers/pki.js')).makePki() };
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const sizes = [0, 1, 65535, 65536, 65537, 1024 * 1024 + 7];
  const sent: Array<{ id: string; sha: string; size: number }> = [];
  for (const size of sizes) {
    const body = textBody(size);
    const r = await putFile(sender, fx.url('police'), body, {
      'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': encodeURIComponent(`blob-${size}.bin`),
      'content-type': 'application/octet-stream', 'content-length': String(size),
    });
    t.equal(r.status, 202, `${size} bytes accepted`);
    t.equal(r.json.receipt.sha256, sha256(body), `${size}: receipt names the content hash`);
    t.equal(r.json.receipt.size, size);
    t.equal(r.json.receipt.source, 'police/sys1', 'the source comes from the certificate');
    t.ok(verifyReceipt(r.json.receipt, fx.gw.context.keys.signingPublicKey), `${size}: receipt verifies with the gateway key`);
    sent.push({ id: r.json.id, sha: sha256(body), size });
  }
  // spool.inline_max (64 KiB by default): up to exactly that many bytes, sealed in queue.db with the row; one byte more, a spool file.
  const ctx = fx.gw.context;
  for (const s of sent) {
    t.equal((await ctx.queue.get(s.id))!.spool, s.size <= 65536 ? '' : spoolNameFor(s.id), `${s.size} bytes: ${s.size <= 65536 ? 'held in the queue database' : 'on the spool'}`);
  }
  const got = await dest.waitFor(sizes.length);
  for (const s of sent) {
    const d = got.find((g) => g.headers['ferry-transfer-id'] === s.id);
    t.ok(d, `transfer ${s.size} delivered`);
    t.equal(d?.sha256, s.sha, `${s.size} bytes byte-identical`);
    t.equal(d?.size, s.size);
    t.equal(d?.headers['idempotency-key'], s.id, 'the destination can tell a repeat by its idempotency key');
    t.equal(d?.headers['ferry-from'], 'police/sys1');
  }
  const status = await until(async () => {
    const res = await request(`${fx.url('police')}/v1/transfers/${sent[0]!.id}`, { dispatcher: sender });
    const j = (await res.body.json()) as { state: string; receipts: { delivered?: unknown } };
    return j.state === 'delivered' ? j : null;
  }, 'delivered state');
  t.ok(verifyReceipt(status.receipts.delivered as never, fx.gw.context.keys.signingPublicKey), 'delivered receipt verifies');
  const other = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const res = await request(`${fx.url('extranet')}/v1/transfers/${sent[0]!.id}`, { dispatcher: other });
  t.equal(res.statusCode, 404, 'another system cannot see the transfer');
  await res.body.dump();

  // Internal data is kept 30 days after delivery (the example policy): an inline file's sealed body
  // is kept as a spool file would be, goes with the retention sweep, and the row with the purge.
  const inline = sent.filter((s) => s.size <= 65536);
  const rows = await until(async () => { const xs = (await Promise.all(inline.map((s) => ctx.queue.get(s.id)))).map((x) => x!); return xs.every((x) => x.state === 'delivered') ? xs : null; }, 'delivered rows');
  t.ok((await Promise.all(rows.map(async (x) => x.retainUntil !== null && (await ctx.queue.messages.body(x.id)) !== undefined))).every(Boolean), 'delivered, and the sealed bodies kept under the retention obligation');
  const last = Math.max(...rows.map((x) => x.retainUntil!));
  const { purgeSettled, sweepRetained } = await import('../gateway/delivery/housekeeping.js');
  await sweepRetained(ctx, last + 1);
  t.ok((await Promise.all(inline.map((s) => ctx.queue.messages.body(s.id)))).every((b) => b === undefined), 'the retention sweep removes the sealed bodies');
  t.ok((await Promise.all(inline.map((s) => ctx.queue.get(s.id)))).every((x) => x!.retainUntil === null), 'and ends the retention');
  await purgeSettled(ctx, Date.now() + ctx.config.delivery.keepSettledMs + 60_000);
  t.ok((await Promise.all(inline.map((s) => ctx.queue.get(s.id)))).every((x) => x === undefined), 'purged past delivery.keep_settled: no row left');
});

t.test('a 100 MiB stream arrives byte-identical', async (t) => {
  const pki = await (await import('./helpers/pki.js')).makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const total = 100 * 1024 * 1024;
  const hash = createHash('sha256');
  const block = textBody(1024 * 1024);
  let n = 0;
  const body = Readable.from((function* () {
    while (n < total) {
      // vary each block so that a reordering would show in the hash
      const b = Buffer.from(block);
      b.write(`block ${String(n / block.length).padStart(4, '0')} `, 0, 'latin1'); // readable: a binary header would make the content binary
      n += b.length;
      hash.update(b);
      yield b;
    }
  })());
  const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'content-length': String(total), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const digest = hash.digest('hex');
  t.equal(r.json.receipt.sha256, digest);
  const [d] = await dest.waitFor(1, 60_000);
  t.equal(d!.sha256, digest, '100 MiB arrived byte-identical');
});

t.test('pull delivery: acknowledgements at once settle a transfer once, and one that loses to the expiry records nothing', async (t) => {
  const pki = await (await import('./helpers/pki.js')).makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const { join } = await import('node:path');
  const { readRecords } = await import('../gateway/audit/read-records.js');
  const { settleDelivered, settleFinal } = await import('../gateway/delivery/settle.js');
  const ctx = fx.gw.context;
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const receiver = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const send = async (text: string) => {
    const r = await putFile(sender, fx.url('police'), Buffer.from(text), { 'ferry-to': 'extranet/portal', 'content-type': 'text/plain; charset=utf-8' });
    t.equal(r.status, 202);
    return r.json.id as string;
  };
  const ack = async (id: string) => {
    const res = await request(`${fx.url('extranet')}/v1/inbox/${id}`, { method: 'DELETE', dispatcher: receiver });
    await res.body.dump();
    return res.statusCode;
  };
  const finals = (id: string) => [...readRecords(join(fx.dir, 'data', 'audit.db'), { transferId: id })].filter((x) => ['delivered', 'expired', 'failed', 'denied'].includes(x.event)).map((x) => x.event);

  const twice = await send('会议纪要：一份。\n');
  // The same system acknowledging four times at once (a retry after a lost answer, say): one settles it, and
  // the others are answered what it settled: the same receipt, marked as a repeat.
  const answers = await Promise.all([0, 1, 2, 3].map(async () => {
    const res = await request(`${fx.url('extranet')}/v1/inbox/${twice}`, { method: 'DELETE', dispatcher: receiver });
    return { status: res.statusCode, body: (await res.body.json()) as { repeated?: boolean; receipt?: { signature: string } } };
  }));
  t.same(answers.map((a) => a.status), [200, 200, 200, 200], 'each is answered delivered');
  t.equal(answers.filter((a) => a.body.repeated !== true).length, 1, 'one of four acknowledgements at once settles it');
  t.equal(answers.filter((a) => a.body.repeated === true).length, 3, 'the others are told it was settled already');
  t.equal(new Set(answers.map((a) => a.body.receipt?.signature)).size, 1, 'all with the one receipt signed when it was settled');
  t.same(finals(twice), ['delivered'], 'one delivered record, not one per acknowledgement');

  // The expiry sweep and an acknowledgement at the same moment: whichever comes first ends it, the other writes nothing.
  const raced = await send('会议纪要：另一份。\n');
  const row = (await ctx.queue.get(raced))!;
  // Called side by side in this process, so both are in hand at once (over HTTP the sweep would simply win).
  const [, receipt] = await Promise.all([settleFinal(ctx, row, 'expired', 'test: expired while acknowledged'), settleDelivered(ctx, row, 'ferry://extranet/portal', { via: 'pull' })]);
  const got = finals(raced);
  t.same(got, ['expired'], 'one final record: the expiry that came first');
  t.equal((await ctx.queue.get(raced))!.state, 'expired', 'the row says what the log says');
  t.equal(receipt, null, 'the acknowledgement that lost gets no receipt (its receiver is answered 404)');
  t.equal(await ack(raced), 404, 'and an acknowledgement after it is told it no longer waits');
});

t.test('pull delivery: inbox, download, acknowledge', async (t) => {
  const pki = await (await import('./helpers/pki.js')).makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const receiver = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const body = Buffer.from('会议纪要：下周一上午九点开会。\n');
  const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/portal', 'content-type': 'text/plain; charset=utf-8', 'ferry-filename': encodeURIComponent('纪要.txt') });
  t.equal(r.status, 202);
  const list = (await (await request(`${fx.url('extranet')}/v1/inbox`, { dispatcher: receiver })).body.json()) as { transfers: Array<{ id: string; filename: string }> };
  t.same(list.transfers.map((x) => x.id), [r.json.id], 'the transfer waits in the inbox');
  t.equal(list.transfers[0]!.filename, '纪要.txt');
  t.equal((await fx.gw.context.queue.get(r.json.id))!.spool, '', 'a small file waits sealed in the queue database');
  t.ok(await fx.gw.context.queue.messages.body(r.json.id), 'its sealed body is there');
  const { scrubFanOutDir } = await import('../gateway/delivery/spool-scrub.js');
  const { fanOutOf } = await import('../gateway/spool/spool-layout.js');
  t.equal(await scrubFanOutDir(fx.gw.context, fanOutOf(r.json.id), Date.now() + 1000), 0, 'the spool scrub finds nothing of it to remove');
  const dl = await request(`${fx.url('extranet')}/v1/inbox/${r.json.id}`, { dispatcher: receiver });
  t.equal(dl.statusCode, 200);
  t.equal(dl.headers['ferry-sha256'], sha256(body));
  t.same(Buffer.from(await dl.body.arrayBuffer()), body, 'downloaded byte-identical');
  const ack = await request(`${fx.url('extranet')}/v1/inbox/${r.json.id}`, { method: 'DELETE', dispatcher: receiver });
  t.equal(ack.statusCode, 200);
  const ackJson = (await ack.body.json()) as { state: string; receipt: never };
  t.equal(ackJson.state, 'delivered');
  t.ok(verifyReceipt(ackJson.receipt, fx.gw.context.keys.signingPublicKey));
  const again = await request(`${fx.url('extranet')}/v1/inbox/${r.json.id}`, { dispatcher: receiver });
  t.equal(again.statusCode, 404, 'gone from the inbox once acknowledged');
  await again.body.dump();
  const status = (await (await request(`${fx.url('police')}/v1/transfers/${r.json.id}`, { dispatcher: sender })).body.json()) as { state: string };
  t.equal(status.state, 'delivered', 'the sender sees it delivered');
  // The example policy keeps what crossed for 30 days: the sealed body stays until the sweep, then the purge takes the row.
  const ctx = fx.gw.context;
  const row = (await ctx.queue.get(r.json.id))!;
  t.ok(row.retainUntil !== null && await ctx.queue.messages.body(r.json.id), 'acknowledged: its sealed content kept under the retention obligation');
  const { purgeSettled, sweepRetained } = await import('../gateway/delivery/housekeeping.js');
  await purgeSettled(ctx, Date.now() + ctx.config.delivery.keepSettledMs + 60_000);
  t.ok(await ctx.queue.get(r.json.id), 'a row still retaining content is not purged');
  await sweepRetained(ctx, row.retainUntil! + 1);
  t.equal(await ctx.queue.messages.body(r.json.id), undefined, 'the sweep removes the sealed content');
  await purgeSettled(ctx, Date.now() + ctx.config.delivery.keepSettledMs + 60_000);
  t.equal(await ctx.queue.get(r.json.id), undefined, 'and the purge past delivery.keep_settled takes the row');
});

t.test('spool.inline_max: 64 KiB by default, 0 turns it off, past 1 MiB refused with its line', async (t) => {
  const { ConfigError, parseGatewayConfig } = await import('../gateway/config/gateway-config.js');
  const base = `name: gw1
data_dir: ./data
tls: { ca: ca.crt, cert: gw.crt, key: gw.key }
networks:
  police: { listen: "127.0.0.1:0" }
  extranet: { listen: "127.0.0.1:0" }
`;
  t.equal(parseGatewayConfig(base, '/tmp/gateway.yaml').spool.inlineMax, 65536, 'the default');
  t.equal(parseGatewayConfig(`${base}spool: { inline_max: 0 }\n`, '/tmp/gateway.yaml').spool.inlineMax, 0, '0: every file on the spool');
  t.equal(parseGatewayConfig(`${base}spool: { inline_max: 16KiB }\n`, '/tmp/gateway.yaml').spool.inlineMax, 16384, 'a size with its unit');
  const refused = (() => {
    try {
      parseGatewayConfig(`${base}spool: { inline_max: 2MiB }\n`, '/tmp/gateway.yaml');
      return null;
    } catch (e) {
      return e;
    }
  })();
  t.ok(refused instanceof ConfigError, 'past 1 MiB the config is refused');
  t.match((refused as Error).message, /gateway\.yaml:7:\d+: error: 'spool\.inline_max' must be at most 1048576 bytes/, 'with its line, saying why');
});
