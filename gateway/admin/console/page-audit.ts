// Audit (auditor): the latest signed checkpoint, `ferry log verify` run from
// the page with its result and when it last ran, an export of a time range
// with inclusion proofs, and the administrators' own actions.
import { messages } from '../../../i18n/catalogue.js';
import type { AuditRecord } from '../../audit/read-records.js';
import type { VerifyReport } from '../../audit/verify.js';
import type { Checkpoint } from './console-queries.js';
import { html, type Html } from './html.js';
import { csrfField, named, table, when, whenText, type View } from './console-view.js';

export interface LastVerify {
  report: VerifyReport;
  at: string;
  by: string;
}

function verifyResult(v: View, last: LastVerify | null): Html {
  if (!last) return html`<p class="empty" id="verify-result">${v.m.audit.verifyNever}</p>`;
  const r = last.report;
  const text = r.ok
    ? v.t('audit.verifyOk', { records: r.records, checkpoints: r.checkpoints, signatures: r.signaturesChecked })
    : v.t('audit.verifyFailed', { seq: r.failure!.seq, check: r.failure!.check, message: r.failure!.message });
  return html`<p id="verify-result" class="notice ${r.ok ? 'good' : 'bad'}" role="status">${text}</p>
<p>${v.t('audit.verifyLast', { time: whenText(v, last.at), who: last.by })}</p>`;
}

/** What came of an action: done, refused with its code, or cancelled. */
function outcome(v: View, d: Record<string, unknown>): Html {
  const code = typeof d.code === 'string' ? d.code : typeof d.refused === 'string' && d.refused.startsWith('FERRY_') ? d.refused : null;
  const errors = messages(v.locale).errors as Record<string, { title: string } | undefined>;
  if (code) return html`<span class="bad">${named(errors[code]?.title, code)}</span>`;
  if (d.refused !== undefined || d.ok === false) return html`<span class="bad">${typeof d.refused === 'string' ? d.refused : '–'}</span>`;
  if (d.cancelled === true) return html`<span class="warn">${v.m.audit.cancelled}</span>`;
  return html`${v.m.audit.done}`;
}

export function auditPage(v: View, cp: Checkpoint | null, last: LastVerify | null, actions: { rows: AuditRecord[]; next: string | null }, paged: boolean, running: { done: number; total: number; by: string } | null = null): Html {
  const m = v.m.audit;
  const acts = v.m.actions as Record<string, string>;
  const roles = v.m.roles as Record<string, string>;
  return html`<div class="grid">
<section><h2>${m.checkpoint}</h2>
${cp ? html`<p>${m.treeSize}: <strong>${cp.size}</strong> · ${m.at}: ${when(v, cp.time)}</p><pre>${cp.note}</pre>` : html`<p class="empty">${m.noCheckpoint}</p>`}
</section>
<section><h2>${m.verify}</h2>
<form method="post" action="/console/audit/verify" data-busy="${m.verifying}">${csrfField(v)}<button type="submit">${m.verifyRun}</button></form>
${running ? html`<p id="verify-progress" role="status">${v.t('audit.progress', { done: running.done, total: running.total, who: running.by })} <progress max="${running.total || 1}" value="${running.done}"></progress></p>` : ''}
${verifyResult(v, last)}
</section>
<section><h2>${m.export}</h2>
<p>${m.exportHelp}</p>
<form method="post" action="/console/audit/export" class="row">${csrfField(v)}
<label>${v.m.transfers.since}<input name="since" required placeholder="24h · 2026-11-29T00:00:00Z"></label>
<label>${v.m.transfers.until}<input name="until" placeholder="2026-11-30T00:00:00Z"></label>
<div><button type="submit">${m.exportRun}</button></div>
</form>
</section>
</div>
${table(m.adminActions, [m.time, m.who, m.role, m.action, m.target, m.outcome], actions.rows.map((r) => {
    const d = r.details ?? {};
    const action = r.event === 'policy-loaded' ? 'policy-loaded' : String(d.action ?? '');
    const role = typeof d.role === 'string' ? d.role : '';
    const target = r.transferId ?? (typeof d.hash === 'string' ? d.hash.slice(0, 16) : r.policyHash ? r.policyHash.slice(0, 16) : typeof d.query === 'string' ? d.query : '');
    return [when(v, r.time), r.principal ?? (typeof d.by === 'string' ? d.by : '–'), role ? named(roles[role], role) : '–',
      named(r.event === 'policy-loaded' ? (v.m.events as Record<string, string>)['policy-loaded'] : acts[action], action), target ? html`<code>${target}</code>` : '–', outcome(v, d)];
  }), m.noActions)}
<p class="pager">${paged ? html`<a href="/console/audit">${v.m.transfers.newest}</a>` : ''}${actions.next !== null ? html`<a href="/console/audit?before=${actions.next}" rel="next" id="actions-older">${v.m.transfers.older}</a>` : ''}</p>`;
}
