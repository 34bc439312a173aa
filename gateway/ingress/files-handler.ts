import type { IncomingMessage, ServerResponse } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Principal } from '../../certs/principal.js';
import type { AuditEntry } from '../audit/events.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { inspectorStages } from '../inspect/index.js';
import { maskText } from '../log/mask.js';
import { runPass } from '../pipeline/one-pass.js';
import { signReceipt } from '../receipts/receipt.js';
import { SpoolWriter } from '../spool/spool-writer.js';
import type { Decision, TransferFacts } from '../../policies/types.js';
import { sendJson, sendProblem } from './problem.js';
import { extensionOf, parseUploadHeaders, type UploadHeaders } from './upload-headers.js';
import { hasTrailingBytes } from './trailing-bytes.js';
import { AuditedRefusal } from './audited-refusal.js';
import { drainThenClose } from './drain.js';

// PUT /v1/files: the one path a file takes into the gateway.
//   headers → policy before content (a deny never reads the body)
//   → one pass: count, hash, inspect, encrypt to the spool
//   → policy after content → durable: spool fsync, queue row, audit records
//   → 202 with a signed receipt.

export async function handlePutFile(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
  const started = process.hrtime.bigint();
  if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems upload files here.');
  const h = parseUploadHeaders(req.headers);
  const source = `${principal.network}/${principal.system}`;
  const dest = ctx.config.destinations.get(h.destination);
  if (h.destination.split('/')[0] === principal.network) throw new FerryError('FERRY_SAME_NETWORK');
  if (!dest) throw new FerryError('FERRY_DESTINATION_UNKNOWN', `No delivery is configured for '${h.destination}'.`);
  const maxBytes = ctx.config.limits.maxBody[h.label];
  if (h.declaredSize !== undefined && h.declaredSize > maxBytes) {
    throw new FerryError('FERRY_TOO_LARGE', `The declared size ${h.declaredSize} exceeds the limit of ${maxBytes} bytes for label '${h.label}'.`);
  }
  const notReady = ctx.notReadyReasons();
  if (notReady.length) throw new FerryError('FERRY_NOT_READY', `The gateway is not ready: ${notReady.join('; ')}.`);

  const replay = idempotentReplay(ctx, principal.uri, h);
  if (replay) {
    // The first answer again; the repeated body is not wanted: drain it (bounded) and close.
    sendJson(res, 202, replay);
    drainThenClose(req, req.socket);
    return;
  }

  const inFlight = ctx.uploads.get(principal.uri) ?? 0;
  if (inFlight >= ctx.config.limits.maxUploadsPerPrincipal) {
    throw new FerryError('FERRY_TOO_MANY_UPLOADS', `${inFlight} uploads from ${principal.uri} are in progress; the limit is ${ctx.config.limits.maxUploadsPerPrincipal}.`);
  }
  const idemKey = h.idempotencyKey ? `${principal.uri}\n${h.idempotencyKey}` : null;
  if (idemKey && inProgressKeys.has(idemKey)) throw new FerryError('FERRY_UPLOAD_IN_PROGRESS');

  const id = uuidv7();
  const facts: TransferFacts = {
    kind: 'file', principal: principal.uri, source, destination: h.destination, label: h.label,
    ...(h.filename !== undefined ? { filename: h.filename } : {}),
    ...(extensionOf(h.filename) ? { extension: extensionOf(h.filename)! } : {}),
    ...(h.contentType !== undefined ? { declaredType: h.contentType } : {}),
    ...(h.declaredSize !== undefined ? { declaredSize: h.declaredSize } : {}),
    time: new Date().toISOString(),
  };
  const base = { transferId: id, principal: principal.uri, source, destination: h.destination };
  const received: AuditEntry = {
    ...base, event: 'received', size: h.declaredSize ?? null,
    details: { kind: 'file', label: h.label, filename: h.filename ? maskText(h.filename) : null, declared_type: h.contentType ?? null, declared_size: h.declaredSize ?? null },
  };
  const before = ctx.policy.current.before(maskedFacts(facts));
  const decidedBefore = decidedRecord(base, 'before', facts, before);
  if (before.verdict === 'deny') {
    await ctx.audit.appendMany([received, decidedBefore, deniedRecord(base, before)]);
    throw new AuditedRefusal(refusalFor(before, 'before', id));
  }
  // These two records need not be durable until the answer; they go with the next group commit.
  const headRecords = ctx.audit.appendMany([received, decidedBefore]);
  headRecords.catch(() => undefined);

  ctx.uploads.set(principal.uri, inFlight + 1);
  if (idemKey) inProgressKeys.add(idemKey);
  ctx.metrics.uploadsInProgress.inc();
  const spoolName = `${id}.spool`;
  let writer: SpoolWriter | null = null;
  let rowWritten = false;
  let accepted = false;
  try {
    writer = await SpoolWriter.create(join(ctx.spoolDir, spoolName), ctx.keys.sealPublicKey, ctx.sodium);
    const stages = inspectorStages(
      { transferId: id, label: h.label, ...(h.filename ? { filename: h.filename } : {}), ...(h.contentType ? { declaredType: h.contentType } : {}), ...(h.declaredSize !== undefined ? { declaredSize: h.declaredSize } : {}) },
      ctx.inspect,
    );
    const idleMs = ctx.config.limits.idleTimeoutMs;
    let stalled: FerryError | null = null;
    req.setTimeout(idleMs, () => {
      // Answer first, then stop the pass: destroying the request also closes the socket.
      // The flag stops a pass that finishes in between from being queued.
      stalled = new FerryError('FERRY_IDLE_TIMEOUT', `No bytes arrived for ${(idleMs / 1000).toFixed(1)} s.`);
      const err = stalled;
      sendProblem(res, err, { close: true });
      res.once('finish', () => req.destroy(err));
    });
    const pass = await runPass(req, stages, writer, {
      maxBytes,
      onLimit: (seen) => new FerryError('FERRY_TOO_LARGE', `The body passed the limit of ${maxBytes} bytes for label '${h.label}' (${seen} bytes seen).`),
      onProgress: (n) => ctx.metrics.bytesIn.inc(n),
      // The idle timer guards the sender's bytes only: once they are all in, the
      // gateway's own work (clamd scanning, fsync) must not cut the connection.
      onBodyEnd: () => req.setTimeout(0),
    });
    if (stalled) throw stalled;
    if (h.declaredSize !== undefined && pass.size !== h.declaredSize) throw new FerryError('FERRY_BODY_INCOMPLETE');

    const sniffed = typeof pass.facts.sniffedType === 'string' ? pass.facts.sniffedType : undefined;
    const afterFacts: TransferFacts = { ...facts, size: pass.size, ...(sniffed ? { sniffedType: sniffed } : {}), time: new Date().toISOString() };
    const inspected: AuditEntry = { ...base, event: 'inspected', size: pass.size, sha256: pass.sha256, details: { sniffed_type: sniffed ?? null, findings: pass.findings } };
    const after = ctx.policy.current.after(maskedFacts(afterFacts), pass.findings);
    const decidedAfter = { ...decidedRecord(base, 'after', afterFacts, after, pass.findings), size: pass.size, sha256: pass.sha256 };
    if (after.verdict === 'deny') {
      await writer.abort();
      await Promise.all([headRecords, ctx.audit.appendMany([inspected, decidedAfter, { ...deniedRecord(base, after), size: pass.size, sha256: pass.sha256 }])]);
      throw new AuditedRefusal(refusalFor(after, 'after', id));
    }

    await writer.commit();
    // Checked after the fsync too: surplus bytes sent with the body have surely been parsed by now.
    if (hasTrailingBytes(req.socket)) throw new FerryError('FERRY_BODY_TOO_LONG');
    const now = Date.now();
    const receipt = signReceipt({
      type: 'accepted', transfer: id, sha256: pass.sha256, size: pass.size, source, destination: h.destination,
      time: new Date(now).toISOString(), gateway: ctx.identity,
    }, ctx.keys);
    const delivery = after.obligations?.requirePull ? 'pull' : dest.delivery;
    rowWritten = true;
    await ctx.queue.insertAccepted({
      id, principal: principal.uri, source, destination: h.destination, label: h.label,
      filename: h.filename ?? null, content_type: h.contentType ?? null, size: pass.size, sha256: pass.sha256,
      spool: spoolName, delivery, idempotency_key: h.idempotencyKey ?? null, created: now,
      expires_at: now + ctx.config.delivery.expireAfterMs, receipt_accepted: JSON.stringify(receipt),
      retain_until: after.obligations?.retainDays ? now + after.obligations.retainDays * 86_400_000 : null,
    });
    // The answer waits for every record of this transfer to be durable.
    await Promise.all([headRecords, ctx.audit.appendMany([inspected, decidedAfter, {
      ...base, event: 'queued', size: pass.size, sha256: pass.sha256, verdict: 'allow', rule: after.rule, policyHash: after.policyHash,
      details: { delivery, receipt_signature: receipt.signature },
    }])]);
    await ctx.queue.markQueued(id);
    accepted = true;
    sendJson(res, 202, { id, state: 'queued', receipt });
    ctx.policy.current.record?.(afterFacts);
    ctx.metrics.transfers.inc({ state: 'accepted' });
    ctx.metrics.timeToAccept.observe(Number(process.hrtime.bigint() - started) / 1e9);
    ctx.log.info({ transfer: id, source, destination: h.destination, size: pass.size, findings: pass.findings.length }, 'transfer accepted');
    if (delivery === 'push') ctx.wakeForwarder();
  } catch (err) {
    if (accepted) {
      // Queued and durable: whatever failed after that must not undo it.
      ctx.log.error({ transfer: id, err }, 'error after a transfer was queued');
      return;
    }
    await writer?.abort();
    // Nothing half-done stays behind: no spool file, no row that could be delivered.
    await rm(join(ctx.spoolDir, spoolName), { force: true }).catch(() => undefined);
    if (rowWritten) {
      try {
        ctx.queue.failUnanswered(id, 'the gateway failed before acknowledging the upload');
      } catch (e) {
        ctx.log.error({ transfer: id, err: e }, 'could not mark an unanswered upload failed; recovery will at restart');
      }
    }
    if (err instanceof AuditedRefusal) throw err;
    const refusal = withTransfer(asUploadError(err, req), id);
    await Promise.allSettled([headRecords]);
    await ctx.audit.append({ ...base, event: 'failed', details: { code: refusal.code, reason: refusal.message } }).catch(() => undefined);
    throw new AuditedRefusal(refusal);
  } finally {
    const n = (ctx.uploads.get(principal.uri) ?? 1) - 1;
    if (n <= 0) ctx.uploads.delete(principal.uri);
    else ctx.uploads.set(principal.uri, n);
    if (idemKey) inProgressKeys.delete(idemKey);
    ctx.metrics.uploadsInProgress.dec();
  }
}

