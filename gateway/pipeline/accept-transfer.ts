import type { Principal } from '../../protocol/principal.js';
import type { AuditEntry } from '../../protocol/audit-events.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { uuidv7 } from '../../protocol/ids.js';
import { AuditedRefusal } from './audited-refusal.js';
import { extensionOf, type TransferKind, type TransferMeta } from '../../protocol/transfer.js';
import { inspectorStages } from '../inspect/index.js';
import { maskText } from '../log/mask.js';
import type { Receipt } from '../../protocol/receipt.js';
import { signReceipt } from '../receipts/sign-receipt.js';
import type { NewTransfer } from '../store/transfer-store.js';
import type { SpoolWrite } from '../store/spool-store.js';
import type { TransferFacts } from '../../policies/types.js';
import { MessageBuffer } from './message-buffer.js';
import { runPass } from './one-pass.js';
import { acceptedRecord, decidedRecord, deniedRecord, maskedFacts, maskedFindings, refusalFor, withTransfer } from './transfer-records.js';
import { gatewayId } from '../../protocol/ferry-id.js';

// The one path, whatever carried the transfer in (an HTTP upload, a message on
// a channel):
//   checks → policy before content (a deny never reads the body)
//   → one pass: count, hash, inspect, encrypt to the spool (or, small, seal into the queue row's transaction)
//   → policy after content → durable: spool fsync, queue row, audit records
//   → the answer, with a signed receipt.
// The carrier supplies the body and what only it knows (hooks).

export interface TransferRequest {
  kind: TransferKind;
  /** A business system, or a peer gateway handing a transfer on (then `relay` is set). */
  principal: Principal;
  meta: TransferMeta;
  /** A message's channel (recorded, sent on with the delivery). */
  channel?: string;
  /** What a peer gateway vouched for in its signed envelope (gateway/routing/envelope.ts). */
  relay?: RelayedFacts;
}

export interface RelayedFacts {
  /** the id chosen at the first gateway, kept at every hop */
  id: string;
  /** <network>/<system> of the original sender */
  source: string;
  /** the upstream gateway's name */
  via: string;
  /** gateway names so far, the upstream last */
  path: string[];
  /** the body must be what the envelope was signed for */
  sha256: string;
  size: number;
  /** an earlier attempt of this relay failed here before it was answered (cut off, or a crash): this one takes it afresh */
  retried?: boolean;
}

