import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:tls';
import { checkKeyFileMode } from './key-file-mode.js';

// The gateway's own TLS material: its certificate, its key and the CA bundle
// it trusts. Replaced as a whole, and only by a good set (the key belongs to
// the certificate, the key file is 0600, the certificate chains to the bundle),
// so a renewal caught between its two renames waits for the next look.
// Servers get the new set through setSecureContext: connections already open
// keep theirs, so nothing in flight is dropped. A bundle with two CAs trusts
// both, which is how a CA is rolled over.

export interface TlsMaterial { ca: string; cert: string; key: string }
export interface TlsPaths { ca: string; cert: string; key: string }

export class TlsHolder {
  readonly paths: TlsPaths;
  #material: TlsMaterial | null = null;
  #cas: X509Certificate[] = [];
  #cert: X509Certificate | null = null;
  #rejected: string | null = null;
  readonly #listeners: Array<() => void> = [];

  constructor(paths: TlsPaths) {
    this.paths = paths;
  }

  async load(): Promise<void> {
    const r = await this.reload();
    if (!r.ok) throw new Error(r.error);
  }

  async reload(): Promise<{ ok: true; changed: boolean } | { ok: false; error: string }> {
    let m: TlsMaterial;
    let cas: X509Certificate[];
    let cert: X509Certificate;
    try {
      await checkKeyFileMode(this.paths.key);
      m = {
        ca: await readFile(this.paths.ca, 'utf8'),
        cert: await readFile(this.paths.cert, 'utf8'),
        key: await readFile(this.paths.key, 'utf8'),
      };
      cas = splitPem(m.ca).map((p) => new X509Certificate(p));
      if (!cas.length) throw new Error(`${this.paths.ca} holds no certificate`);
      cert = new X509Certificate(m.cert);
      // Never name the key's content in a message; its path is enough.
      if (!cert.checkPrivateKey(createPrivateKey(m.key))) throw new Error(`the key ${this.paths.key} does not belong to the certificate ${this.paths.cert}`);
      if (!cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) throw new Error(`the certificate ${this.paths.cert} is not issued by a CA of ${this.paths.ca}`);
    } catch (err) {
      this.#rejected = (err as Error).message;
      return { ok: false, error: this.#rejected };
    }
    const cur = this.#material;
    const changed = !cur || cur.ca !== m.ca || cur.cert !== m.cert || cur.key !== m.key;
    this.#material = m;
    this.#cas = cas;
    this.#cert = cert;
    this.#rejected = null;
    if (changed && cur) for (const l of this.#listeners) l();
    return { ok: true, changed };
  }

  get current(): TlsMaterial {
    if (!this.#material) throw new Error('TLS material not loaded');
    return this.#material;
  }

  /** The CAs of the bundle. */
  get cas(): X509Certificate[] {
    return this.#cas;
  }

  get certificate(): X509Certificate {
    if (!this.#cert) throw new Error('TLS material not loaded');
    return this.#cert;
  }

  /** Why the files on disk are not the set in use, if they are not. */
  get rejected(): string | null {
    return this.#rejected;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Keeps a server's secure context in step with the files. */
  attach(server: Server, options: { minVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): void {
    this.onChange(() => server.setSecureContext({ ...this.current, ...options }));
  }
}

export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