/** Idempotency keys of uploads still being received (principal + key). */
const inProgressKeys = new Set<string>();

/** A repeated idempotency key: the first answer again, or a conflict. The body is not read. */
function idempotentReplay(ctx: GatewayContext, principal: string, h: UploadHeaders): Record<string, unknown> | null {
  if (!h.idempotencyKey) return null;
  const row = ctx.queue.findByIdempotencyKey(principal, h.idempotencyKey);
  if (!row) return null;
  if (row.destination !== h.destination || (h.declaredSize !== undefined && h.declaredSize !== row.size)) {
    throw new FerryError('FERRY_IDEMPOTENCY_CONFLICT', `The key was first used for transfer ${row.id} to ${row.destination} (${row.size} bytes).`);
  }
  if (row.state === 'accepted') throw new FerryError('FERRY_UPLOAD_IN_PROGRESS');
  // Rows failed before an answer have no key (TransferQueue.failUnanswered): every row found here was answered 202.
  return { id: row.id, state: row.state, receipt: row.receipt_accepted ? JSON.parse(row.receipt_accepted) : null, idempotent_replay: true };
}

/** Facts as the policy and the audit log see them: sender-chosen names masked. */
function maskedFacts(f: TransferFacts): TransferFacts {
  return f.filename ? { ...f, filename: maskText(f.filename) } : f;
}

