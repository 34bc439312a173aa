// The checks `ferry log verify` makes, by name: what a failure of each means.
export const VERIFY_CHECKS = {
  'record-format': 'a field of the record is not of its documented form',
  'details-canonical': 'the stored details are not their own RFC 8785 canonical JSON',
  'seq': 'a record is missing at this seq (deleted, or the log renumbered)',
  'chain-link': "the record's prev_hash is not the hash of the record before it",
  'record-hash': 'the record hash is not SHA-256(prev_hash ‖ canonical encoding)',
  'inserted': 'a record was inserted here: the next record links past it',
  'tree-node': 'a stored Merkle node does not match the records under it',
  'checkpoint-format': 'a stored checkpoint is not a well-formed C2SP checkpoint of this log',
  'checkpoint-root': 'the records do not produce the Merkle root of a stored checkpoint',
  'checkpoint-frontier': "a checkpoint's stored frontier does not match the records",
  'checkpoint-signature': "a checkpoint's signature does not verify with the given key",
  'key-rotation': 'a key-rotated record is not signed by the key in force and the new key (see gateway/audit/key-rotation.ts)',
  'consistency': 'a checkpoint is not consistent with the one before it',
  'truncated': 'a checkpoint covers records that are no longer in the log',
  'against': 'the log does not contain the tree of the exported checkpoint',
  'segment-origin': 'a segment was written by another gateway (another log origin)',
  'segment-missing': 'a segment that the next one continues is neither present nor recorded as pruned',
  'segment-link': "a segment's first record does not commit to the last checkpoint of the segment before it",
  'segment-unsealed': 'a segment other than the last was not sealed at its last record',
} as const;

export type VerifyCheck = keyof typeof VERIFY_CHECKS;

export interface VerifyFailure {
  /** The first record that fails (for a range, the first record of it). */
  seq: number;
  check: VerifyCheck;
  message: string;
}
