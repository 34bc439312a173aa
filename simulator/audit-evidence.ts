import { join } from 'node:path';
import { openAuditStorage } from '../gateway/audit/open-audit-storage.js';
import { auditRecordPages } from '../gateway/audit/read-records.js';
import { parseVkey } from '../gateway/audit/signed-note.js';
import { verifyLogFile, type VerifyReport } from '../gateway/audit/verify.js';

// What each gateway's audit log says, read after the run, and whether the log
// holds up: `ferry log verify`'s own code, with the gateway's public key.

export const FINAL_EVENTS = new Set(['delivered', 'denied', 'failed', 'expired']);

export interface TransferTrail {
  gateway: string;
  transferId: string;
  events: string[];
  /** the final records (delivered, denied, failed, expired) of the transfer */
  finals: Array<{ event: string; rule: string | null; reason: string | null; time: string }>;
  /**
   * Uploads of this id that broke before an answer and ended 'failed' (no 'accepted', 'queued' or 'denied').
   * Between gateways the id is kept across retries, so a hop retried after a crash or a cut
   * leaves such an attempt before the one that settles: it is not a final record of the transfer.
   */
  abortedAttempts: number;
  queued: boolean;
  filename: string | null;
  sha256: string | null;
  rule: string | null;
  findings: string[];
  /** who the gateway says sent it (the certificate identity) */
  principal: string | null;
}

export interface GatewayEvidence {
  gateway: string;
  verify: VerifyReport | { ok: false; error: string };
  records: number;
  byEvent: Record<string, number>;
  trails: Map<string, TransferTrail>;
}

export async function readEvidence(gateway: string, dataDir: string, vkey: string): Promise<GatewayEvidence> {
  const db = join(dataDir, 'audit.db');
  let verify: GatewayEvidence['verify'];
  try {
    verify = await verifyLogFile(db, { verifiers: [parseVkey(vkey)], workers: 0 });
  } catch (err) {
    verify = { ok: false, error: (err as Error).message };
  }
  const byEvent: Record<string, number> = {};
  const trails = new Map<string, TransferTrail & { attempt: string[] }>();
  let records = 0;
  const log = await openAuditStorage(db);
  try {
    for await (const page of auditRecordPages(log)) {
      for (const r of page) {
        records++;
        byEvent[r.event] = (byEvent[r.event] ?? 0) + 1;
        if (!r.transferId) continue;
        let t = trails.get(r.transferId);
        if (!t) trails.set(r.transferId, (t = { attempt: [], gateway, transferId: r.transferId, events: [], finals: [], queued: false, filename: null, sha256: null, rule: null, findings: [], principal: null, abortedAttempts: 0 }));
        if (r.event === 'received') t.attempt = [];
        t.attempt.push(r.event);
        t.events.push(r.event);
        const d = r.details ?? {};
        if (r.event === 'received' && typeof d.filename === 'string') t.filename = d.filename;
        if (r.sha256) t.sha256 = r.sha256;
        // 'accepted' (audit schema 3) or, in a log written before, 'queued'.
        if (r.event === 'accepted' || r.event === 'queued') t.queued = true;
        if (r.event === 'received' && r.principal) t.principal = r.principal;
        if ((r.event === 'inspected' || r.event === 'accepted') && Array.isArray(d.findings)) {
          t.findings = (d.findings as Array<{ kind: string; subkind?: string }>).map((f) => (f.subkind ? `${f.kind}/${f.subkind}` : f.kind));
        }
        if (r.event === 'failed' && !t.attempt.includes('accepted') && !t.attempt.includes('queued') && !t.attempt.includes('denied') && t.attempt.includes('received')) {
          t.abortedAttempts++;
        } else if (r.event === 'failed' && d.recovered === true && !t.attempt.includes('denied')) {
          // Killed before it was answered (its `accepted` record written, or a message's records not yet):
          // failed by recovery (recovery.ts), the sender told nothing; it sends again and that attempt
          // ends the transfer. Not a final outcome of its own.
          t.abortedAttempts++;
          t.queued = false;
        } else if (FINAL_EVENTS.has(r.event)) {
          t.finals.push({ event: r.event, rule: r.rule, reason: typeof d.reason === 'string' ? d.reason : null, time: r.time });
          if (r.rule) t.rule = r.rule;
        }
      }
    }
  } finally {
    await log.close();
  }
  return { gateway, verify, records, byEvent, trails };
}
