// What the command line prints, as plain functions from results to text, so
// the wording is tested without a terminal. Text that came from the network
// (details, samples, filenames) is stripped of control characters first: a
// sender's filename must not be able to move the cursor or rewrite the screen.

import { translator } from '../i18n/catalogue.js';
import { cliLocale } from '../i18n/cli-locale.js';
import type { Finding } from '../protocol/findings.js';
import type { Receipt, TransferStatus } from './gateway-answers.js';
import type { Received } from './receive.js';
import type { GatewayRefusal } from './refusal.js';
import type { SendResult } from './send.js';

export function printable(s: unknown): string {
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

export function formatFinding(f: Finding): string {
  let s = printable(f.kind);
  if (f.subkind) s += `/${printable(f.subkind)}`;
  const where: string[] = [];
  if (f.path) where.push(`in ${printable(f.path)}`);
  if (f.offset !== undefined) where.push(`at byte ${printable(f.offset)}`);
  if (where.length) s += ` ${where.join(' ')}`;
  if (f.count !== undefined && f.count > 1) s += ` (${printable(f.count)} times)`;
  if (f.sample) s += ` e.g. ${printable(f.sample)}`;
  if (f.detail) s += ` — ${printable(f.detail)}`;
  return s;
}

export function formatRefusal(r: GatewayRefusal): string {
  // The gateway words title, detail and action in the language we asked for; the labels are ours.
  const t = translator(cliLocale(), 'cli');
  const lines = [t('refusal.refused', { code: printable(r.code), status: r.status }), `  ${printable(r.detail)}`];
  if (r.transfer) lines.push(`  ${t('refusal.transfer', { id: printable(r.transfer) })}`);
  if (r.detail !== r.title) lines.push(`  (${printable(r.title)})`);
  if (r.rule) lines.push(`  ${t('refusal.rule', { rule: printable(r.rule) })}`);
  for (const f of r.findings) lines.push(`  ${t('refusal.finding', { finding: formatFinding(f) })}`);
  if (r.retryAfter !== undefined) lines.push(`  ${t('refusal.retryAfter', { seconds: r.retryAfter })}`);
  if (r.action) lines.push(`  ${t('refusal.action', { action: printable(r.action) })}`);
  return lines.join('\n') + '\n';
}

/** The output lines of the CLI in its language (the `cli` catalogue, `out.*`). */
function out(key: string, params: Record<string, unknown> = {}): string {
  return translator(cliLocale(), 'cli')(`out.${key}`, params);
}

function formatReceipt(r: Receipt, verified: boolean): string[] {
  return [
    out('receipt', { type: printable(r.type), gateway: printable(r.gateway), time: printable(r.time) }),
    out(verified ? 'receiptKeyVerified' : 'receiptKeyUnverified', { key: printable(r.key_id) }),
    `           ${printable(r.signature)}`,
  ];
}

export function formatAccepted(r: SendResult): string {
  return [
    out('transfer', { id: printable(r.id) }),
    out('state', { state: printable(r.state) }),
    out('toFrom', { destination: printable(r.receipt.destination), source: printable(r.receipt.source) }),
    out('size', { size: r.sent.size }),
    out('sha256Matches', { sha256: r.sent.sha256 }),
    ...formatReceipt(r.receipt, r.signatureVerified),
  ].join('\n') + '\n';
}

export function formatStatus(s: TransferStatus, verified?: { accepted: boolean; delivered?: boolean }): string {
  const sig = (v: boolean | undefined): string => (v ? out('signatureVerified') : '');
  const lines = [
    out('transfer', { id: printable(s.id) }),
    out('state', { state: `${printable(s.state)}${s.reason ? ` — ${printable(s.reason)}` : ''}` }),
    out('from', { source: printable(s.source) }),
    out('to', { destination: printable(s.destination) }),
  ];
  if (s.rule) lines.push(out('rule', { rule: printable(s.rule) }));
  for (const f of s.findings ?? []) lines.push(out('finding', { finding: formatFinding(f) }));
  if (s.filename) lines.push(out('filename', { filename: printable(s.filename) }));
  if (s.label) lines.push(out('label', { label: printable(s.label) }));
  // A transfer denied before its content was read has no size or hash.
  if (s.size !== null && s.size !== undefined) lines.push(out('size', { size: printable(s.size) }));
  if (s.sha256) lines.push(out('sha256', { sha256: printable(s.sha256) }));
  lines.push(out('created', { time: printable(s.created) }), out('updated', { time: printable(s.updated) }));
  if (s.attempts !== undefined) lines.push(out('attempts', { attempts: printable(s.attempts) }));
  if (s.receipts?.accepted) lines.push(out('acceptedBy', { time: printable(s.receipts.accepted.time), gateway: printable(s.receipts.accepted.gateway) }) + sig(verified?.accepted));
  if (s.receipts?.delivered) lines.push(out('deliveredBy', { time: printable(s.receipts.delivered.time), gateway: printable(s.receipts.delivered.gateway) }) + sig(verified?.delivered));
  // One line per gateway when the transfer crossed more than one.
  if (s.hops && s.hops.length > 1) {
    for (const h of s.hops) lines.push(out('hop', { hop: `${printable(h.gateway)} ${printable(h.state)} ${printable(h.time)}${h.code ? ` ${printable(h.code)}${h.rule ? ` (rule ${printable(h.rule)})` : ''}` : ''}` }) + (h.verified === false ? out('hopUnverified') : ''));
  }
  // Being withdrawn from the next gateway (docs/routing.md#withdrawal): it ends once that gateway answers.
  if (s.withdrawal && s.state === 'relayed') lines.push(out('withdrawal', { final: printable(s.withdrawal.final), reason: printable(s.withdrawal.reason) }));
  return lines.join('\n') + '\n';
}

export function formatReceived(r: Received): string {
  const asked = r.senderFilename !== undefined ? out('sentAs', { name: JSON.stringify(printable(r.senderFilename)) }) : '';
  const sig = r.ack.receipt ? out(r.signatureVerified ? 'receiptVerified' : 'receiptUnverified') : '';
  if (r.alreadyHeld) return out(r.ack.repeated ? 'ackRepeated' : 'alreadyHeld', { id: printable(r.id), path: printable(r.path) }) + sig + '\n';
  return out('received', { id: printable(r.id), from: printable(r.from ?? '?'), size: r.size, sha256: r.sha256, path: printable(r.path) }) + asked + sig + '\n';
}
