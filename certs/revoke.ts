// Revocation on the CA's side: revoked.jsonl beside issued.jsonl records what
// was revoked, why and when (append only), and ca.crl is the signed list the
// gateways read. The CRL is rewritten whole from revoked.jsonl each time, to a
// temporary file renamed into place, so a gateway never reads half a list.
import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCa } from './ca.js';
import { buildCrl, isRevocationReason, parseCrl, REVOCATION_REASONS, type RevocationReason } from './crl.js';
import { readIssued } from './issued-registry.js';
import { PUBLIC_MODE } from './secret-file.js';
import { normalizeSerial } from './x509-profile.js';

export const REVOKED_FILE = 'revoked.jsonl';
export const CRL_FILE = 'ca.crl';
/** A week: gateways treat a CRL past its next update as stale (docs/certs.md). */
export const DEFAULT_CRL_DAYS = 7;

export interface RevokedRecord { serial: string; id: string; name: string; reason: RevocationReason; revokedAt: string }

export async function readRevoked(dir: string): Promise<RevokedRecord[]> {
  let text: string;
  try {
    text = await readFile(join(dir, REVOKED_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RevokedRecord);
}

export interface RevokeOptions {
  serial?: string;
  id?: string;
  reason: string;
  passphrase?: string;
  /** Days until the CRL's next update. */
  days?: number;
  now?: Date;
}

/**
 * Revokes one serial, or every certificate of an identity that is not expired
 * or revoked yet, and writes a new CRL. Returns what was revoked.
 */
export async function revoke(dir: string, opts: RevokeOptions): Promise<{ revoked: RevokedRecord[]; crlPath: string }> {
  if ((opts.serial === undefined) === (opts.id === undefined)) throw new Error('Give exactly one of --serial and --id.');
  if (!isRevocationReason(opts.reason)) {
    throw new Error(`${JSON.stringify(opts.reason)} is not a revocation reason; use one of: ${Object.keys(REVOCATION_REASONS).join(', ')}.`);
  }
  const now = opts.now ?? new Date();
  // The CA key first: without it nothing is recorded that no CRL would carry.
  const ca = await loadCa(dir, opts.passphrase);
  const issued = await readIssued(dir);
  const already = new Set((await readRevoked(dir)).map((r) => r.serial));
  let targets;
  if (opts.serial !== undefined) {
    const serial = normalizeSerial(opts.serial);
    const rec = issued.find((r) => r.serial === serial);
    if (!rec) throw new Error(`No certificate with serial ${serial} was issued by the CA in ${dir} (see ${'issued.jsonl'}).`);
    if (already.has(serial)) throw new Error(`The certificate with serial ${serial} is already revoked.`);
    targets = [rec];
  } else {
    const matching = issued.filter((r) => r.id === opts.id);
    if (!matching.length) throw new Error(`The CA in ${dir} never issued a certificate for ${opts.id}.`);
    targets = matching.filter((r) => !already.has(r.serial) && new Date(r.notAfter) > now);
    if (!targets.length) throw new Error(`Every certificate of ${opts.id} is already revoked or expired.`);
  }
  const records: RevokedRecord[] = targets.map((r) => ({ serial: r.serial, id: r.id, name: r.name, reason: opts.reason as RevocationReason, revokedAt: now.toISOString() }));
  await appendFile(join(dir, REVOKED_FILE), records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: PUBLIC_MODE });
  const crlPath = await writeCrlWith(dir, ca, opts.days ?? DEFAULT_CRL_DAYS, now);
  return { revoked: records, crlPath };
}

/** Signs a fresh CRL from revoked.jsonl (e.g. before the last one's next update). */
export async function publishCrl(dir: string, opts: { passphrase?: string; days?: number; now?: Date } = {}): Promise<string> {
  const ca = await loadCa(dir, opts.passphrase);
  return writeCrlWith(dir, ca, opts.days ?? DEFAULT_CRL_DAYS, opts.now ?? new Date());
}

async function writeCrlWith(dir: string, ca: { certPem: string; keyPem: string }, days: number, now: Date): Promise<string> {
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error(`The CRL's validity must be 1 to 366 days, not ${days}.`);
  const path = join(dir, CRL_FILE);
  // CRL numbers only grow (RFC 5280 §5.2.3): one more than the list being replaced.
  let number = 1;
  try {
    number = (parseCrl(await readFile(path)).number ?? 0) + 1;
  } catch {
    /* no readable CRL yet */
  }
  const revoked = await readRevoked(dir);
  const pem = buildCrl({
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    entries: revoked.map((r) => ({ serial: r.serial, reason: r.reason, revokedAt: new Date(r.revokedAt) })),
    number,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + days * 86_400_000),
  });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, pem, { flag: 'wx', mode: PUBLIC_MODE });
  await rename(tmp, path);
  return path;
}
