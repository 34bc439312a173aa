// Transfers (sysadmin, auditor): the filters of `ferry log query`, a page of
// records newest first, and one transfer's timeline with its rule, its
// findings (masked samples only: the inspectors never keep raw personal
// data) and its receipts, each signature checked.
import { messages } from '../../../i18n/catalogue.js';
import { FINDING_KINDS, isFindingKind, type Finding } from '../../../protocol/findings.js';
import { AUDIT_EVENTS } from '../../../protocol/audit-events.js';
import { verifyReceipt, type Receipt } from '../../../protocol/receipt.js';
import type { AuditRecord, RecordFilter } from '../../audit/read-records.js';
import { normaliseTime } from '../../audit/read-records.js';
import { maskText } from '../../log/mask.js';
import { html, type Html } from './html.js';
import { FINDING_WINDOW } from './console-queries.js';
import { named, table, when, shortId, type View } from './console-view.js';

export const FILTER_FIELDS = ['since', 'until', 'source', 'destination', 'event', 'verdict', 'rule', 'finding', 'code', 'transfer'] as const;
export type FilterForm = Partial<Record<(typeof FILTER_FIELDS)[number], string>>;

/** The administrators' own records: only the auditor reads them (three-role separation). */
export const ADMIN_EVENTS: readonly string[] = ['admin-action', 'policy-loaded'];

/** The events a role may search for. */
export function eventsFor(auditor: boolean): readonly string[] {
  return auditor ? AUDIT_EVENTS : AUDIT_EVENTS.filter((e) => !ADMIN_EVENTS.includes(e));
}

/** The form's values to a filter; a bad value is dropped with its field named. Only the auditor's filter reaches administrators' records. */
export function toFilter(q: URLSearchParams, auditor: boolean, now = Date.now()): { form: FilterForm; filter: RecordFilter; bad: string[] } {
  const form: FilterForm = {};
  const filter: RecordFilter = auditor ? {} : { withoutAdmin: true };
  const bad: string[] = [];
  for (const k of FILTER_FIELDS) {
    const v = q.get(k)?.trim();
    if (!v) continue;
    form[k] = v.slice(0, 200);
    try {
      if (k === 'since' || k === 'until') {
        const rel = /^(\d{1,4})([hd])$/.exec(v);
        filter[k] = rel ? new Date(now - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000)).toISOString() : normaliseTime(v);
      } else if (k === 'finding') {
        if (!isFindingKind(v)) throw new Error();
        filter.findingKind = v;
      } else if (k === 'event') {
        if (!eventsFor(auditor).includes(v)) throw new Error();
        filter.event = v;
      } else if (k === 'verdict') {
        if (v !== 'allow' && v !== 'deny') throw new Error();
        filter.verdict = v;
      } else if (k === 'transfer') filter.transferId = v;
      else filter[k] = v;
    } catch {
      bad.push(k);
    }
  }
  return { form, filter, bad };
}

function findingsOf(r: AuditRecord): Finding[] {
  const f = r.details?.findings;
  return Array.isArray(f) ? (f as Finding[]) : [];
}

function findingName(v: View, kind: string): string | undefined {
  return isFindingKind(kind) ? messages(v.locale).findings.kinds[kind] : undefined;
}

function summary(v: View, r: AuditRecord): Html {
  const d = r.details ?? {};
  const kinds = [...new Set(findingsOf(r).map((f) => f.kind))];
  const codeName = typeof d.code === 'string' ? (messages(v.locale).errors as Record<string, { title: string } | undefined>)[d.code]?.title : undefined;
  return html`${typeof d.code === 'string' ? html`${named(codeName, d.code)} ` : ''}${typeof d.reason === 'string' ? d.reason : ''}${kinds.length ? html` ${kinds.map((k) => html`<span class="bad">${named(findingName(v, k), k)}</span> `)}` : ''}${typeof d.action === 'string' ? named((v.m.actions as Record<string, string>)[d.action], d.action) : ''}`;
}

function select(name: string, label: string, value: string | undefined, options: Array<[string, string]>, any: string): Html {
  return html`<label>${label}<select name="${name}"><option value="">${any}</option>${options.map(([k, text]) => html`<option value="${k}"${k === value ? html` selected` : ''}>${text}</option>`)}</select></label>`;
}

