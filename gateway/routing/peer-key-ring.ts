import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AuditSink } from '../audit/audit-sink.js';
import { parseVkey } from '../audit/signed-note.js';
import { writeFileDurably } from '../keys/durable-write.js';
import { checkHandOn, followHandOns, handOnsIn, type CheckedHandOn, type HandOn } from './key-history.js';

// The key hand-ons this gateway learned from its peers (key-history.ts), kept in
// data_dir/keys/peer-keys.json, each learning a `peer-key-learned` audit record
// written before the file. What is kept is the hand-ons, not keys: the keys
// trusted for a peer are derived at each use from the keys its operator lists
// for that use (peers.<name>.key for its relays and withdrawals, the route's key
// for its answers), so a key reached from a route's key does not open the peer's
// envelopes, and a key taken off the list takes what was derived from it along.
// A key hands on once: a second successor (a fork, the mark of a leaked retired
// key) is not followed. A peer listed with `follow_rotation: false`, or a next hop
// not listed as a peer, is trusted with its listed keys only. Bounded: past
// MAX_KEPT hand-ons a peer, its operator lists its current key.

/** Hand-ons kept a peer: with its listed key, 16 keys at most to try a signature with. */
export const MAX_KEPT = 15;

type Kept = Record<string, HandOn[]>;

export interface LearnedFrom {
  /** 'request': a request of the peer's (mutual TLS); 'answer': the next hop's answer to this gateway. */
  via: 'request' | 'answer';
  /** The remote address, or the route's URL. */
  from: string | null;
}

export class PeerKeyRing {
  readonly #file: string;
  readonly #audit: AuditSink;
  readonly #log: Logger;
  readonly #kept = new Map<string, CheckedHandOn[]>();
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
    let saved: Kept;
    try {
      saved = JSON.parse(text) as Kept;
    } catch (e) {
      throw new Error(`The keys learned for peers (${file}) cannot be read: ${(e as Error).message}. Remove the file to trust only the keys gateway.yaml lists.`);
    }
    for (const [name, list] of Object.entries(saved)) {
      // Checked again as read: a hand-on whose signatures do not hold is no trust, whatever wrote the file.
      const checked = (Array.isArray(list) ? list : []).map((h) => checkHandOn(h, `ferry.gateway/${name}`));
      const good = checked.filter((h): h is CheckedHandOn => h !== null);
      if (good.length !== checked.length) log.error({ peer: name, dropped: checked.length - good.length, file }, 'hand-ons in the learned peer keys whose signatures do not hold were dropped');
      this.#kept.set(name, good.slice(0, MAX_KEPT));
    }
  }

  /** The keys to check a peer's signatures with: those listed for this use, then those they handed on to (when followed). */
  keysOf(name: string, listed: readonly KeyObject[], follow: boolean): KeyObject[] {
    const kept = follow ? this.#kept.get(name) : undefined;
    if (!kept?.length) return [...listed];
    return [...listed, ...followHandOns(kept, listed).map((h) => h.key)];
  }

  /**
   * Learns what a peer's key-history header hands on to from the keys listed for this use; resolves once what
   * was learned is recorded and durable (before any signature is checked with it). The number of keys learned.
   */
  learn(name: string, listed: readonly KeyObject[], header: unknown, follow: boolean, at: LearnedFrom): Promise<number> {
    if (!follow || typeof header !== 'string') return Promise.resolve(0);
    const run = this.#chain.then(() => this.#learnNow(name, listed, header, at));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #learnNow(name: string, listed: readonly KeyObject[], header: string, at: LearnedFrom): Promise<number> {
    const origin = `ferry.gateway/${name}`;
    const offered = handOnsIn(header, origin).map((h) => checkHandOn(h, origin)).filter((h): h is CheckedHandOn => h !== null);
    if (offered.length === 0) return 0;
    const kept = this.#kept.get(name) ?? [];
    const raw = (k: KeyObject): string => k.export({ format: 'der', type: 'spki' }).toString('base64');
    const handedOn = new Map(kept.map((h) => [raw(parseVkey(h.handOn.old_key).publicKey), raw(h.key)]));
    const forks: HandOn[] = [];
    const found = followHandOns(offered, this.keysOf(name, listed, true), handedOn, (h) => forks.push(h));
    if (forks.length) {
      this.#log.error({ peer: name, forks: forks.map((h) => ({ old_key: h.old_key, new_key: h.new_key })), ...at }, 'a peer key handed on to a second successor (a fork: its old key may have leaked); not followed');
    }
    if (found.length === 0) return 0;
    if (kept.length + found.length > MAX_KEPT) {
      this.#log.error({ peer: name, kept: kept.length, offered: found.length }, `a peer handed its keys on more than ${MAX_KEPT} times: not followed further; list its current key in gateway.yaml`);
      return 0;
    }
    // The record first: a key trusted without its record would be trust no one can account for.
    await this.#audit.append({
      event: 'peer-key-learned', principal: `ferry://gateway/${name}`,
      details: { peer: name, hand_ons: found.map((f) => f.handOn), via: at.via, from: at.from },
    });
    const next = [...kept, ...found];
    const all = new Map(this.#kept);
    all.set(name, next);
    const file: Kept = Object.fromEntries([...all].map(([n, l]) => [n, l.map((h) => h.handOn)]));
    await writeFileDurably(this.#file, Buffer.from(JSON.stringify(file, null, 2) + '\n'), 0o644);
    this.#kept.set(name, next);
    this.#log.warn({ peer: name, keys: found.map((f) => f.vkey), via: at.via }, 'a peer rotated its keys: its new key was learned from its signed hand-on');
    return found.length;
  }
}
