import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AuditSink } from '../audit/audit-sink.js';
import { parseVkey } from '../audit/signed-note.js';
import { writeFileDurably } from '../keys/durable-write.js';
import { followKeyHistory } from './key-history.js';

// The keys this gateway learned for its peers from their key hand-ons
// (key-history.ts), beside the ones its operator listed (peers.<name>.key,
// routes.<network>.key). Kept in data_dir/keys/peer-keys.json, written durably
// before a learned key is used, and each learning is a `peer-key-learned`
// audit record with the hand-on, so a security team sees when and why a key
// came to be trusted. A peer listed with `follow_rotation: false` learns nothing.

type Learned = Record<string, string[]>;

export class PeerKeyRing {
  readonly #file: string;
  readonly #audit: AuditSink;
  readonly #log: Logger;
  readonly #learned = new Map<string, KeyObject[]>();
  #vkeys: Learned = {};
  /** One learning at a time: two answers carrying the same hand-on learn it once. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(file: string, audit: AuditSink, log: Logger) {
    this.#file = file;
    this.#audit = audit;
    this.#log = log;
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === null) return;
    try {
      const saved = JSON.parse(text) as Learned;
      for (const [name, list] of Object.entries(saved)) {
        this.#learned.set(name, list.map((v) => parseVkey(v).publicKey));
        this.#vkeys[name] = list;
      }
    } catch (e) {
      throw new Error(`The keys learned for peers (${file}) cannot be read: ${(e as Error).message}. Remove the file to trust only the keys gateway.yaml lists.`);
    }
  }

  /** The keys to check a peer's signatures with: those listed, then those learned. */
  keysOf(name: string, listed: readonly KeyObject[]): KeyObject[] {
    const learned = this.#learned.get(name);
    return learned ? [...listed, ...learned.filter((k) => !listed.some((l) => l.equals(k)))] : [...listed];
  }

  /**
   * Learns what a peer's key-history header hands on to from the keys trusted for it; resolves once what was
   * learned is durable and recorded (before any signature is checked with it). The number of keys learned.
   */
  learn(name: string, listed: readonly KeyObject[], header: unknown, follow: boolean): Promise<number> {
    if (!follow || typeof header !== 'string') return Promise.resolve(0);
    const run = this.#chain.then(() => this.#learnNow(name, listed, header));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #learnNow(name: string, listed: readonly KeyObject[], header: string): Promise<number> {
    const found = followKeyHistory(header, `ferry.gateway/${name}`, this.keysOf(name, listed));
    if (found.length === 0) return 0;
    const next: Learned = { ...this.#vkeys, [name]: [...(this.#vkeys[name] ?? []), ...found.map((f) => f.vkey)] };
    await writeFileDurably(this.#file, Buffer.from(JSON.stringify(next, null, 2) + '\n'), 0o644);
    await this.#audit.append({
      event: 'peer-key-learned', principal: `ferry://gateway/${name}`,
      details: { peer: name, hand_ons: found.map((f) => f.handOn) },
    });
    this.#vkeys = next;
    this.#learned.set(name, [...(this.#learned.get(name) ?? []), ...found.map((f) => f.key)]);
    this.#log.warn({ peer: name, keys: found.map((f) => f.vkey) }, 'a peer rotated its keys: its new key was learned from its signed hand-on');
    return found.length;
  }
}
