import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { crlSigner, parseCrl, type ParsedCrl, type RevocationReason } from '../../certs/crl.js';
import { normalizeSerial } from '../../certs/x509-profile.js';

// The revocation list a gateway enforces. A new file replaces the one in force
// only when it is a CRL, signed by a CA of the trusted bundle, and not older
// than the one in force (its CRL number does not go back): a corrupt file, a
// list from another CA or a replayed old one is reported (log, /healthz) and
// the last good list stays in force. At start there is no last good one, so
// the gateway does not start on a bad CRL.

export interface Revocation { serial: string; reason: RevocationReason; revokedAt: Date }

export interface CrlStatus {
  file: string;
  number: number | null;
  thisUpdate: string;
  nextUpdate: string | null;
  revoked: number;
  /** Past its next update: /healthz is not ready, and with crl_stale: refuse no certificate is accepted. */
  stale: boolean;
  /** Why the file on disk is not the list in force, if it is not. */
  rejected: string | null;
}

export class CrlHolder {
  readonly file: string;
  readonly #cas: () => X509Certificate[];
  #crl: ParsedCrl | null = null;
  #signer: X509Certificate | null = null;
  #rejected: string | null = null;
  readonly #listeners: Array<() => void> = [];

  constructor(file: string, cas: () => X509Certificate[]) {
    this.file = file;
    this.#cas = cas;
  }

  /** At start: throws a sentence when the file is not a good CRL. */
  async load(): Promise<void> {
    const r = await this.reload();
    if (!r.ok) throw new Error(`The CRL ${this.file} cannot be used: ${r.error}.`);
  }

  /** Reads the file again; keeps the list in force when the new one is not good. */
  async reload(): Promise<{ ok: true; changed: boolean } | { ok: false; error: string }> {
    let next: ParsedCrl;
    let signer: X509Certificate | null;
    try {
      next = parseCrl(await readFile(this.file));
      signer = crlSigner(next, this.#cas());
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return this.#reject(e.code === 'ENOENT' ? 'the file does not exist' : e.message);
    }
    if (!signer) return this.#reject('it is not signed by a CA this gateway trusts');
    const cur = this.#crl;
    if (cur && cur.number !== null && next.number !== null && next.number < cur.number) {
      return this.#reject(`its CRL number ${next.number} is older than the one in force (${cur.number})`);
    }
    const changed = !cur || !cur.tbsDer.equals(next.tbsDer);
    this.#crl = next;
    this.#signer = signer;
    this.#rejected = null;
    if (changed) for (const l of this.#listeners) l();
    return { ok: true, changed };
  }

  #reject(error: string): { ok: false; error: string } {
    this.#rejected = error;
    return { ok: false, error };
  }

  /** Called after a new list came into force. */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** True when the CA that signed the list in force issued `cert`: this list speaks for it. */
  covers(cert: X509Certificate): boolean {
    return this.#signer !== null && cert.checkIssued(this.#signer);
  }

  /** The revocation of this certificate, if the list in force names it. */
  isRevoked(cert: X509Certificate): Revocation | null {
    const crl = this.#crl;
    // A serial is unique per issuer only: the certificate must come from the CA that signed the list.
    if (!crl || !this.covers(cert)) return null;
    const serial = normalizeSerial(cert.serialNumber);
    const e = crl.entries.get(serial);
    return e ? { serial, ...e } : null;
  }

  stale(now = new Date()): boolean {
    return this.#crl?.nextUpdate ? this.#crl.nextUpdate <= now : false;
  }

  get nextUpdate(): Date | null {
    return this.#crl?.nextUpdate ?? null;
  }

  status(now = new Date()): CrlStatus {
    const c = this.#crl;
    return {
      file: this.file,
      number: c?.number ?? null,
      thisUpdate: c?.thisUpdate.toISOString() ?? '',
      nextUpdate: c?.nextUpdate?.toISOString() ?? null,
      revoked: c?.entries.size ?? 0,
      stale: this.stale(now),
      rejected: this.#rejected,
    };
  }
}
