import type { X509Certificate } from 'node:crypto';
import { FerryError } from '../../protocol/errors.js';
import { CrlHolder, type Revocation } from './crl-holder.js';
import { watchFiles, type FileWatch } from './file-watch.js';
import { TlsHolder, type TlsPaths } from './tls-holder.js';

const CRL_WARNING_MS = 86_400_000;

// What a gateway trusts and presents, kept current while it runs: its TLS
// material (tls-holder.ts) and the CRL (crl-holder.ts). Both are read again when
// their files change and on reload() (SIGHUP). Every listener and the forwarder
// ask this one object whether a peer's certificate is revoked.

export interface TrustOptions {
  tls: TlsPaths;
  crl: string | null;
  /** With a CRL past its next update: 'refuse' every certificate (fail closed), or 'use-last' list. */
  crlStale: 'refuse' | 'use-last';
  /** Warn this long before a certificate or CRL expires. */
  expiryWarningMs: number;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

export interface ExpiryItem { kind: 'certificate' | 'ca' | 'crl'; name: string; notAfter: Date }

export class GatewayTrust {
  readonly tls: TlsHolder;
  readonly crl: CrlHolder | null;
  readonly #opts: TrustOptions;
  #watch: FileWatch | null = null;

  constructor(opts: TrustOptions) {
    this.#opts = opts;
    this.tls = new TlsHolder(opts.tls);
    this.crl = opts.crl ? new CrlHolder(opts.crl, () => this.tls.cas) : null;
  }

  /** Loads everything; throws a sentence at start when something is not usable. */
  async load(): Promise<void> {
    await this.tls.load();
    await this.crl?.load();
  }

  /** Watches the files: a change is picked up within about a second. (SIGHUP: the gateway's reload calls reload().) */
  watch(): void {
    const p = this.#opts.tls;
    this.#watch = watchFiles([p.ca, p.cert, p.key, ...(this.crl ? [this.crl.file] : [])], () => void this.reload());
  }

  /** Reads every file again (file change, SIGHUP); what is not good is logged and the last good set stays. */
  async reload(): Promise<void> {
    const log = this.#opts.log;
    const t = await this.tls.reload();
    if (!t.ok) log.error({ error: t.error }, 'the new TLS files are not used; the previous certificate, key and CA bundle stay in force');
    else if (t.changed) log.info({ cert: this.#opts.tls.cert, serial: this.tls.certificate.serialNumber.toLowerCase() }, 'TLS certificate, key or CA bundle reloaded');
    if (this.crl) {
      const c = await this.crl.reload();
      if (!c.ok) log.error({ crl: this.crl.file, error: c.error }, 'the CRL file is not used; the last good CRL stays in force');
      else if (c.changed) log.info({ crl: this.crl.file, number: this.crl.status().number, revoked: this.crl.status().revoked }, 'CRL reloaded');
    }
  }

  /** Exported for every carrier (listeners, forwarder, gateway-to-gateway hops). */
  isRevoked(cert: X509Certificate): Revocation | null {
    return this.crl?.isRevoked(cert) ?? null;
  }

  /**
   * The refusal a certificate that chains to our CA gets on revocation
   * grounds, or null. `principal` goes along so the audit record names who it was.
   */
  refusalFor(cert: X509Certificate, principal: string | null): FerryError | null {
    const r = this.isRevoked(cert);
    if (r) {
      return new FerryError('FERRY_CERT_REVOKED', `The certificate with serial ${r.serial} was revoked on ${r.revokedAt.toISOString()} (${r.reason}).`, { serial: r.serial, ...(principal ? { principal } : {}) });
    }
    if (this.crl?.stale() && this.#opts.crlStale === 'refuse') {
      return new FerryError('FERRY_CRL_STALE', `The gateway's revocation list passed its next update (${this.crl.nextUpdate?.toISOString()}); no certificate is accepted until a fresh one is published.`);
    }
    return null;
  }

  /** What expires, and when: the gateway's certificate, each CA of the bundle, the CRL's next update. */
  expiries(): ExpiryItem[] {
    const items: ExpiryItem[] = [{ kind: 'certificate', name: this.tls.certificate.subject.replace(/\n/g, ', '), notAfter: new Date(this.tls.certificate.validTo) }];
    for (const ca of this.tls.cas) items.push({ kind: 'ca', name: ca.subject.replace(/\n/g, ', '), notAfter: new Date(ca.validTo) });
    const next = this.crl?.nextUpdate;
    if (this.crl && next) items.push({ kind: 'crl', name: this.crl.file, notAfter: next });
    return items;
  }

  /** For /healthz: reasons not to be ready, warnings, and the facts. */
  health(now = new Date()): { reasons: string[]; warnings: string[]; checks: Record<string, unknown> } {
    const reasons: string[] = [];
    const warnings: string[] = [];
    for (const e of this.expiries()) {
      const left = e.notAfter.getTime() - now.getTime();
      const what = e.kind === 'crl' ? `the CRL ${e.name} passed its next update (${e.notAfter.toISOString()})` : `the ${e.kind} ${e.name} expired on ${e.notAfter.toISOString()}`;
      // A CRL is reissued every few days by design, so the certificates' window
      // (30 days) would flag every CRL: warn on the last day before its update.
      const window = e.kind === 'crl' ? CRL_WARNING_MS : this.#opts.expiryWarningMs;
      if (left <= 0) reasons.push(what);
      else if (left < window) warnings.push(`the ${e.kind === 'crl' ? 'CRL' : e.kind} ${e.name} ${e.kind === 'crl' ? 'needs its next update by' : 'expires on'} ${e.notAfter.toISOString()} (in ${Math.floor(left / 86_400_000)} days)`);
    }
    if (this.tls.rejected) warnings.push(`the TLS files on disk are not used: ${this.tls.rejected}`);
    const crl = this.crl?.status(now);
    if (crl?.rejected) warnings.push(`the CRL file on disk is not used (the last good one is in force): ${crl.rejected}`);
    return {
      reasons, warnings,
      checks: {
        expiry: this.expiries().map((e) => ({ kind: e.kind, name: e.name, not_after: e.notAfter.toISOString() })),
        crl: crl ? { ...crl, on_stale: this.#opts.crlStale } : 'none configured: no certificate is checked for revocation',
      },
    };
  }

  close(): void {
    this.#watch?.close();
  }
}
