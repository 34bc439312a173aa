// An export of a time range for an outsider: the latest signed checkpoint,
// then each record of the range with its canonical bytes and a C2SP
// tlog-proof of inclusion in that checkpoint's tree, as JSON lines. Check
// each with `ferry log check-proof` (the proof is the same format `ferry log
// prove` writes) and the gateway's public key only.
import type { AuditStorage } from '../../audit/audit-storage.js';
import { recordHash } from '../../audit/canonical.js';
import { leafHash } from '../../audit/merkle.js';
import { verifyInclusion } from '../../audit/merkle-proofs.js';
import { canonicalOf } from '../../audit/prove.js';
import { toAuditRecord } from '../../audit/read-records.js';
import { formatTlogProof } from '../../audit/tlog-proof.js';
import { inclusionProofOf, storedSubtreeHash } from '../../audit/storage-proofs.js';

export const EXPORT_FORMAT = 'ferry-console-export/v1';
/** An export is a piece of evidence, not a backup: ranges past this are cut, and the header says so. */
export const EXPORT_MAX_RECORDS = 100_000;

export async function* exportRange(log: AuditStorage, range: { since: string; until?: string }, by: string): AsyncGenerator<string> {
  const cp = await log.latestCheckpoint();
  const origin = (await log.meta()).origin ?? '';
  const size = cp?.size ?? 0;
  yield JSON.stringify({ format: EXPORT_FORMAT, origin, exported_by: by, range, tree_size: size, checkpoint: cp?.note ?? null, max_records: EXPORT_MAX_RECORDS }) + '\n';
  const mth = storedSubtreeHash(log);
  const root = cp ? Buffer.from(cp.root, 'base64') : Buffer.alloc(0);
  for await (const row of log.records({ ...range, limit: EXPORT_MAX_RECORDS })) {
    const canonical = canonicalOf(row);
    if (row.seq > size) {
      // Written after the checkpoint: exported, marked as not yet provable.
      yield JSON.stringify({ record: toAuditRecord(row), canonical, tlogProof: null }) + '\n';
      continue;
    }
    const prev = Buffer.from(row.prevHash, 'hex');
    const h = recordHash(prev, canonical);
    const index = row.seq - 1;
    const hashes = await inclusionProofOf(index, size, mth);
    const ok = h.toString('hex') === row.hash && verifyInclusion(index, size, leafHash(h), hashes, root);
    yield JSON.stringify({
      record: toAuditRecord(row), canonical,
      // A record that does not check is exported as it is, with the failure said: evidence is not tidied.
      tlogProof: ok ? formatTlogProof({ extra: Buffer.concat([prev, Buffer.from(canonical, 'utf8')]), index, hashes, checkpoint: cp!.note }) : null,
      ...(ok ? {} : { error: `record ${row.seq} does not match the checkpoint; run ferry log verify` }),
    }) + '\n';
  }
}
