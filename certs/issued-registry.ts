// issued.jsonl: one line per certificate the CA signed. It is the CA's memory
// for what comes later — a CRL lists serials from here, rotation finds the
// certificate a name had before. Appending a line is cheap and never rewrites history.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ISSUED_FILE = 'issued.jsonl';

export interface IssuedRecord {
  serial: string;
  id: string;
  name: string;
  kind: 'system' | 'gateway';
  notBefore: string;
  notAfter: string;
  sha256: string;
  issuedAt: string;
}

export async function recordIssued(dir: string, rec: IssuedRecord): Promise<void> {
  await appendFile(join(dir, ISSUED_FILE), `${JSON.stringify(rec)}\n`, { mode: 0o644 });
}

export async function readIssued(dir: string): Promise<IssuedRecord[]> {
  let text: string;
  try {
    text = await readFile(join(dir, ISSUED_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as IssuedRecord);
}