/** The original sender: the system itself, or the one a peer's envelope names. */
export function sourceOf(req: TransferRequest): string {
  if (req.relay) return req.relay.source;
  if (req.principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems and peer gateways send transfers.');
  return `${req.principal.network}/${req.principal.system}`;
}

export interface CarrierHooks {
  /** Called once the whole body is in (the carrier stops its idle guard). */
  onBodyEnd?(): void;
  /** Throws when the carrier saw the body go wrong (a stall, bytes past the end); called after the pass and after the commit. */
  check?(): void;
  /** What a read error means, as a refusal. */
  asError(err: unknown): FerryError;
  /**
   * Keeps the carrier's order where it matters: the queue insert (which takes a
   * message's sequence number) waits for `wait()`, and `done()` is called once
   * the insert is handed to the queue (or the transfer ends before it). A channel
   * takes several envelopes at once this way, their fsyncs shared, their order kept.
   */
  turn?: { wait(): Promise<void>; done(): void };
}

export interface Accepted {
  id: string;
  state: 'queued';
  receipt: Receipt;
}

/**
 * Checks made before anything is recorded: destination, size, readiness, concurrency. Returns
 * what to call once the transfer is stored or refused: a message to a subscription holds a place
 * in its stream's backlog from here to its insert (checkBacklog).
 */
export async function precheck(ctx: GatewayContext, req: TransferRequest): Promise<() => void> {
  const { meta, principal } = req;
  if (principal.kind === 'system' && meta.destination.split('/')[0] === principal.network) throw new FerryError('FERRY_SAME_NETWORK');
  const maxBytes = ctx.config.limits.maxBody[meta.label];
  if (meta.declaredSize !== undefined && meta.declaredSize > maxBytes) {
    throw new FerryError('FERRY_TOO_LARGE', `The declared size ${meta.declaredSize} exceeds the limit of ${maxBytes} bytes for label '${meta.label}'.`);
  }
  const resolved = ctx.routes.resolve(meta.destination);
  const stream = req.kind === 'message' && req.channel && resolved.kind === 'here' && resolved.delivery === 'subscribe' ? req.channel : null;
  const head = stream === null ? null : await ctx.queue.messages.head(meta.destination, stream);
  const notReady = ctx.readiness.reasons();
  if (notReady.length) throw new FerryError('FERRY_NOT_READY', `The gateway is not ready: ${notReady.join('; ')}.`);
  return stream === null ? () => undefined : checkBacklog(ctx, meta.destination, stream, meta.declaredSize ?? 0, head!);
}

/**
 * Messages past the backlog check and not yet inserted, per stream: counted as if stored. Checked
 * against the stored backlog alone, every message in flight at once passed (fifth red team, F5:
 * a limit of 50 let 70–80 in).
 */
const pendingOf = new WeakMap<GatewayContext, Map<string, { count: number; bytes: number }>>();

/** Past the backlog limit of a (destination, channel), publishers wait instead of the queue growing; else a place is held. */
function checkBacklog(ctx: GatewayContext, destination: string, channel: string, size: number, head: { backlogCount: number; backlogBytes: number }): () => void {
  const lim = ctx.config.subscriptions;
  let streams = pendingOf.get(ctx);
  if (!streams) pendingOf.set(ctx, (streams = new Map()));
  const key = `${destination}\n${channel}`;
  const p = streams.get(key) ?? { count: 0, bytes: 0 };
  const count = head.backlogCount + p.count;
  const bytes = head.backlogBytes + p.bytes;
  if (count + 1 > lim.backlogMessages || bytes + size > lim.backlogBytes) {
    throw new FerryError('FERRY_BACKLOG_FULL',
      `${count} messages (${bytes} bytes) wait for ${destination} on channel '${channel}'; the limit is ${lim.backlogMessages} messages or ${lim.backlogBytes} bytes.`,
      { retry_after: 5 });
  }
  p.count++;
  p.bytes += size;
  streams.set(key, p);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    p.count--;
    p.bytes -= size;
    if (p.count === 0) streams.delete(key);
  };
}

/** A repeated idempotency key: the first answer again, or a conflict. The body is not wanted. */
export async function idempotentReplay(ctx: GatewayContext, req: TransferRequest): Promise<Record<string, unknown> | null> {
  const key = req.meta.idempotencyKey;
  if (!key) return null;
  const row = await ctx.queue.findByIdempotencyKey(req.principal.uri, key);
  if (!row) return null;
  // The same key for another kind of transfer, or another channel, is another request (red team N13:
  // a message under a file's key and size was answered as that file, and never kept).
  if (row.destination !== req.meta.destination || row.kind !== req.kind || (row.channel ?? null) !== (req.channel ?? null)
    || (req.meta.declaredSize !== undefined && req.meta.declaredSize !== row.size)) {
    const what = row.kind === 'message' ? `message on channel '${row.channel ?? ''}'` : 'file';
    throw new FerryError('FERRY_IDEMPOTENCY_CONFLICT', `The key was first used for transfer ${row.id}, a ${what} to ${row.destination} (${row.size} bytes).`);
  }
  if (row.state === 'accepted') throw new FerryError('FERRY_UPLOAD_IN_PROGRESS');
  // Rows failed before an answer have no key (TransferStore.failUnanswered): every row found here was answered 202.
  return { id: row.id, state: row.state, receipt: row.receiptAccepted, idempotent_replay: true };
}

/**
 * Take one transfer through the path. `answer` is called with the acceptance as
 * soon as it is durable (before any bookkeeping); a refusal is thrown as an
 * AuditedRefusal, its records already written.
 */
