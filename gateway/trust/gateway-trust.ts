import type { X509Certificate } from 'node:crypto';
import { FerryError } from '../../protocol/errors.js';
import { CrlHolder, type Revocation } from './crl-holder.js';
import { watchFiles, type FileWatch } from './file-watch.js';
import { TlsHolder, type TlsPaths } from './tls-holder.js';

const CRL_WARNING_MS = 86_400_000;

// What a gateway trusts and presents, kept current while it runs: its TLS
// material (tls-holder.ts) and the CRLs (crl-holder.ts), one per CA of the
// bundle during a CA rollover. All are read again when their files change and
// on reload() (SIGHUP). Every listener and the forwarder ask this one object
// whether a peer's certificate is revoked: it is when any CRL of its issuer
// lists it.

export interface TrustOptions {
  tls: TlsPaths;
  /** The CRL files (tls.crl: one path or a list); empty: no revocation checked. */
  crls: string[];
  /** With a CRL past its next update: 'refuse' every certificate (fail closed), or 'use-last' list. */
  crlStale: 'refuse' | 'use-last';
  /** Warn this long before a certificate or CRL expires. */
  expiryWarningMs: number;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

export interface ExpiryItem { kind: 'certificate' | 'ca' | 'crl'; name: string; notAfter: Date }

export class GatewayTrust {
  readonly tls: TlsHolder;
  readonly crls: CrlHolder[];
  readonly #opts: TrustOptions;
  #watch: FileWatch | null = null;

  constructor(opts: TrustOptions) {
    this.#opts = opts;
    this.tls = new TlsHolder(opts.tls);
    this.crls = opts.crls.map((f) => new CrlHolder(f, () => this.tls.cas));
  }

  /** The first CRL (the single-path form of tls.crl), or null. */
  get crl(): CrlHolder | null {
    return this.crls[0] ?? null;
  }

  /** Called after a new list came into force in any of the CRLs. */
  onCrlChange(listener: () => void): void {
    for (const c of this.crls) c.onChange(listener);
  }

  /** The earliest next update still ahead, if any: when a CRL in force will turn stale. */
  get nextCrlUpdate(): Date | null {
    const now = Date.now();
    const ahead = this.crls.map((c) => c.nextUpdate).filter((d): d is Date => d !== null && d.getTime() > now);
    return ahead.length ? new Date(Math.min(...ahead.map((d) => d.getTime()))) : null;
  }

  /** Loads everything; throws a sentence at start when something is not usable. */
  async load(): Promise<void> {
    await this.tls.load();
    for (const c of this.crls) await c.load();
  }

  /** Watches the files: a change is picked up within about a second. (SIGHUP: the gateway's reload calls reload().) */
  watch(): void {
    const p = this.#opts.tls;
    this.#watch = watchFiles([p.ca, p.cert, p.key, ...this.crls.map((c) => c.file)], () => void this.reload());
  }

  /** Reads every file again (file change, SIGHUP); what is not good is logged and the last good set stays. */
  async reload(): Promise<void> {
    const log = this.#opts.log;
    const t = await this.tls.reload();
    if (!t.ok) log.error({ error: t.error }, 'the new TLS files are not used; the previous certificate, key and CA bundle stay in force');
    else if (t.changed) log.info({ cert: this.#opts.tls.cert, serial: this.tls.certificate.serialNumber.toLowerCase() }, 'TLS certificate, key or CA bundle reloaded');
    for (const crl of this.crls) {
      const c = await crl.reload();
      if (!c.ok) log.error({ crl: crl.file, error: c.error }, 'the CRL file is not used; the last good CRL stays in force');
      else if (c.changed) log.info({ crl: crl.file, number: crl.status().number, revoked: crl.status().revoked }, 'CRL reloaded');
    }
  }

  /** Exported for every carrier (listeners, forwarder, gateway-to-gateway hops). */
  isRevoked(cert: X509Certificate): Revocation | null {
    for (const c of this.crls) {
      const r = c.isRevoked(cert);
      if (r) return r;
    }
    return null;
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
    if (this.#opts.crlStale === 'refuse') {
      // The lists of the certificate's own CA decide; for a CA with no list here
      // nothing can say it is not revoked, so any stale list refuses it (fail closed).
      const own = this.crls.filter((c) => c.covers(cert));
      const stale = (own.length ? own : this.crls).find((c) => c.stale());
      if (stale) {
        return new FerryError('FERRY_CRL_STALE', `The gateway's revocation list ${stale.file} passed its next update (${stale.nextUpdate?.toISOString()}); no certificate it speaks for is accepted until a fresh one is published.`);
      }
    }
    return null;
  }

  /** What expires, and when: the gateway's certificate, each CA of the bundle, the CRL's next update. */
  expiries(): ExpiryItem[] {
    const items: ExpiryItem[] = [{ kind: 'certificate', name: this.tls.certificate.subject.replace(/\n/g, ', '), notAfter: new Date(this.tls.certificate.validTo) }];
    for (const ca of this.tls.cas) items.push({ kind: 'ca', name: ca.subject.replace(/\n/g, ', '), notAfter: new Date(ca.validTo) });
    for (const c of this.crls) if (c.nextUpdate) items.push({ kind: 'crl', name: c.file, notAfter: c.nextUpdate });
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
    const crls = this.crls.map((c) => ({ ...c.status(now), on_stale: this.#opts.crlStale }));
    for (const c of crls) if (c.rejected) warnings.push(`the CRL file on disk is not used (the last good one is in force): ${c.file}: ${c.rejected}`);
    return {
      reasons, warnings,
      checks: {
        expiry: this.expiries().map((e) => ({ kind: e.kind, name: e.name, not_after: e.notAfter.toISOString() })),
        // `crl` is the first list, as before lists were allowed; `crls` all of them.
        crl: crls[0] ?? 'none configured: no certificate is checked for revocation',
        crls,
      },
    };
  }

  close(): void {
    this.#watch?.close();
  }
}
