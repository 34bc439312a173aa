import { appendFile, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The receiver's memory of what it saved but could not acknowledge. Each
// saved file is written here (fsynced) before the acknowledgement; each
// acknowledgement after. A transfer the gateway offers again whose id is
// here, with its file still in place and the same hash, is acknowledged
// without being saved a second time. One JSON line per event, in the output
// folder (a dot name: safeFileName never makes one), removed whenever
// nothing is pending, so a folder normally holds only what was received.

export const INDEX_FILE = '.ferry-received.jsonl';

interface Saved {
  id: string;
  path: string;
  sha256: string;
  size: number;
}

type Line = ({ event: 'saved' } & Saved) | { event: 'acknowledged'; id: string };

/** Rewrite the file with only what is pending once it has this many lines. */
const COMPACT_AFTER = 1000;

export class ReceivedIndex {
  readonly path: string;
  #pending = new Map<string, Saved>();

  private constructor(path: string) {
    this.path = path;
  }

  static async open(outDir: string): Promise<ReceivedIndex> {
    const index = new ReceivedIndex(join(outDir, INDEX_FILE));
    let text = '';
    try {
      text = await readFile(index.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const lines = text.split('\n').filter((l) => l.trim());
    for (const l of lines) {
      let line: Line;
      try {
        line = JSON.parse(l) as Line;
      } catch {
        continue; // a line cut by a crash: what it said is re-learnt from the gateway
      }
      if (line.event === 'saved') index.#pending.set(line.id, { id: line.id, path: line.path, sha256: line.sha256, size: line.size });
      else if (line.event === 'acknowledged') index.#pending.delete(line.id);
    }
    if (lines.length > COMPACT_AFTER) await index.#compact();
    return index;
  }

  /** Every transfer saved here and not yet known to be acknowledged. */
  pending(): Saved[] {
    return [...this.#pending.values()];
  }

  /** The file saved for this transfer, if it is still there and still what was saved (same size). */
  async held(id: string, sha256: string): Promise<Saved | null> {
    const s = this.#pending.get(id);
    if (!s || s.sha256 !== sha256) return null;
    try {
      const st = await stat(s.path);
      return st.isFile() && st.size === s.size ? s : null;
    } catch {
      return null;
    }
  }

  async saved(s: Saved): Promise<void> {
    this.#pending.set(s.id, s);
    await this.#append({ event: 'saved', ...s });
  }

  async acknowledged(id: string): Promise<void> {
    if (!this.#pending.delete(id)) return;
    // Nothing left pending: the folder holds only what was received.
    if (this.#pending.size === 0) await unlink(this.path).catch(() => undefined);
    else await this.#append({ event: 'acknowledged', id });
  }

  async #append(line: Line): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    const f = await open(this.path, 'r+');
    try {
      await f.sync();
    } finally {
      await f.close();
    }
  }

  async #compact(): Promise<void> {
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, [...this.#pending.values()].map((s) => `${JSON.stringify({ event: 'saved', ...s })}\n`).join(''), { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
