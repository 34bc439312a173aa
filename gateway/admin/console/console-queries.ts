// What the console reads from the audit log, through its own instance of the
// audit storage port (read-only, never the writer's). Every read walks an index
// and stops at its LIMIT or at a seq range found by two index seeks, so a page
// costs the same on a log of ten thousand records or of ten million. The lists
// (search, a transfer's records, the administrators' actions) read the sealed
// segments too, newest first, a page at a time (log-pages.ts); the counts of
// the overview and the policy page sum every file their window reaches.
import type { AuditStorage } from '../../audit/audit-storage.js';
import { openAuditStorage } from '../../audit/open-audit-storage.js';
import { auditRecordPages, toAuditRecord, type AuditRecord, type RecordFilter } from '../../audit/read-records.js';
import { queryLog } from '../../audit/query-segments.js';
import { cursorText, parseCursor, walkNewestFirst, walkSince } from './log-pages.js';

export const PAGE_SIZE = 50;
/** The administrators' actions, a page at a time (the console's audit page; the API's default). */
export const ADMIN_ACTIONS_PAGE = 100;
/** The most the API hands out in one page of administrators' actions. */
export const ADMIN_ACTIONS_MAX = 500;

/** One page of records, newest first; `next` is the cursor of the page after it (null: none; log-pages.ts). */
export interface Page {
  rows: AuditRecord[];
  next: string | null;
  windowFrom: number | null;
}
/**
 * A finding kind or a refusal code is inside each record's JSON details, with
 * no index: a search for one examines at most this many records, counted back from the
 * end of its time range (or of the log), so that a kind that never occurs
 * costs a bounded walk, not the whole log.
 */
export const FINDING_WINDOW = 100_000;

export interface Overview {
  since: string;
  events: Record<string, number>;
  byHour: Array<{ hour: string; decided: number; denied: number }>;
  deniedByRule: Array<{ rule: string; n: number }>;
  deniedByFinding: Array<{ kind: string; n: number }>;
  records: number;
}

export interface Checkpoint {
  size: number;
  time: string | null;
  note: string;
}

export class ConsoleQueries {
  readonly #opening: Promise<AuditStorage>;
  #path: string;

  /** Opens the log at once; a path that is not one is said at the first question. */
  constructor(dbPath: string) {
    this.#path = dbPath;
    this.#opening = openAuditStorage(dbPath);
    this.#opening.catch(() => undefined); // said when asked, not as an unhandled rejection
  }

  async close(): Promise<void> {
    const log = await this.#opening.catch(() => null);
    await log?.close();
  }

