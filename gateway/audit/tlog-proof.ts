// C2SP tlog-proof (https://c2sp.org/tlog-proof): a header line, an optional
// "extra" line, "index <n>", the inclusion proof hashes in base64 one per
// line, a blank line, then the signed checkpoint verbatim.
import { NoteError } from './signed-note.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  extra: Buffer | null;
  index: number;
  hashes: Buffer[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
}

export function formatTlogProof(p: TlogProof): string {
  let out = TLOG_PROOF_HEADER + '\n';
  if (p.extra) out += `extra ${p.extra.toString('base64')}\n`;
  out += `index ${p.index}\n`;
  for (const h of p.hashes) out += h.toString('base64') + '\n';
  return out + '\n' + p.checkpoint;
}

export function parseTlogProof(text: string): TlogProof {
  const sep = text.indexOf('\n\n');
  if (sep < 0) throw new NoteError('PROOF_MALFORMED', 'a tlog-proof has a blank line before its checkpoint');
  const lines = text.slice(0, sep).split('\n');
  const checkpoint = text.slice(sep + 2);
  if (lines[0] !== TLOG_PROOF_HEADER) throw new NoteError('PROOF_MALFORMED', `a tlog-proof starts with ${TLOG_PROOF_HEADER}`);
  let i = 1;
  let extra: Buffer | null = null;
  if (lines[i]?.startsWith('extra ')) {
    extra = Buffer.from(lines[i]!.slice(6), 'base64');
    i += 1;
  }
  const m = /^index (0|[1-9]\d*)$/.exec(lines[i] ?? '');
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw new NoteError('PROOF_MALFORMED', 'the tlog-proof index line is missing or malformed');
  const hashes = lines.slice(i + 1).map((l) => {
    const h = Buffer.from(l, 'base64');
    if (h.length !== 32 || h.toString('base64') !== l) throw new NoteError('PROOF_MALFORMED', `not a base64 SHA-256 hash: ${JSON.stringify(l)}`);
    return h;
  });
  return { extra, index: Number(m[1]), hashes, checkpoint };
}