export async function acceptTransfer(ctx: GatewayContext, req: TransferRequest, body: AsyncIterable<Buffer>, hooks: CarrierHooks, answer: (a: Accepted) => void): Promise<void> {
  const started = process.hrtime.bigint();
  const { principal, meta: h } = req;
  const route = ctx.routes.resolve(h.destination);
  const relay = req.relay;
  const maxBytes = ctx.config.limits.maxBody[h.label];
  ctx.admission.check(principal.uri, h.idempotencyKey);

  const id = relay?.id ?? uuidv7();
  const source = sourceOf(req);
  const facts: TransferFacts = {
    kind: req.kind, principal: principal.uri, source, destination: h.destination, label: h.label,
    ...(relay ? { via: relay.via, hops: relay.path.length } : {}),
    ...(h.filename !== undefined ? { filename: h.filename } : {}),
    ...(extensionOf(h.filename) ? { extension: extensionOf(h.filename)! } : {}),
    ...(h.contentType !== undefined ? { declaredType: h.contentType } : {}),
    ...(h.declaredSize !== undefined ? { declaredSize: h.declaredSize } : {}),
    time: new Date().toISOString(),
  };
  const base = { transferId: id, principal: principal.uri, source, destination: h.destination };
  const received: AuditEntry = {
    ...base, event: 'received', size: h.declaredSize ?? null,
    details: {
      kind: req.kind, label: h.label, filename: h.filename ? maskText(h.filename) : null, declared_type: h.contentType !== undefined ? maskText(h.contentType) : null,
      declared_size: h.declaredSize ?? null, ...(req.channel ? { channel: req.channel } : {}),
      ...(relay ? { via: relay.via, path: relay.path, ...(relay.retried ? { retry_of_unanswered: true } : {}) } : {}),
    },
  };
  const before = ctx.policy.current.before(maskedFacts(facts));
  const decidedBefore = decidedRecord(base, 'before', facts, before);
  if (before.verdict === 'deny') {
    await ctx.audit.appendMany([received, decidedBefore, deniedRecord(base, before, 'before')]);
    throw new AuditedRefusal(refusalFor(before, 'before', id));
  }
  // An upload's `received` is written now, as it begins; it need not be durable until the answer and goes with the
  // next group commit. The decision before content is written with the outcome: in the `accepted` record, or as a
  // `decided` record beside a refusal or a failure (a crash in between leaves `received` alone: nothing was accepted).
  // A message is whole already (one frame): its `received` goes with the outcome, in the same commit, which at a
  // steady rate is one audit commit a message fewer. A crash before the outcome then leaves no record of it, as
  // of a frame the gateway never read; its publisher, not answered, sends it again.
  const deferHead = req.kind === 'message';
  const headRecords = deferHead ? Promise.resolve() : ctx.audit.append(received);
  headRecords.catch(() => undefined);
  /** The outcome's records, after `received`: in one append for a message, beside the upload's own for a file. */
  const withHead = async (entries: AuditEntry[]): Promise<void> => {
    if (deferHead) await ctx.audit.appendMany([received, ...entries]);
    else await Promise.all([headRecords, ctx.audit.appendMany(entries)]);
  };

  // Taken with no await since the check above on this path: the count and the key are exact.
  const place = ctx.admission.take(principal.uri, h.idempotencyKey);
  ctx.metrics.uploadsInProgress.inc();
  // Messages for a subscription are small (limits.max_message_bytes) and kept sealed in
  // the queue database: no spool file and no directory fsync per message.
  const inQueue = req.kind === 'message' && req.channel !== undefined && route.kind === 'here' && route.delivery === 'subscribe';
  // Any other transfer whose size is known and small (spool.inline_max) is kept the same way,
  // sealed in the queue database with its row: one durable write instead of the spool file,
  // its directory and the row. Larger or chunked uploads stream to the spool as before.
  const inlineMax = ctx.config.spool.inlineMax;
  const inline = !inQueue && inlineMax > 0 && h.declaredSize !== undefined && h.declaredSize <= inlineMax;
  let spoolName = '';
  let writer: SpoolWrite | MessageBuffer | null = null;
  let rowWritten = false;
  let accepted = false;
  /** The decision before content is in a record asked for (with a refusal after content, or in `accepted`). */
  let beforeWritten = false;
  try {
    writer = inQueue ? new MessageBuffer() : inline ? new MessageBuffer(h.declaredSize)
      : await ctx.spool.create(id);
    if (!(writer instanceof MessageBuffer)) spoolName = writer.name;
    const stages = inspectorStages(
      { transferId: id, label: h.label, ...(h.filename ? { filename: h.filename } : {}), ...(h.contentType ? { declaredType: h.contentType } : {}), ...(h.declaredSize !== undefined ? { declaredSize: h.declaredSize } : {}) },
      ctx.inspect,
    );
    const pass = await runPass(body, stages, writer, {
      maxBytes,
      onLimit: (seen) => new FerryError('FERRY_TOO_LARGE', `The body passed the limit of ${maxBytes} bytes for label '${h.label}' (${seen} bytes seen).`),
      onProgress: (n) => ctx.metrics.bytesIn.inc(n),
      ...(hooks.onBodyEnd ? { onBodyEnd: hooks.onBodyEnd } : {}),
      ...(h.declaredSize !== undefined ? { expectedBytes: h.declaredSize } : {}),
    });
    hooks.check?.();
    if (h.declaredSize !== undefined && pass.size !== h.declaredSize) throw new FerryError('FERRY_BODY_INCOMPLETE');
    // A peer's envelope is bound to one body: the same envelope with other bytes is refused.
    if (relay && (pass.sha256 !== relay.sha256 || pass.size !== relay.size)) {
      throw new FerryError('FERRY_ENVELOPE_MISMATCH', `The body hashes to ${pass.sha256} (${pass.size} bytes); the envelope was signed for ${relay.sha256} (${relay.size} bytes).`);
    }

    const sniffed = typeof pass.facts.sniffedType === 'string' ? pass.facts.sniffedType : undefined;
    const afterFacts: TransferFacts = { ...facts, size: pass.size, ...(sniffed ? { sniffedType: sniffed } : {}), time: new Date().toISOString() };
    const after = ctx.policy.current.after(maskedFacts(afterFacts), pass.findings);
    if (after.verdict === 'deny') {
      const inspected: AuditEntry = { ...base, event: 'inspected', size: pass.size, sha256: pass.sha256, details: { sniffed_type: sniffed ?? null, findings: maskedFindings(pass.findings) } };
      const decidedAfter = { ...decidedRecord(base, 'after', afterFacts, after, pass.findings), size: pass.size, sha256: pass.sha256 };
      await writer.abort();
      beforeWritten = true;
      await withHead([decidedBefore, inspected, decidedAfter, { ...deniedRecord(base, after, 'after'), size: pass.size, sha256: pass.sha256 }]);
      throw new AuditedRefusal(refusalFor(after, 'after', id));
    }

    await writer.commit();
    // Checked after the fsync too: a carrier's late signal (bytes past the body) has surely come by now.
    hooks.check?.();
    const now = Date.now();
    const receipt = signReceipt({
      type: 'accepted', transfer: id, sha256: pass.sha256, size: pass.size, source, destination: h.destination,
      time: new Date(now).toISOString(), gateway: ctx.identity,
    }, ctx.keys);
    // A subscription is already a pull by the destination; files to a subscribing system wait in its inbox.
    const delivery: NewTransfer['delivery'] = route.kind === 'relay' ? 'relay'
      : inQueue ? 'subscribe' : after.obligations?.requirePull || route.delivery === 'subscribe' ? 'pull' : route.delivery;
    rowWritten = true;
    const row: NewTransfer = {
      id, kind: req.kind, channel: req.channel ?? null, principal: principal.uri, source, destination: h.destination, label: h.label,
      filename: h.filename ?? null, contentType: h.contentType ?? null, size: pass.size, sha256: pass.sha256,
      spool: spoolName, delivery, idempotencyKey: h.idempotencyKey ?? null, created: now,
      expiresAt: now + ctx.config.delivery.expireAfterMs, receiptAccepted: receipt,
      retainDays: after.obligations?.retainDays ?? null,
      via: relay?.via ?? null, path: relay ? relay.path : null, nextHop: route.kind === 'relay' ? route.route.via : null,
    };
    let seq: number | null = null;
    // Sealed before the turn: only the insert itself must keep the channel's order.
    const sealed = inQueue || inline ? await ctx.messageSeal.seal(id, (writer as MessageBuffer).body()) : null;
    await hooks.turn?.wait();
    let inserted: Promise<unknown>;
    try {
      // Called without an await between the turn and the call: the store queues writes in call order.
      inserted = inQueue
        ? ctx.queue.insertMessage({ ...row, channel: req.channel! }, sealed!).then((n) => (seq = n))
        : inline ? ctx.queue.insertInline(row, sealed!)
          : ctx.queue.insertAccepted(row);
    } finally {
      // Queued in the group commit, in order: the next envelope may take its turn.
      hooks.turn?.done();
    }
    await inserted;
    // The answer waits for every record of this transfer to be durable: `received`, and the one `accepted`
    // record with both decisions, the inspection and what was queued (audit schema 3; before it, four records).
    // Asked for, it may be durable even if its append is refused (the writer thread died mid-commit): a failure
    // from here on is recorded without a second copy of the decision before content.
    beforeWritten = true;
    await withHead([acceptedRecord(base,
      { size: pass.size, sha256: pass.sha256, sniffedType: sniffed ?? null, findings: pass.findings },
      { beforeFacts: facts, before, afterFacts, after },
      {
        delivery, receipt_signature: receipt.signature, ...(route.kind === 'relay' ? { next_hop: gatewayId(route.route.via) } : {}),
        ...(seq !== null ? { channel: req.channel, sequence: seq } : {}),
      },
    )]);
    // A message to a subscription is answered now, its `accepted` record durable: the move to 'queued'
    // follows in the queue's next commit (reads show it queued from this call on). Killed before that,
    // the row is still 'accepted' at the next start, and recovery queues it because its acceptance is in
    // the log (recovery.ts): nothing answered is lost, and no commit is waited for or made for it alone.
    // Other transfers are queued first, so an 'accepted' row of theirs at a start was never answered.
    if (delivery === 'subscribe') ctx.queue.markAnswered(id).catch((err: unknown) => ctx.log.error({ transfer: id, err }, 'could not mark an answered message queued; recovery will at restart'));
    else await ctx.queue.markQueued(id);
    accepted = true;
    answer({ id, state: 'queued', receipt });
    ctx.policy.current.record?.(afterFacts);
    ctx.metrics.transfers.inc({ state: 'accepted' });
    ctx.metrics.timeToAccept.observe(Number(process.hrtime.bigint() - started) / 1e9);
    ctx.log.info({ transfer: id, kind: req.kind, source, destination: h.destination, size: pass.size, findings: pass.findings.length }, 'transfer accepted');
    if (delivery === 'subscribe') {
      ctx.subscriptions.offer(h.destination, {
        seq: seq!, id, channel: req.channel!, principal: row.principal, source, label: h.label, contentType: row.contentType, sha256: pass.sha256,
        size: pass.size, created: now, body: (writer as MessageBuffer).body(),
      });
    }
    else if (delivery !== 'pull') ctx.wakeForwarder();
  } catch (err) {
    if (accepted) {
      // Queued and durable: whatever failed after that must not undo it.
      ctx.log.error({ transfer: id, err }, 'error after a transfer was queued');
      return;
    }
    await writer?.abort();
    // Nothing half-done stays behind: no spool file, no row that could be delivered.
    if (spoolName) await ctx.spool.remove(spoolName).catch(() => undefined);
    if (rowWritten) {
      try {
        await ctx.queue.failUnanswered(id, 'the gateway failed before acknowledging the upload');
      } catch (e) {
        ctx.log.error({ transfer: id, err: e }, 'could not mark an unanswered upload failed; recovery will at restart');
      }
    }
    if (err instanceof AuditedRefusal) throw err;
    const refusal = withTransfer(hooks.asError(err), id);
    await Promise.allSettled([headRecords]);
    const failed: AuditEntry = { ...base, event: 'failed', details: { code: refusal.code, reason: refusal.message } };
    // A message's `received` was held for its outcome: written here unless it went with an outcome asked for.
    const head = deferHead && !beforeWritten ? [received] : [];
    await ctx.audit.appendMany(beforeWritten ? [failed] : [...head, decidedBefore, failed]).catch(() => undefined);
    throw new AuditedRefusal(refusal);
  } finally {
    place.release();
    ctx.metrics.uploadsInProgress.dec();
  }
}
