// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text is
// the origin line, the tree size in decimal, the base64 root hash, each
// newline-terminated; it is then wrapped in a signed note.
import { NoteError } from './signed-note.js';

export interface CheckpointBody {
  origin: string;
  size: number;
  root: Buffer;
}

/** A checkpoint as stored: its body, and the note text (signed, or bare when no key is configured). */
export interface Checkpoint extends CheckpointBody {
  time: string;
  note: string;
}

export function formatCheckpoint(c: CheckpointBody): string {
  if (c.origin.length === 0 || /[\n\u0000-\u001f]/.test(c.origin)) throw new NoteError('CHECKPOINT_MALFORMED', 'the origin line is empty or holds control characters');
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

export function parseCheckpoint(text: string): CheckpointBody {
  const lines = text.split('\n');
  // at least origin, size, root and the empty string after the last newline
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('CHECKPOINT_MALFORMED', 'a checkpoint has an origin, a size and a root hash, each on its own line');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin.length === 0) throw new NoteError('CHECKPOINT_MALFORMED', 'the checkpoint origin is empty');
  if (!/^(0|[1-9]\d*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteError('CHECKPOINT_MALFORMED', 'the checkpoint size is not a decimal number without leading zeros');
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) throw new NoteError('CHECKPOINT_MALFORMED', 'the checkpoint root is not a base64 SHA-256 hash');
  return { origin, size: Number(sizeText), root };
}
