import type { Finding } from '../protocol/findings.js';
import { isFindingKind } from '../protocol/findings.js';
import { formatProblemIn } from '../i18n/problem-text.js';
import { dryRun } from './dry-run.js';
import { explainAll, type RuleExplanation } from './explain.js';
import { loadPolicyFile } from './load-policy.js';
import { noInspector, type InspectFile } from './inspect-port.js';
import { decisionLines, findingText } from './report-text.js';
import { factsFrom } from './transfer-facts.js';
import { reasonIn } from './reason-words.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

// `ferry policy test FILE --from N/S --to N/S …`: what the gateway would decide
// for one transfer, and why the rules that came close did not decide it.

export interface TestOptions {
  from?: string;
  to?: string;
  label?: string;
  kind?: string;
  principal?: string;
  file?: string;
  filename?: string;
  declaredType?: string;
  sniffedType?: string;
  size?: string;
  time?: string;
  finding?: string[];
  json?: boolean;
}

export const EXIT = { allow: 0, deny: 1, usage: 2 } as const;

/** `kind[:subkind[:count]]`, e.g. personal-data:cn-mobile:3 */
export function parseFindingArg(s: string): Finding | string {
  const [kind, subkind, count] = s.split(':');
  if (!kind || !isFindingKind(kind)) return `--finding '${s}': '${kind}' is not a finding kind`;
  const f: Finding = { kind };
  if (subkind) f.subkind = subkind;
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isSafeInteger(n) || n < 1) return `--finding '${s}': count must be a positive integer`;
    f.count = n;
  }
  return f;
}

/** Rules that came close: not matched, with one or two conditions short. */
export function nearMisses(all: RuleExplanation[], decidedBy: string | null): RuleExplanation[] {
  return all.filter((e) => !e.matched && e.rule !== decidedBy && e.failed.length <= 2).sort((a, b) => a.failed.length - b.failed.length);
}

export async function runPolicyTest(file: string, o: TestOptions, out: (s: string) => void, err: (s: string) => void, inspectFile: InspectFile = noInspector(), locale: Locale = 'en'): Promise<number> {
  const t = translator(locale, 'policy');
  if (!o.from || !o.to) {
    err(t('error.fromTo'));
    return EXIT.usage;
  }
  const loaded = await loadPolicyFile(file);
  if (!loaded.engine) {
    for (const p of loaded.problems) err(formatProblemIn(p, locale));
    return EXIT.usage;
  }
  const facts = factsFrom({ from: o.from, to: o.to, label: o.label, kind: o.kind, principal: o.principal, filename: o.filename ?? o.file, declaredType: o.declaredType, size: o.size, time: o.time });
  if (typeof facts === 'string') {
    err(`ferry policy test: ${facts}`);
    return EXIT.usage;
  }
  if (o.sniffedType) facts.sniffedType = o.sniffedType;
  const findings: Finding[] = [];
  for (const s of o.finding ?? []) {
    const f = parseFindingArg(s);
    if (typeof f === 'string') {
      err(`ferry policy test: ${f}`);
      return EXIT.usage;
    }
    findings.push(f);
  }
  if (o.file) {
    try {
      const r = await inspectFile(o.file, { ...(o.declaredType ? { declaredType: o.declaredType } : {}), ...(facts.filename ? { filename: facts.filename } : {}) });
      facts.size = r.size;
      if (facts.declaredSize === undefined) facts.declaredSize = r.size;
      if (r.sniffedType) facts.sniffedType = r.sniffedType;
      findings.push(...r.findings);
    } catch (e) {
      err(t('error.cannotInspect', { file: o.file, message: (e as Error).message }));
      return EXIT.usage;
    }
  }
  const run = dryRun(loaded.engine, facts, findings);
  const explanations = explainAll(loaded.engine, run.stage, facts, findings);
  const close = nearMisses(explanations, run.decision.rule);
  // The same explanations in the reader's words, for the terminal (--json keeps English).
  const closeSaid = locale === 'en' ? close : nearMisses(explainAll(loaded.engine, run.stage, facts, findings, locale), run.decision.rule);
  if (o.json) {
    out(JSON.stringify({ policy: loaded.engine.name, stage: run.stage, decision: run.decision, facts, findings, close, warnings: loaded.problems }, null, 2));
  } else {
    out(t(run.stage === 'before' ? 'stageBefore' : 'stageAfter'));
    for (const l of decisionLines(run.decision, locale, reasonIn(run.decision, loaded.engine, run.stage, facts, locale))) out(l);
    if (findings.length) out(t('allFindings', { list: findings.map((f) => findingText(f, locale)).join('; ') }));
    const overruled = explanations.filter((e) => e.matched && e.rule !== run.decision.rule);
    const shadow = (e: RuleExplanation) => (e.mode === 'shadow' ? t('shadowMode') : '');
    if (overruled.length) out(t('alsoMatched', { list: overruled.map((e) => `${e.rule} (${e.effect}${shadow(e)})`).join(', ') }));
    if (close.length) {
      out(t('cameClose'));
      for (const e of closeSaid) out(t('closeRule', { rule: e.rule, effect: e.effect, shadow: shadow(e), line: e.line, failed: e.failed.join(t('failedSep')) }));
    }
  }
  return run.decision.verdict === 'allow' ? EXIT.allow : EXIT.deny;
}