export function transfersPage(v: View, form: FilterForm, bad: string[], page: { rows: AuditRecord[]; next: string | null; windowFrom: number | null }): Html {
  const m = v.m.transfers;
  const text = (k: keyof FilterForm, label: string, placeholder = '') =>
    html`<label>${label}<input name="${k}" value="${form[k] ?? ''}" placeholder="${placeholder}"${bad.includes(k) ? html` aria-invalid="true" class="bad"` : ''}></label>`;
  const events = v.m.events as Record<string, string>;
  const q = new URLSearchParams(Object.entries(form) as [string, string][]);
  if (page.next !== null) q.set('before', String(page.next));
  return html`<section><h2>${m.filters}</h2>
<form class="filters" method="get" action="/console/transfers" role="search">
${text('since', m.since, '24h · 2026-11-29T08:00:00Z')}${text('until', m.until)}${text('source', m.source, 'police/sys1')}${text('destination', m.destination, 'extranet/archive')}
${select('event', m.event, form.event, eventsFor(v.who.role === 'auditor').map((e) => [e, `${events[e]} (${e})`]), v.m.any)}
${select('verdict', m.verdict, form.verdict, [['allow', `${v.m.verdicts.allow} (allow)`], ['deny', `${v.m.verdicts.deny} (deny)`]], v.m.any)}
${text('rule', m.rule)}
${select('finding', m.finding, form.finding, FINDING_KINDS.map((k) => [k, `${findingName(v, k)} (${k})`]), v.m.any)}
${text('code', m.code, 'FERRY_CONTENT_DENIED')}${text('transfer', m.transfer)}
<div><button type="submit">${m.search}</button> <a href="/console/transfers">${m.reset}</a></div>
</form></section>
${page.windowFrom !== null ? html`<p class="notice" role="status">${v.t('transfers.window', { n: FINDING_WINDOW.toLocaleString(v.locale) })}</p>` : ''}
${table(v.t('transfers.shown', { n: page.rows.length }), [m.seq, m.time, m.event, m.transfer, m.source, m.destination, m.verdict, m.rule, m.details], page.rows.map((r) => [
    r.seq, when(v, r.time), named(events[r.event], r.event),
    r.transferId ? html`<a href="/console/transfers/${r.transferId}">${shortId(r.transferId)}</a>` : '–',
    r.source ?? r.principal ?? '–', r.destination ?? '–',
    r.verdict ? html`<span class="${r.verdict === 'deny' ? 'bad' : 'good'}">${named((v.m.verdicts as Record<string, string>)[r.verdict], r.verdict)}</span>` : '–',
    r.rule ? html`<code>${r.rule}</code>` : '–', summary(v, r),
  ]), m.nothing)}
<p class="pager">${form.transfer || q.has('before') ? html`<a href="/console/transfers">${m.newest}</a>` : ''}${page.next !== null ? html`<a href="/console/transfers?${q.toString()}" rel="next">${m.older}</a>` : ''}</p>`;
}

export interface ReceiptCheck {
  receipt: Receipt | null;
  ok: boolean;
}

/** `keys`: the gateway's signing key and those it retired (a receipt from before a key rotation still checks). */
export function checkReceipt(r: Receipt | null, keys: import('node:crypto').KeyObject | import('node:crypto').KeyObject[]): ReceiptCheck {
  if (!r) return { receipt: null, ok: false };
  try {
    return { receipt: r, ok: (Array.isArray(keys) ? keys : [keys]).some((k) => verifyReceipt(r, k)) };
  } catch {
    return { receipt: null, ok: false };
  }
}

/** `path`: the transfer's path across gateways (page-transfer-hops.ts), shown after its timeline here. */
export function transferPage(v: View, id: string, records: AuditRecord[], receipts: { accepted: ReceiptCheck; delivered: ReceiptCheck }, path: Html = html``): Html {
  const m = v.m.transfers;
  const events = v.m.events as Record<string, string>;
  const findings = records.filter((r) => r.event === 'decided' || r.event === 'inspected' || r.event === 'accepted').flatMap(findingsOf);
  const seen = new Set<string>();
  // Masked again here: records written before findings were masked at the source still hold member names whole.
  const unique = findings.filter((f) => {
    const k = JSON.stringify(f);
    return seen.has(k) ? false : (seen.add(k), true);
  });
  const receipt = (label: string, c: ReceiptCheck) => [label, c.receipt
    ? html`<span class="${c.ok ? 'good' : 'bad'}">${c.ok ? m.verified : m.notVerified}</span> <code>${c.receipt.key_id}</code> <code>${c.receipt.sha256?.slice(0, 16)}…</code>`
    : html`<span class="empty">${m.noReceipt}</span>`];
  return html`<p><a href="/console/transfers">${m.back}</a></p>
${table(v.t('transfers.timeline', { id }), [m.seq, m.time, m.event, m.principal, m.verdict, m.rule, m.size, m.details], records.map((r) => [
    r.seq, when(v, r.time), named(events[r.event], r.event), r.principal ?? '–',
    r.verdict ? html`<span class="${r.verdict === 'deny' ? 'bad' : 'good'}">${named((v.m.verdicts as Record<string, string>)[r.verdict], r.verdict)}</span>` : '–',
    r.rule ? html`<code>${r.rule}</code>` : '–', r.size ?? '–', summary(v, r),
  ]), v.m.notFound.body)}
${path}
${table(m.findings, [m.finding, m.subkind, m.sample, m.offset, m.where], unique.map((f) => [
    named(findingName(v, f.kind), f.kind), f.subkind ? named(f.kind === 'personal-data' ? (messages(v.locale).findings.personalData as Record<string, string>)[f.subkind] : undefined, f.subkind) : '–',
    f.sample ? html`<code>${f.sample}</code>` : '–', f.offset ?? '–', f.path ? maskText(f.path) : '–',
  ]), v.m.none)}
${table(m.receipts, [m.receipts, m.signature], [receipt(m.receiptAccepted, receipts.accepted), receipt(m.receiptDelivered, receipts.delivered)], v.m.none)}`;
}
