import { Workbooks } from '../marks/sheet-columns.js';
import { FindingTally } from './finding-tally.js';
import { buildPatterns, type MatchTag } from '../marks/marking-patterns.js';
import { PatternMatcher } from '../marks/pattern-matcher.js';
import type { ClamdTarget } from '../antivirus/clamd-client.js';
import type { DecodedAv } from '../antivirus/decoded-av.js';
import { ReadDecodings } from './read-decodings.js';

// What every content inspector of one transfer shares: the compiled
// patterns, the findings, and the budgets that bound archive expansion
// across all nesting levels (limits count bytes we actually produced, never
// what a header claims).

export interface Limits {
  maxDepth: number;
  maxMembers: number;
  maxExpandedBytes: number;
  maxRatio: number;
  /** Escapes within escapes (decoded views of decoded views) resolved before an inspection-limit finding. */
  maxDecode: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 5,
  maxMembers: 10_000,
  maxExpandedBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  maxDecode: 4,
};

/** Below this many expanded bytes a member's ratio is not judged (small files of zeros are normal). */
export const RATIO_GRACE_BYTES = 1024 * 1024;

/** Decoded base64 runs scanned by clamd per transfer; past it, av-unavailable (fail closed). */
export const MAX_EXTRA_SCANS = 8;

const matchers = new Map<string, PatternMatcher<MatchTag>>();

/** Compiled once per keyword list and reused by every transfer. */
export function matcherFor(keywords: readonly string[] = []): PatternMatcher<MatchTag> {
  const key = keywords.join('\u0000');
  let m = matchers.get(key);
  if (!m) {
    m = new PatternMatcher(buildPatterns(keywords));
    if (matchers.size > 16) matchers.clear();
    matchers.set(key, m);
  }
  return m;
}

export class InspectContext {
  readonly tally = new FindingTally();
  readonly matcher: PatternMatcher<MatchTag>;
  readonly limits: Limits;
  members = 0;
  expanded = 0;
  /** clamd for content the top-level scan cannot see (decoded base64 runs); null: no antivirus. */
  av: ClamdTarget | null = null;
  /** clamd for what only Ferry's decoders produce (views, zstd); null: no antivirus. */
  decodedAv: DecodedAv | null = null;
  /** Separate clamd scans opened so far (bounded by MAX_EXTRA_SCANS). */
  extraScans = 0;
  /** Token decodings read with every view below them (read-decodings.ts). */
  readonly readDecodings = new ReadDecodings();
  /** An .xlsx's shared strings and sheets, read as members apart, for its 密级 columns (sheet-columns.ts). */
  readonly workbooks = new Workbooks();
  #limitHit = new Set<string>();

  constructor(keywords: readonly string[] | undefined, limits: Partial<Limits> | undefined) {
    this.matcher = matcherFor(keywords);
    this.limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(limits ?? {}).filter(([, v]) => v !== undefined)) };
  }

  /** Reports an archive limit once per (limit, path). */
  limit(subkind: string, path: string | undefined, detail: string): void {
    const key = `${subkind}\u0000${path ?? ''}`;
    if (this.#limitHit.has(key)) return;
    this.#limitHit.add(key);
    this.tally.add({ kind: 'archive-limit', subkind, path, detail });
  }

  /** An archive that cannot be walked on: a finding, unless the archive was only guessed at in a decoded view (speculative: its breaks are no findings). */
  archiveBroken(path: string | undefined, offset: number, detail: string, speculative = false): void {
    if (!speculative) this.tally.add({ kind: 'archive-broken', path, offset, detail });
  }

  /** Reports an inspection limit (nesting of decoded views and runs, time, memory) once per (limit, path). */
  inspectionLimit(subkind: string, path: string | undefined, detail: string): void {
    const key = `inspection\u0000${subkind}\u0000${path ?? ''}`;
    if (this.#limitHit.has(key)) return;
    this.#limitHit.add(key);
    this.tally.add({ kind: 'inspection-limit', subkind, path, detail });
  }

  /** Counts one more member or embedded run against the transfer-wide limit; false (the limit reported) once past it. */
  countMember(path?: string): boolean {
    if (++this.members <= this.limits.maxMembers) return true;
    this.limit('members', path, `more than ${this.limits.maxMembers} members and embedded runs; the rest were not inspected`);
    return false;
  }

  /** Counts expanded bytes against the transfer-wide budget; false once it is spent. */
  spend(n: number): boolean {
    this.expanded += n;
    if (this.expanded > this.limits.maxExpandedBytes) {
      this.limit('expanded-size', undefined, `archives expand past ${this.limits.maxExpandedBytes} bytes; the rest was not inspected`);
      return false;
    }
    return true;
  }
}

export function joinPath(parent: string | undefined, name: string): string {
  return parent ? `${parent}!/${name}` : name;
}
