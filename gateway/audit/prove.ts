// `ferry log prove` and `ferry log consistency`: inclusion proofs of a
// transfer's records against the latest checkpoint, and consistency proofs
// between two stored checkpoints, built from the audit storage port.
import type { AuditStorage, StoredAuditRecord } from './audit-storage.js';
import { canonicalRecord, recordHash } from './canonical.js';
import { AuditError } from './audit-error.js';
import { leafHash } from './merkle.js';
import { verifyConsistency, verifyInclusion } from './merkle-proofs.js';
import { toAuditRecord, type AuditRecord } from './read-records.js';
import { formatTlogProof } from './tlog-proof.js';
import { consistencyProofOf, inclusionProofOf, storedSubtreeHash } from './storage-proofs.js';

export const PROOF_FORMAT = 'ferry-audit-proof/v1';

export interface ProvenRecord {
  record: AuditRecord;
  /** The record's canonical encoding (docs/audit-log.md), as hashed. */
  canonical: string;
  /** C2SP tlog-proof; its extra line is base64(prev_hash ‖ canonical), whose SHA-256 is the record hash. */
  tlogProof: string;
}

export interface ProofFile {
  format: typeof PROOF_FORMAT;
  origin: string;
  transferId: string;
  treeSize: number;
  /** The signed checkpoint the proofs are against, verbatim. */
  checkpoint: string;
  records: ProvenRecord[];
  /** Records of the transfer written after that checkpoint: not yet provable. */
  pending: number[];
}

/** A stored record's canonical encoding, from its stored details text (never a re-encoding of parsed details). */
export function canonicalOf(r: StoredAuditRecord): string {
  return canonicalRecord({
    seq: r.seq, time: r.time, transferId: r.transferId, event: r.event, principal: r.principal, source: r.source,
    destination: r.destination, size: r.size, sha256: r.sha256, verdict: r.verdict, rule: r.rule, policyHash: r.policyHash, details: r.details,
  });
}

export async function proveTransfer(log: AuditStorage, transferId: string): Promise<ProofFile> {
  const cp = await log.latestCheckpoint();
  if (!cp || cp.size === 0) throw new AuditError('AUDIT_NOT_FOUND', 'The log has no checkpoint yet to prove against.');
  const rows: StoredAuditRecord[] = [];
  for await (const page of log.recordPages({ transferId })) rows.push(...page);
  if (rows.length === 0) throw new AuditError('AUDIT_NOT_FOUND', `No record of transfer ${transferId}.`);
  const origin = (await log.meta()).origin ?? '';
  const mth = storedSubtreeHash(log);
  const root = Buffer.from(cp.root, 'base64');
  const records: ProvenRecord[] = [];
  const pending: number[] = [];
  for (const row of rows) {
    if (row.seq > cp.size) { pending.push(row.seq); continue; }
    const canonical = canonicalOf(row);
    const prev = Buffer.from(row.prevHash, 'hex');
    const h = recordHash(prev, canonical);
    if (h.toString('hex') !== row.hash) throw new AuditError('AUDIT_TAMPERED', `Record ${row.seq} does not match its hash; run ferry log verify.`);
    const index = row.seq - 1;
    const hashes = await inclusionProofOf(index, cp.size, mth);
    // Never hand out a proof that does not check against the checkpoint.
    if (!verifyInclusion(index, cp.size, leafHash(h), hashes, root)) throw new AuditError('AUDIT_TAMPERED', `Record ${row.seq} is not in the tree of the checkpoint at size ${cp.size}; run ferry log verify.`);
    const extra = Buffer.concat([prev, Buffer.from(canonical, 'utf8')]);
    records.push({ record: toAuditRecord(row), canonical, tlogProof: formatTlogProof({ extra, index, hashes, checkpoint: cp.note }) });
  }
  return { format: PROOF_FORMAT, origin, transferId, treeSize: cp.size, checkpoint: cp.note, records, pending };
}

export interface ConsistencyFile {
  format: 'ferry-audit-consistency/v1';
  from: { size: number; checkpoint: string };
  to: { size: number; checkpoint: string };
  /** RFC 9162 consistency proof, base64 hashes. */
  proof: string[];
}

export async function proveConsistency(log: AuditStorage, from: number, to: number): Promise<ConsistencyFile> {
  const a = await log.checkpointAt(from);
  const b = await log.checkpointAt(to);
  if (!a || !b) {
    const sizes = await log.checkpointSizes(10);
    throw new AuditError('AUDIT_NOT_FOUND', `No stored checkpoint at size ${!a ? from : to}; the latest are at ${sizes.join(', ') || 'none'}.`);
  }
  if (from > to) throw new AuditError('AUDIT_NOT_FOUND', '--from must not be larger than --to.');
  const proof = from === 0 || from === to ? [] : await consistencyProofOf(from, to, storedSubtreeHash(log));
  if (!verifyConsistency(from, to, proof, Buffer.from(a.root, 'base64'), Buffer.from(b.root, 'base64'))) {
    throw new AuditError('AUDIT_TAMPERED', `The checkpoints at ${from} and ${to} are not consistent with the stored records; run ferry log verify.`);
  }
  return { format: 'ferry-audit-consistency/v1', from: { size: from, checkpoint: a.note }, to: { size: to, checkpoint: b.note }, proof: proof.map((h) => h.toString('base64')) };
}
