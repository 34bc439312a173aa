// `ferry log check-proof`: check a proof file with nothing but the gateway's
// public key. Every proof's checkpoint signature is checked before anything
// it says is believed.
import { hash } from 'node:crypto';
import { canonicalJson, canonicalRecord } from './canonical.js';
import { parseCheckpoint, type CheckpointBody } from './checkpoint.js';
import { leafHash } from './merkle.js';
import { verifyConsistency, verifyInclusion } from './merkle-proofs.js';
import { PROOF_FORMAT, type ConsistencyFile, type ProofFile } from './prove.js';
import { NoteError, openNote, type NoteVerifier } from './signed-note.js';
import { parseTlogProof } from './tlog-proof.js';

export interface ProofCheck {
  kind: 'inclusion' | 'consistency';
  origin: string;
  treeSize: number;
  /** seqs proven (inclusion), or [from, to] (consistency). */
  seqs: number[];
}

function bad(message: string): never {
  throw new NoteError('PROOF_INVALID', message);
}

function signedCheckpoint(note: string, verifiers: NoteVerifier[]): CheckpointBody {
  return parseCheckpoint(openNote(note, verifiers).text);
}

export function checkProofText(text: string, verifiers: NoteVerifier[]): ProofCheck {
  if (verifiers.length === 0) bad('a proof can only be checked with the gateway public key');
  let doc: ProofFile | ConsistencyFile;
  try {
    doc = JSON.parse(text) as ProofFile | ConsistencyFile;
  } catch {
    bad('the proof file is not JSON');
  }
  if (doc.format === 'ferry-audit-consistency/v1') return checkConsistency(doc, verifiers);
  if (doc.format !== PROOF_FORMAT) bad(`unknown proof format ${JSON.stringify((doc as { format?: unknown }).format)}`);
  const cp = signedCheckpoint(doc.checkpoint, verifiers);
  if (cp.origin !== doc.origin || cp.size !== doc.treeSize) bad('the checkpoint does not match the origin and size the file states');
  if (!Array.isArray(doc.records) || doc.records.length === 0) bad('the proof file proves no record');
  const seqs: number[] = [];
  for (const p of doc.records) {
    const tp = parseTlogProof(p.tlogProof);
    const body = signedCheckpoint(tp.checkpoint, verifiers);
    if (body.origin !== cp.origin) bad(`the proof of seq ${p.record.seq} is against another log`);
    if (!tp.extra || tp.extra.length < 33) bad(`the proof of seq ${p.record.seq} carries no record bytes`);
    const r = p.record;
    if (r.transferId !== doc.transferId) bad(`seq ${r.seq} belongs to another transfer`);
    const canonical = canonicalRecord({
      seq: r.seq, time: r.time, transferId: r.transferId, event: r.event, principal: r.principal, source: r.source,
      destination: r.destination, size: r.size, sha256: r.sha256, verdict: r.verdict, rule: r.rule, policyHash: r.policyHash,
      details: r.details === null ? null : canonicalJson(r.details),
    });
    if (tp.extra.subarray(32).toString('utf8') !== canonical || p.canonical !== canonical) bad(`the record shown for seq ${r.seq} is not the record proven`);
    if (tp.extra.subarray(0, 32).toString('hex') !== r.prevHash) bad(`the prev_hash shown for seq ${r.seq} is not the one proven`);
    const recordHash = hash('sha256', tp.extra, 'buffer');
    if (recordHash.toString('hex') !== r.hash) bad(`the hash shown for seq ${r.seq} is not the record's hash`);
    if (tp.index !== r.seq - 1) bad(`the proof index ${tp.index} is not that of seq ${r.seq}`);
    if (!verifyInclusion(tp.index, body.size, leafHash(recordHash), tp.hashes, body.root)) bad(`seq ${r.seq} is not included in the signed tree of size ${body.size}`);
    seqs.push(r.seq);
  }
  return { kind: 'inclusion', origin: cp.origin, treeSize: cp.size, seqs };
}

function checkConsistency(doc: ConsistencyFile, verifiers: NoteVerifier[]): ProofCheck {
  const a = signedCheckpoint(doc.from.checkpoint, verifiers);
  const b = signedCheckpoint(doc.to.checkpoint, verifiers);
  if (a.origin !== b.origin) bad('the two checkpoints are of different logs');
  const proof = doc.proof.map((h) => Buffer.from(h, 'base64'));
  if (!verifyConsistency(a.size, b.size, proof, a.root, b.root)) bad(`the tree of size ${b.size} is not an extension of the tree of size ${a.size}`);
  return { kind: 'consistency', origin: a.origin, treeSize: b.size, seqs: [a.size, b.size] };
}
