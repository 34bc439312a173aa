// Policy (secadmin; read-only for the others): the rules in force with their
// hash and hit counts; a candidate pasted, checked (errors with their lines),
// replayed against past decisions, and deployed.
import type { RuleInfo } from '../../../policies/policy-engine.js';
import type { ReplayReport } from '../../../policies/replay.js';
import type { SourceProblem } from '../../../policies/load-policy.js';
import { html, type Html } from './html.js';
import { csrfField, named, table, when, shortId, type View } from './console-view.js';
import { mayDo } from './console-access.js';

export interface PolicyState {
  name: string | null;
  hash: string;
  file: string | null;
  rules: readonly RuleInfo[];
  hits: Map<string, number>;
  /** Shadow rules: how often each matched, by the effect it would have had. */
  shadow: Map<string, Record<string, number>>;
}

export interface Candidate {
  text: string;
  hash: string;
  /** The hash of the policy in force when it was edited: its deploy names it. */
  base: string;
  problems: SourceProblem[];
  replay: ReplayReport | null;
}

/** What a change left to say: a notice on top of the page. */
export interface Notice {
  ok: boolean;
  text: string;
  /** A refusal's stable code. */
  code?: string;
}

export const MAX_SHOWN = 200;

function candidateResult(v: View, c: Candidate): Html {
  const m = v.m.policy;
  const errors = c.problems.filter((p) => p.severity === 'error');
  const problems = c.problems.length
    ? table(m.problems, [m.line, m.description], c.problems.map((p) => [v.t('policy.problemAt', { line: p.line, column: p.column }), html`<span class="${p.severity === 'error' ? 'bad' : 'warn'}">${p.message}</span>`]), v.m.none)
    : html``;
  if (errors.length || !c.replay) return problems;
  const r = c.replay;
  const changes = m.changes as Record<string, string>;
  const verdicts = v.m.verdicts as Record<string, string>;
  const counts = Object.entries(r.counts).filter(([k]) => k !== 'same').map(([k, n]) => html`<li>${named(changes[k], k)}: <strong>${n}</strong></li>`);
  return html`<p class="notice good" role="status">${v.t('policy.valid', { hash: c.hash.slice(0, 16) })} ${v.t('policy.replayed', { records: r.records })}${r.windowed ? html` ${v.t('policy.replayWindowed', { records: r.records })}` : ''}</p>
${problems}<ul id="replay-counts">${counts}</ul>
${table(m.change, [v.m.transfers.time, v.m.transfers.transfer, m.was, m.now, m.change], r.differences.slice(0, MAX_SHOWN).map((d) => [
    when(v, d.time), d.transferId ? html`<a href="/console/transfers/${d.transferId}">${shortId(d.transferId)}</a>` : '–',
    html`${named(verdicts[d.was.verdict], d.was.verdict)} <code>${d.was.rule ?? ''}</code>`,
    html`<span class="${d.now.verdict === 'deny' ? 'bad' : 'good'}">${named(verdicts[d.now.verdict], d.now.verdict)}</span> <code>${d.now.rule ?? ''}</code>`,
    named(changes[d.change], d.change),
  ]), m.noDifference)}
${mayDo(v.who.role, 'deploy') ? html`<form method="post" action="/console/policy/deploy">${csrfField(v)}<input type="hidden" name="text" value="${c.text}"><input type="hidden" name="base" value="${c.base}">
<label>${m.note}<input name="note" maxlength="500"></label><button type="submit">${m.deploy}</button></form>` : ''}`;
}

export function policyPage(v: View, p: PolicyState, candidate: Candidate | null, notice: Notice | null): Html {
  const m = v.m.policy;
  const canChange = mayDo(v.who.role, 'replay');
  return html`${notice ? html`<p class="notice ${notice.ok ? '' : 'bad'}" role="status" id="policy-notice">${notice.text}${notice.code ? html` <code>${notice.code}</code>` : ''}</p>` : ''}
<section><h2>${m.inForce}</h2>
${p.file ? html`<p>${m.name}: <strong>${p.name ?? ''}</strong> · ${m.hash}: <code id="policy-hash">${p.hash}</code> · ${m.file}: <code>${p.file}</code></p>` : html`<p class="bad">${m.noPolicy}</p>`}
</section>
${table(m.rules, [m.rule, m.effect, m.mode, m.description, m.line, m.hits], p.rules.map((r) => [
    html`<code>${r.id}</code>`, html`<span class="${r.effect === 'deny' ? 'bad' : 'good'}">${named((v.m.verdicts as Record<string, string>)[r.effect], r.effect)}</span>`,
    named(m.modes[r.mode], r.mode), r.description, r.line,
    r.mode === 'shadow'
      ? html`${v.t('policy.wouldBe', { n: Object.values(p.shadow.get(r.id) ?? {}).reduce((a, b) => a + b, 0) })}`
      : p.hits.get(r.id) ?? 0,
  ]), v.m.none)}
${canChange ? html`<section><h2>${m.candidate}</h2><p>${m.candidateHelp}</p>
<form method="post" action="/console/policy/replay" data-busy="${m.replay}">${csrfField(v)}<input type="hidden" name="base" value="${p.hash}">
<label>${m.upload}<input type="file" id="candidate-file" accept=".yaml,.yml,text/yaml,text/plain"></label>
<label for="candidate">${m.candidate}</label><textarea id="candidate" name="text" spellcheck="false" required>${candidate?.text ?? ''}</textarea>
<p><button type="submit">${m.replay}</button></p></form>
${candidate ? candidateResult(v, candidate) : ''}</section>` : html`<p class="empty">${m.readOnly}</p>`}
${mayDo(v.who.role, 'reload') ? html`<section><h2>${m.reload}</h2><form method="post" action="/console/reload">${csrfField(v)}<button type="submit" class="secondary">${m.reloadRun}</button></form></section>` : ''}`;
}