  /** The first seq at or after `iso` (the end of the log when none). */
  async #seqAt(iso: string, log?: AuditStorage): Promise<number> {
    const at = log ?? await this.#opening;
    return (await at.firstSeqAt(iso)) ?? (await at.maxSeq()) + 1;
  }

  async records(): Promise<number> {
    return (await this.#opening).maxSeq();
  }

  /** The last `hours` hours: events, decisions per hour, refusals by rule and by finding kind, over every segment the window reaches. */
  async overview(hours = 24, now = Date.now()): Promise<Overview> {
    const since = new Date(now - hours * 3_600_000).toISOString();
    const events: Record<string, number> = {};
    const byHour = new Map<string, { hour: string; decided: number; denied: number }>();
    const byRule = new Map<string, number>();
    const byFinding = new Map<string, number>();
    await walkSince(this.#path, await this.#opening, since, async (log, from) => {
      for (const [event, n] of Object.entries(await log.eventCounts(from))) events[event] = (events[event] ?? 0) + n;
      for (const h of await log.decisionsByHour(from)) {
        const at = byHour.get(h.hour) ?? { hour: h.hour, decided: 0, denied: 0 };
        at.decided += h.decided;
        at.denied += h.denied;
        byHour.set(h.hour, at);
      }
      // Every rule and kind of each file (a policy has a bounded number), so the top twenty of the sum is right.
      for (const r of await log.refusalsByRule(from, SUMMED)) add(byRule, r.rule, r.n);
      for (const f of await log.denyingFindings(from, SUMMED)) add(byFinding, f.kind, f.n);
    });
    return {
      since,
      events,
      byHour: [...byHour.values()].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0)),
      deniedByRule: top(byRule).map(([rule, n]) => ({ rule, n })),
      deniedByFinding: top(byFinding).map(([kind, n]) => ({ kind, n })),
      records: await this.records(),
    };
  }

  /**
   * One page of records, newest first, across the live file and the sealed
   * segments; `before` is the cursor the previous page ended at. A search by
   * finding kind or refusal code walks at most FINDING_WINDOW records in all,
   * counted back from the cursor (or the end of its time range, or the log),
   * whichever files they lie in; the next page goes on from where it stopped.
   */
  async search(filter: RecordFilter, before?: string): Promise<Page> {
    // One transfer: a handful of records, in whichever segments hold them (sealed ones too), one page.
    if (filter.transferId !== undefined && before === undefined) {
      return { rows: await collect(queryLog(this.#path, { ...filter, limit: PAGE_SIZE, descending: true })), next: null, windowFrom: null };
    }
    const windowed = (filter.findingKind !== undefined || filter.code !== undefined) && filter.transferId === undefined;
    const rows: AuditRecord[] = [];
    let next: string | null = null;
    let windowFrom: number | null = null;
    let budget = FINDING_WINDOW;
    await walkNewestFirst(this.#path, await this.#opening, this.#cursor(before), async (log, part, beforeSeq) => {
      const f: RecordFilter = { ...filter, ...(beforeSeq ? { beforeSeq } : {}), limit: PAGE_SIZE - rows.length, descending: true };
      let from = 0;
      if (windowed) {
        const end = Math.min(beforeSeq ?? Infinity, filter.until !== undefined ? await this.#seqAt(filter.until, log) : (await log.maxSeq()) + 1);
        from = Math.max(0, end - budget - 1);
        budget -= Math.max(0, end - 1 - from);
        windowFrom = from;
        f.afterSeq = Math.max(filter.afterSeq ?? 0, from);
      }
      for await (const page of auditRecordPages(log, f)) rows.push(...page);
      if (rows.length === PAGE_SIZE) next = cursorText({ segment: part.segment, seq: rows[rows.length - 1]!.seq });
      // The window ended inside this file: the next page walks on from there.
      else if (from > 0) next = cursorText({ segment: part.segment, seq: from + 1 });
      return next !== null;
    });
    return { rows, next, windowFrom };
  }

  #cursor(before: string | undefined): ReturnType<typeof parseCursor> {
    if (before === undefined) return null;
    const at = parseCursor(before);
    if (!at) throw new RangeError(`'${before.slice(0, 40)}' is not the cursor of a page`);
    return at;
  }

  /** One transfer's records, from the sealed segments beside the live log too (a transfer may straddle a seal). */
  async transfer(id: string, withoutAdmin = true): Promise<AuditRecord[]> {
    return collect(queryLog(this.#path, { transferId: id, withoutAdmin, limit: 1000 }));
  }

  /**
   * The administrators' own actions (and the policy loads they caused), newest
   * first, a page at a time: `before` is the previous page's `next` (a seq).
   * Walks the (event, seq) index backwards, so any page costs the same.
   */
  async adminActions(limit = ADMIN_ACTIONS_PAGE, before?: string): Promise<{ rows: AuditRecord[]; next: string | null }> {
    const n = Math.max(1, Math.min(ADMIN_ACTIONS_MAX, Math.floor(limit)));
    const rows: AuditRecord[] = [];
    let next: string | null = null;
    await walkNewestFirst(this.#path, await this.#opening, this.#cursor(before), async (log, part, beforeSeq) => {
      rows.push(...(await log.adminActions(beforeSeq ?? Number.MAX_SAFE_INTEGER, n - rows.length)).map(toAuditRecord));
      if (rows.length === n) next = cursorText({ segment: part.segment, seq: rows[n - 1]!.seq });
      return next !== null;
    });
    return { rows, next };
  }

  /** How many decisions named each rule over the last `days` days (the policy page's hit counts), every segment the window reaches. */
  async ruleHits(days = 30, now = Date.now()): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await walkSince(this.#path, await this.#opening, new Date(now - days * 86_400_000).toISOString(), async (log, from) => {
      for (const r of await log.decisionsByRule(from)) add(out, r.rule, r.n);
    });
    return out;
  }

  /** How often each shadow rule matched over the last `days` days, by the effect it would have had. */
  async shadowHits(days = 30, now = Date.now()): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    await walkSince(this.#path, await this.#opening, new Date(now - days * 86_400_000).toISOString(), async (log, from) => {
      for (const r of await log.shadowMatches(from)) {
        const was = out.get(r.rule) ?? {};
        out.set(r.rule, { ...was, [r.effect]: (was[r.effect] ?? 0) + r.n });
      }
    });
    return out;
  }

  async latestCheckpoint(): Promise<Checkpoint | null> {
    const log = await this.#opening;
    const cp = await log.latestCheckpoint();
    if (!cp) return null;
    let time: string | null = null;
    if (cp.size > 0) for await (const r of log.records({ afterSeq: cp.size - 1, beforeSeq: cp.size + 1 })) time = r.time;
    return { size: cp.size, time, note: cp.note };
  }

  /** The log itself, for the evidence export (console-evidence.ts). */
  log(): Promise<AuditStorage> {
    return this.#opening;
  }
}

/** Per-file rows asked for when they are summed across files: more than any policy's rules or the finding kinds. */
const SUMMED = 10_000;
const TOP = 20;

function add(m: Map<string, number>, key: string, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

function top(m: Map<string, number>): Array<[string, number]> {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
