import { DecompressHandler } from './decompress-handler.js';
import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { GitBinaryPatch } from '../decodings/git-binary-patch.js';
import { GitDeltaInserts } from './git-delta-inserts.js';

// The hunks of a git binary patch (git-binary-patch.ts) inflated and inspected as they stream: a literal as the
// file it is (`<name> (git binary patch)`), a delta as what it inserts (`<name> (git delta)`, git-delta-inserts.ts),
// under the transfer's expansion budget and ratio limit (decompress-handler.ts). A zlib stream that does not
// inflate is no finding (a text that quotes a hunk); its lines are then judged as any text's. A hunk read whole
// vouches for its base-85 lines, which measure as random characters of 7 bits (opaque-regions.ts): its span is
// handed back so that the text's region meter passes over it (an ordinary binary patch of a picture was refused).

export interface PatchSpan {
  start: number;
  end: number;
}

export class GitPatchReader {
  #ctx: InspectContext;
  #path: string | undefined;
  #depth: number;
  #open: (name: string) => Member;
  #patch = new GitBinaryPatch();
  #hunk: DecompressHandler | null = null;
  #start = 0;
  #off = false;

  constructor(ctx: InspectContext, path: string | undefined, depth: number, open: (name: string) => Member) {
    this.#ctx = ctx;
    this.#path = path;
    this.#depth = depth;
    this.#open = open;
  }

  /** Feeds the chunk at host offset `at`; resolves with the spans of the hunks that ended in it, read whole. */
  async push(chunk: Buffer, at: number, final = false): Promise<PatchSpan[]> {
    if (this.#off) return [];
    const spans: PatchSpan[] = [];
    for (const e of this.#patch.push(chunk, at, final)) {
      if (e.kind === 'open') {
        await this.#close();
        if (this.#depth >= this.#ctx.limits.maxDepth) {
          this.#ctx.inspectionLimit('depth', this.#path, `a git binary patch nested deeper than ${this.#ctx.limits.maxDepth} levels; not decoded further`);
          this.#off = true;
          return spans;
        }
        const name = `${e.name || 'file'} (${e.delta ? 'git delta' : 'git binary patch'})`;
        const open = e.delta ? () => new GitDeltaInserts(this.#open(name)) : () => this.#open(name);
        this.#hunk = new DecompressHandler(this.#ctx, this.#path, 'zlib', open, name, { speculative: true });
        this.#start = e.at;
      } else if (e.kind === 'data') await this.#hunk?.update(e.bytes);
      else {
        const read = await this.#close();
        if (read && e.whole) spans.push({ start: this.#start, end: e.at });
      }
    }
    return spans;
  }

  /** Ends the hunk under way; true when its stream inflated whole. */
  async #close(): Promise<boolean> {
    const h = this.#hunk;
    this.#hunk = null;
    if (!h) return false;
    await h.finish();
    return h.decoded && h.settled;
  }

  abort(): void {
    this.#hunk?.abort();
    this.#hunk = null;
  }
}
