// What the console reads from the audit log, through its own instance of the
// audit storage port (read-only, never the writer's). Every read walks an index
// and stops at its LIMIT or at a seq range found by two index seeks, so a page
// costs the same on a log of ten thousand records or of ten million.
import type { AuditStorage } from '../../audit/audit-storage.js';
import { openAuditStorage } from '../../audit/open-audit-storage.js';
import { auditRecords, toAuditRecord, type AuditRecord, type RecordFilter } from '../../audit/read-records.js';
import { queryLog } from '../../audit/query-segments.js';

export const PAGE_SIZE = 50;
/** The administrators' actions, a page at a time (the console's audit page; the API's default). */
export const ADMIN_ACTIONS_PAGE = 100;
/** The most the API hands out in one page of administrators' actions. */
export const ADMIN_ACTIONS_MAX = 500;

/** One page of records, newest first; `next` is the cursor of the page after it (null: none). */
export interface Page {
  rows: AuditRecord[];
  next: number | null;
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
  async #seqAt(iso: string): Promise<number> {
    return (await (await this.#opening).firstSeqAt(iso)) ?? (await this.records()) + 1;
  }

  async records(): Promise<number> {
    return (await this.#opening).maxSeq();
  }

  /** The last `hours` hours: events, decisions per hour, refusals by rule and by finding kind. */
  async overview(hours = 24, now = Date.now()): Promise<Overview> {
    const log = await this.#opening;
    const since = new Date(now - hours * 3_600_000).toISOString();
    const from = await this.#seqAt(since);
    const events = await log.eventCounts(from);
    const byHour = await log.decisionsByHour(from);
    const deniedByRule = await log.refusalsByRule(from, 20);
    const deniedByFinding = await log.denyingFindings(from, 20);
    return { since, events, byHour, deniedByRule, deniedByFinding, records: await this.records() };
  }

  /** One page of records, newest first; `before` is the seq the previous page ended at. */
  async search(filter: RecordFilter, before?: number): Promise<Page> {
    // One transfer: a handful of records, in whichever segments hold them (sealed ones too), one page.
    if (filter.transferId !== undefined && before === undefined) {
      return { rows: await collect(queryLog(this.#path, { ...filter, limit: PAGE_SIZE, descending: true })), next: null, windowFrom: null };
    }
    let windowFrom: number | null = null;
    const f: RecordFilter = { ...filter, ...(before ? { beforeSeq: before } : {}), limit: PAGE_SIZE, descending: true };
    if ((filter.findingKind !== undefined || filter.code !== undefined) && filter.transferId === undefined) {
      const end = Math.min(before ?? Infinity, filter.until !== undefined ? await this.#seqAt(filter.until) : (await this.records()) + 1);
      windowFrom = Math.max(0, end - FINDING_WINDOW - 1);
      f.afterSeq = Math.max(filter.afterSeq ?? 0, windowFrom);
    }
    const rows = await collect(auditRecords(await this.#opening, f));
    const next = rows.length === PAGE_SIZE ? rows[rows.length - 1]!.seq : windowFrom ? windowFrom + 1 : null;
    return { rows, next, windowFrom };
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
  async adminActions(limit = ADMIN_ACTIONS_PAGE, before = Number.MAX_SAFE_INTEGER): Promise<{ rows: AuditRecord[]; next: number | null }> {
    const n = Math.max(1, Math.min(ADMIN_ACTIONS_MAX, Math.floor(limit)));
    const rows = (await (await this.#opening).adminActions(before, n)).map(toAuditRecord);
    return { rows, next: rows.length === n ? rows[n - 1]!.seq : null };
  }

  /** How many decisions named each rule over the last `days` days (the policy page's hit counts). */
  async ruleHits(days = 30, now = Date.now()): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const from = await this.#seqAt(new Date(now - days * 86_400_000).toISOString());
    for (const r of await (await this.#opening).decisionsByRule(from)) out.set(r.rule, r.n);
    return out;
  }

  /** How often each shadow rule matched over the last `days` days, by the effect it would have had. */
  async shadowHits(days = 30, now = Date.now()): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    const from = await this.#seqAt(new Date(now - days * 86_400_000).toISOString());
    for (const r of await (await this.#opening).shadowMatches(from)) out.set(r.rule, { ...out.get(r.rule), [r.effect]: r.n });
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

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
