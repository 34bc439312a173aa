import { DecompressHandler } from './decompress-handler.js';
import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { GitBinaryPatch } from '../decodings/git-binary-patch.js';
import { GitDeltaInserts } from './git-delta-inserts.js';
import { EntropyMeter } from '../opaque/entropy-meter.js';

// The hunks of a git binary patch (git-binary-patch.ts) inflated and inspected as they stream: a literal as the
// file it is (`<name> (git binary patch)`), a delta as what it inserts (`<name> (git delta)`, git-delta-inserts.ts),
// under the transfer's expansion budget and ratio limit (decompress-handler.ts). A zlib stream that does not
// inflate is no finding (a text that quotes a hunk); its lines are then judged as any text's. A hunk read whole
// vouches for its base-85 lines, which measure as random characters of 7 bits (opaque-regions.ts): its span is
// handed back so that the text's region meter passes over it (an ordinary binary patch of a picture was refused).

/**
 * Files whose bytes are compressed through and through (a picture, an archive, an office zip, audio and video, a
 * font): a delta of one inserts compressed bytes, random by nature and not to be inflated without the base, which
 * is the receiver's file. Told by the name the patch's `diff --git` line gives (fpfix4: a delta of a .png was
 * refused uninspectable).
 */
const COMPRESSED_NAME = /\.(?:png|jpe?g|gif|webp|avif|heic|tiff?|gz|tgz|zip|jar|apk|aar|whl|docx|xlsx|pptx|od[tspg]|epub|7z|xz|bz2|zst|br|mp3|mp4|m4a|mov|ogg|webm|woff2?|pdf)$/i;

export interface PatchSpan {
  start: number;
  end: number;
}

export class GitPatchReader {
  #ctx: InspectContext;
  #path: string | undefined;
  #depth: number;
  #open: (name: string, kind: 'content' | 'view') => Member;
  #patch = new GitBinaryPatch();
  #hunk: DecompressHandler | null = null;
  /** A delta of a compressed file under way: its inserts, and the meter of their bytes (#judgeDelta). */
  #delta: { inserts: GitDeltaInserts; meter: EntropyMeter; name: string } | null = null;
  #start = 0;
  #off = false;

  constructor(ctx: InspectContext, path: string | undefined, depth: number, open: (name: string, kind: 'content' | 'view') => Member) {
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
        const open = e.delta ? () => this.#inserts(e.name, name) : () => this.#open(name, 'content');
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

  /**
   * What a delta inserts, as content of its own (judged by its entropy as any content is); for a file the patch
   * names as compressed, read as text (a view: no judgement of its bytes) and judged here instead (#judgeDelta).
   */
  #inserts(file: string, name: string): Member {
    if (!COMPRESSED_NAME.test(file)) return new GitDeltaInserts(this.#open(name, 'content'));
    const meter = new EntropyMeter();
    const view = this.#open(name, 'view');
    const measured: Member = {
      update: (b) => (meter.write(b), view.update(b)),
      finish: () => view.finish(),
      abort: () => view.abort(),
    };
    const inserts = new GitDeltaInserts(measured);
    this.#delta = { inserts, meter, name };
    return inserts;
  }

  /**
   * A delta of a compressed file may insert compressed bytes, as long as it is a change to the base: it takes more
   * of the base into the result than it writes of its own, each byte of the base counted once (git-delta-inserts.ts,
   * fromBase: binfp, 2 Dec, a copy of 64 KiB is one byte, and 0x80 repeated let any cipher text through), and is a
   * delta git applies (its copies within the base's declared size, its result of its declared size). Random bytes
   * that make up most of the result are a file in disguise, not a patch of the one named: refused as any content of
   * random bytes is (fail-closed). What passes is bounded by the base's declared size (the receiver's file, not in
   * the patch): so much cipher text can ride in a delta of a file the patch names as compressed.
   */
  #judgeDelta(): void {
    const d = this.#delta;
    this.#delta = null;
    if (!d || !d.meter.opaque()) return;
    const base = d.inserts.fromBase();
    if (base >= d.inserts.inserted) return;
    this.#ctx.tally.add({ kind: 'uninspectable', subkind: 'application/octet-stream', path: this.#path, detail: `${d.name}: a delta that writes more compressed or encrypted bytes of its own (${d.inserts.inserted}) than it takes from the base (${base} bytes of it${base === 0 && d.inserts.copied ? ', its copies being none git applies' : ''}), in a form no inspector decodes` });
  }

  /** Ends the hunk under way; true when its stream inflated whole. */
  async #close(): Promise<boolean> {
    const h = this.#hunk;
    this.#hunk = null;
    if (!h) return false;
    await h.finish();
    this.#judgeDelta();
    return h.decoded && h.settled;
  }

  abort(): void {
    this.#hunk?.abort();
    this.#hunk = null;
    this.#delta = null;
  }
}