function decidedRecord(base: Omit<AuditEntry, 'event'>, stage: 'before' | 'after', facts: TransferFacts, d: Decision, findings: unknown[] = []): AuditEntry {
  return {
    ...base, event: 'decided', verdict: d.verdict, rule: d.rule, policyHash: d.policyHash,
    details: { stage, facts: maskedFacts(facts), findings, counters: d.counters ?? {}, reason: d.reason, shadow: d.shadow ?? [], obligations: d.obligations ?? null },
  };
}

function deniedRecord(base: Omit<AuditEntry, 'event'>, d: Decision): AuditEntry {
  return { ...base, event: 'denied', verdict: 'deny', rule: d.rule, policyHash: d.policyHash, details: { reason: d.reason, code: d.limited ? 'FERRY_RATE_LIMITED' : undefined } };
}

/** A policy refusal names the transfer, so that its audit records can be found (`ferry log query --transfer`). */
function refusalFor(d: Decision, stage: 'before' | 'after', transfer: string): FerryError {
  if (d.limited) return new FerryError('FERRY_RATE_LIMITED', d.reason, { transfer, rule: d.rule, retry_after: d.retryAfter ?? 60 });
  return stage === 'before'
    ? new FerryError('FERRY_POLICY_DENIED', d.reason, { transfer, rule: d.rule, policy_hash: d.policyHash })
    : new FerryError('FERRY_CONTENT_DENIED', d.reason, { transfer, rule: d.rule, policy_hash: d.policyHash, findings: d.findings ?? [] });
}

function asUploadError(err: unknown, req: IncomingMessage): FerryError {
  if (err instanceof FerryError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (req.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error)?.message === 'aborted') {
    return new FerryError('FERRY_BODY_INCOMPLETE');
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO') return new FerryError('FERRY_STORAGE_UNAVAILABLE', `The spool could not be written (${code}).`);
  return new FerryError('FERRY_INTERNAL', 'The gateway failed while receiving the upload; nothing was kept.');
}

function withTransfer(e: FerryError, transfer: string): FerryError {
  return new FerryError(e.code, e.message, { ...e.extra, transfer });
}
