// `ferry certs show --dir D`: what the CA directory holds and when each part
// expires: the CA, its CRL (next update), and every certificate issued, with
// its state (valid, expiring, expired, revoked, superseded by a renewal).
// `state` is a stable English word (for --json and scripts); the table says it
// in the reader's language. A serial counts as revoked when the CA's record of
// revocations or the published CRL names it.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CA_CERT_FILE } from './ca.js';
import { parseCrl } from './crl.js';
import { readIssued } from './issued-registry.js';
import { CRL_FILE, readRevoked } from './revoke.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';
import { padEndW, stringWidth } from '../i18n/text-width.js';

export const EXPIRY_STATES = ['valid', 'expiring', 'expired', 'revoked', 'superseded', 'stale', 'no-next-update', 'none'] as const;
export type ExpiryState = (typeof EXPIRY_STATES)[number];

export interface ExpiryRow {
  what: string; name: string; serial: string | null; expires: string | null; days: number | null; state: ExpiryState;
  /** Why it was revoked (a CRL reason code name), for a revoked row only. */
  reason?: string;
  /** How many serials the CRL lists, for the CRL's row only. */
  listed?: number;
}

export async function expiryReport(dir: string, now = new Date(), warnDays = 30): Promise<ExpiryRow[]> {
  const rows: ExpiryRow[] = [];
  const daysTo = (d: Date) => Math.floor((d.getTime() - now.getTime()) / 86_400_000);
  const stateOf = (d: Date): ExpiryState => (d <= now ? 'expired' : daysTo(d) < warnDays ? 'expiring' : 'valid');
  const ca = new X509Certificate(await readFile(join(dir, CA_CERT_FILE)).catch(() => {
    throw new Error(`No CA in ${dir} (${CA_CERT_FILE} is needed).`);
  }));
  const caEnd = new Date(ca.validTo);
  rows.push({ what: 'ca', name: ca.subject.replace(/\n/g, ', '), serial: null, expires: caEnd.toISOString(), days: daysTo(caEnd), state: stateOf(caEnd) });
  const revoked = new Map<string, string>();
  try {
    const crl = parseCrl(await readFile(join(dir, CRL_FILE)));
    const next = crl.nextUpdate;
    for (const [serial, e] of crl.entries) revoked.set(serial, e.reason);
    rows.push({ what: 'crl', name: `${CRL_FILE} #${crl.number ?? '?'} (${crl.entries.size} revoked)`, listed: crl.entries.size, serial: null, expires: next?.toISOString() ?? null, days: next ? daysTo(next) : null, state: next ? (next <= now ? 'stale' : stateOf(next)) : 'no-next-update' });
  } catch {
    rows.push({ what: 'crl', name: CRL_FILE, serial: null, expires: null, days: null, state: 'none' });
  }
  const issued = await readIssued(dir);
  for (const r of await readRevoked(dir)) revoked.set(r.serial, r.reason);
  // The newest certificate of a name is the one in use; older ones were renewed.
  const newest = new Map<string, string>();
  for (const r of issued) newest.set(r.name, r.serial);
  for (const r of issued) {
    const end = new Date(r.notAfter);
    const reason = revoked.get(r.serial);
    const state = reason !== undefined ? 'revoked' : newest.get(r.name) !== r.serial ? 'superseded' : stateOf(end);
    rows.push({ what: r.kind, name: `${r.name} ${r.id}`, serial: r.serial, expires: r.notAfter, days: daysTo(end), state, ...(reason !== undefined ? { reason } : {}) });
  }
  return rows;
}

export function formatExpiryReport(rows: ExpiryRow[], locale: Locale = 'en'): string {
  const t = translator(locale, 'certs');
  const head = (['what', 'name', 'serial', 'expires', 'days', 'state'] as const).map((k) => t(`expiry.${k}`));
  const state = (r: ExpiryRow) => (r.reason !== undefined ? t('stateReason', { state: t(`states.${r.state}`), reason: r.reason }) : t(`states.${r.state}`));
  const name = (r: ExpiryRow) => (r.what === 'crl' && r.listed !== undefined ? t('crlName', { name: r.name.replace(/ \(.*\)$/, ''), count: r.listed }) : r.name);
  const cells = rows.map((r) => [r.what, name(r), r.serial ?? '-', r.expires ?? '-', r.days === null ? '-' : String(r.days), state(r)]);
  const widths = head.map((h, i) => Math.max(stringWidth(h), ...cells.map((c) => stringWidth(c[i]!))));
  return [head, ...cells].map((c) => c.map((v, i) => padEndW(v, widths[i]!)).join('  ').trimEnd()).join('\n');
}
