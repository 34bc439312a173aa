// The files a yEnc text's blocks write (yenc-decoder.ts), with a post's parts joined in part order wherever they
// stand in the text, as a newsreader joins them (review13: part 2 before part 1, a marking cut between them, was
// read as two files and crossed). Each post (`name`, `total`) has a file open from its next part on; a part that
// comes before its turn is held, decoded, until the parts before it are read. Bounded: MAX_POSTS posts open at
// once and MAX_HELD bytes held; past either a `limit` event (inspection-limit:yenc-parts), and what is held is
// read as it stands (never dropped).

export type YencEvent =
  | { kind: 'open'; file: number; name: string }
  | { kind: 'data'; file: number; bytes: Buffer }
  | { kind: 'close'; file: number }
  | { kind: 'limit'; detail: string };

export const MAX_POSTS = 16;
export const MAX_HELD = 4 * 1024 * 1024;
const PIECE = 64 * 1024;

interface Post {
  key: string;
  name: string;
  total: number;
  /** The part whose data goes on in `file` next. */
  next: number;
  file: number | null;
  /** Parts that came before their turn, decoded. */
  held: Map<number, Buffer[]>;
  /** Past a bound: its parts are read in the order they come, into its file. */
  spilled: boolean;
}

/** Where the block under way writes: a file of its own, a post's file, or a held part. */
type Target = { kind: 'file'; file: number; post: Post | null } | { kind: 'hold'; post: Post; part: number } | null;

export class YencPosts {
  #posts = new Map<string, Post>();
  #files = 0;
  #held = 0;
  #target: Target = null;

  /** A block begins (its =ybegin): part 0 is a block of no post. */
  begin(name: string, part: number, total: number, ev: YencEvent[]): void {
    const label = name ? `${name} (yenc)` : '(yenc)';
    if (part < 1 || total < 2 || part > total) return void (this.#target = { kind: 'file', file: this.#open(label, ev), post: null });
    const key = `${name}\u0000${total}`;
    let post = this.#posts.get(key);
    if (!post) {
      if (this.#posts.size >= MAX_POSTS) {
        ev.push({ kind: 'limit', detail: `more than ${MAX_POSTS} yEnc posts open at once; the oldest was read as far as it went` });
        const [oldKey, old] = this.#posts.entries().next().value as [string, Post];
        this.#posts.delete(oldKey);
        this.#close(old, ev);
      }
      post = { key, name: label, total, next: 1, file: null, held: new Map(), spilled: false };
      this.#posts.set(key, post);
    }
    if (post.spilled || part === post.next) {
      post.file ??= this.#open(label, ev);
      this.#target = { kind: 'file', file: post.file, post };
    } else if (part > post.next && !post.held.has(part)) {
      post.held.set(part, []);
      this.#target = { kind: 'hold', post, part };
    } else this.#target = { kind: 'file', file: this.#open(label, ev), post: null }; // a part again: read apart
  }

  data(bytes: Buffer, ev: YencEvent[]): void {
    const t = this.#target;
    if (!t) return;
    if (t.kind === 'file') return void ev.push({ kind: 'data', file: t.file, bytes });
    t.post.held.get(t.part)!.push(Buffer.from(bytes));
    this.#held += bytes.length;
    if (this.#held <= MAX_HELD) return;
    ev.push({ kind: 'limit', detail: `yEnc parts out of order hold more than ${MAX_HELD} bytes; read in the order they come` });
    this.#spill(t.post, ev);
  }

  /** The block under way ends (its =yend, or another block's =ybegin). */
  end(ev: YencEvent[]): void {
    const t = this.#target;
    this.#target = null;
    if (!t) return;
    if (t.kind === 'hold') return;
    const post = t.post;
    if (!post) return void ev.push({ kind: 'close', file: t.file });
    if (post.spilled) return;
    post.next++;
    for (let part = post.held.get(post.next); part; part = post.held.get(post.next)) {
      this.#give(post, post.next, ev);
      post.next++;
    }
    if (post.next > post.total) {
      this.#posts.delete(post.key);
      this.#close(post, ev);
    }
  }

  /** The end of the text: every file open is closed, and parts held are read as they stand. */
  finish(ev: YencEvent[]): void {
    if (this.#target) this.end(ev);
    for (const post of this.#posts.values()) this.#close(post, ev);
    this.#posts.clear();
  }

  #open(name: string, ev: YencEvent[]): number {
    const file = ++this.#files;
    ev.push({ kind: 'open', file, name });
    return file;
  }

  /** A held part's data into its post's file. */
  #give(post: Post, part: number, ev: YencEvent[]): void {
    const held = post.held.get(part)!;
    post.held.delete(part);
    post.file ??= this.#open(post.name, ev);
    // Given in pieces of up to PIECE bytes, not line by line: the file reads a piece at a time.
    for (let i = 0; i < held.length; ) {
      const piece: Buffer[] = [];
      let n = 0;
      for (; i < held.length && n < PIECE; i++) {
        piece.push(held[i]!);
        n += held[i]!.length;
      }
      this.#held -= n;
      ev.push({ kind: 'data', file: post.file, bytes: Buffer.concat(piece) });
    }
  }

  /** Past the bound: what the post holds goes to its file in part order, and its parts from now on as they come. */
  #spill(post: Post, ev: YencEvent[]): void {
    post.spilled = true;
    for (const part of [...post.held.keys()].sort((a, b) => a - b)) this.#give(post, part, ev);
    if (this.#target?.kind === 'hold' && this.#target.post === post) this.#target = { kind: 'file', file: post.file!, post };
  }

  /** A post ends: its file, then the parts it still holds (the ones before them never came), joined in part order. */
  #close(post: Post, ev: YencEvent[]): void {
    if (post.file !== null) ev.push({ kind: 'close', file: post.file });
    post.file = null;
    if (!post.held.size) return;
    for (const part of [...post.held.keys()].sort((a, b) => a - b)) this.#give(post, part, ev);
    ev.push({ kind: 'close', file: post.file! });
    post.file = null;
  }
}
