import { readFile } from 'node:fs/promises';
import { policyHash, type SourceProblem } from '../../policies/load-policy.js';
import type { AuditLog } from '../audit/audit-log.js';
import { maskText } from '../log/mask.js';

// A policy file changed to one that does not load (the watcher rejects it and
// the previous policy stays in force) is evidence as an accepted change is:
// a `policy-loaded` record with `rejected: true`, whose `policy_hash` is the
// policy still in force, naming the file, the SHA-256 of the bytes rejected
// and the problems (masked free text). A SIGHUP or `ferry admin reload`
// that meets the same file writes it too (beside its own `reload` record).

/** Writes the record; resolves the rejected file's hash, or null when those very bytes were recorded last (`last`). */
export async function recordPolicyRejected(audit: AuditLog, file: string, inForce: string | null, problems: readonly SourceProblem[], last: string | null): Promise<string | null> {
  // The bytes as they are now: a file written again meanwhile is recorded by its own event.
  const hash = await readFile(file).then(policyHash, () => null);
  if (hash !== null && hash === last) return null;
  await audit.append({
    event: 'policy-loaded', policyHash: inForce,
    details: {
      file, reason: 'rejected', rejected: true, file_sha256: hash,
      problems: problems.slice(0, 50).map((p) => maskText(`${p.file}:${p.line}:${p.column}: ${p.message}`.slice(0, 500))),
      refused: `the file does not load (${problems.length} error${problems.length === 1 ? '' : 's'}); the previous policy stays in force`,
    },
  });
  return hash;
}
