// How a business system reaches its gateway: the gateway's URL, the system's
// certificate and key (its identity, nothing else is), and the Ferry CA that
// the gateway's certificate must chain to. One undici Agent per connection
// keeps TLS sessions and sockets alive across the requests of a command.

import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { ClientError, MAX_PROBLEM_BYTES, refusalFromResponse } from './refusal.js';
import { readBounded } from '../protocol/read-bounded.js';
import { cliLocale } from '../i18n/cli-locale.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

export interface ConnectionFlags {
  gateway?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  ca?: string | undefined;
}

export interface ConnectionOptions {
  /** https://host:port of the gateway listener on the system's own network. */
  gateway: URL;
  certPem: string;
  keyPem: string;
  caPem: string;
  /** For a key encrypted at rest (FERRY_KEY_PASSPHRASE); never logged. */
  passphrase?: string | undefined;
  /** Waits named after what they guard; defaults suit a slow link. */
  connectTimeoutMs?: number;
  /** How long the gateway may think after the last byte (inspection, antivirus, fsync). */
  headersTimeoutMs?: number;
  /** Longest silence while a body streams down. */
  bodyTimeoutMs?: number;
  /** Sent as Accept-Language: the gateway words its refusals in it (codes never change). */
  locale?: Locale | undefined;
}

type Env = Record<string, string | undefined>;

/** A sentence of the `cli` catalogue's `conn` section, in the CLI's language. */
function say(key: string, params: Record<string, unknown> = {}): string {
  return translator(cliLocale(), 'cli')(`conn.${key}`, params);
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ClientError(say('cannotRead', { what: say(`what.${what}`), path, reason }), { cause: err });
  }
}

export function parseGatewayUrl(s: string): URL {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new ClientError(say('notUrl', { address: JSON.stringify(s) }));
  }
  // Identity is mutual TLS; a plain-HTTP gateway would be an impostor or a mistake.
  if (u.protocol !== 'https:') throw new ClientError(say('notHttps', { got: `${u.protocol}//` }));
  if (u.pathname !== '/' || u.search || u.hash) throw new ClientError(say('withPath'));
  return u;
}

/** Flags win over the environment; anything missing is a usage error that names the flag and the variable. */
export async function resolveConnectionOptions(flags: ConnectionFlags, env: Env = process.env): Promise<ConnectionOptions> {
  const pick = (flag: string | undefined, name: string, flagName: string, what: string): string => {
    const v = flag ?? env[name];
    if (!v) throw new ClientError(say('missing', { what: say(`what.${what}`), flag: flagName, env: name }));
    return v;
  };
  const gateway = parseGatewayUrl(pick(flags.gateway, 'FERRY_GATEWAY', 'gateway', 'gateway address'));
  const certPath = pick(flags.cert, 'FERRY_CERT', 'cert', 'client certificate');
  const keyPath = pick(flags.key, 'FERRY_KEY', 'key', 'client key');
  const caPath = pick(flags.ca, 'FERRY_CA', 'ca', 'Ferry CA certificate');
  const [certPem, keyPem, caPem] = await Promise.all([
    readPem(certPath, 'client certificate'),
    readPem(keyPath, 'client key'),
    readPem(caPath, 'CA certificate'),
  ]);
  const passphrase = env.FERRY_KEY_PASSPHRASE || undefined;
  checkLocalCredentials({ certPath, certPem, keyPath, keyPem, caPath, caPem, passphrase });
  return { gateway, certPem, keyPem, caPem, passphrase, locale: cliLocale() };
}

/**
 * The certificate, key and CA checked here, before any connection: OpenSSL's
 * own words for these ("key values mismatch", "bad decrypt") would otherwise
 * arrive as a failure to reach the gateway, when the problem is on this machine.
 */
export function checkLocalCredentials(c: { certPath: string; certPem: string; keyPath: string; keyPem: string; caPath: string; caPem: string; passphrase?: string | undefined }): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(c.certPem);
  } catch {
    throw new ClientError(say('local.notCert', { path: c.certPath }));
  }
  try {
    new X509Certificate(c.caPem);
  } catch {
    throw new ClientError(say('local.notCa', { path: c.caPath }));
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: c.keyPem, ...(c.passphrase ? { passphrase: c.passphrase } : {}) });
  } catch (err) {
    // OpenSSL 3 says "interrupted or cancelled" for a missing passphrase: the PEM header says it better.
    const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(c.keyPem);
    if (encrypted && !c.passphrase) throw new ClientError(say('local.keyEncrypted', { path: c.keyPath }));
    if (encrypted) throw new ClientError(say('local.wrongPassphrase', { path: c.keyPath }));
    throw new ClientError(say('local.notKey', { path: c.keyPath }));
  }
  if (!cert.checkPrivateKey(key)) throw new ClientError(say('local.mismatch', { cert: c.certPath, key: c.keyPath }));
}

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export class Connection {
  readonly gateway: URL;
  #agent: Agent;
  readonly #locale: Locale | undefined;

  constructor(opts: ConnectionOptions) {
    this.gateway = opts.gateway;
    this.#locale = opts.locale;
    this.#agent = new Agent({
      connect: {
        ca: opts.caPem,
        cert: opts.certPem,
        key: opts.keyPem,
        ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
        // Only our CA: the system trusts its gateway, not the public web PKI.
        rejectUnauthorized: true,
        timeout: opts.connectTimeoutMs ?? 15_000,
      },
      headersTimeout: opts.headersTimeoutMs ?? 600_000,
      bodyTimeout: opts.bodyTimeoutMs ?? 120_000,
    });
  }

  url(path: string): URL {
    return new URL(path, this.gateway);
  }

  /** One request; network failures become ClientErrors that say what could not be reached. */
  async request(method: Dispatcher.HttpMethod, path: string, opts: {
    headers?: Record<string, string>;
    body?: Dispatcher.DispatchOptions['body'];
    signal?: AbortSignal | undefined;
  } = {}): Promise<GatewayResponse> {
    try {
      const res = await request(this.url(path), {
        dispatcher: this.#agent,
        method,
        headers: { ...(this.#locale ? { 'accept-language': this.#locale } : {}), ...opts.headers },
        body: opts.body ?? null,
        signal: opts.signal,
      });
      return { statusCode: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw connectionFailure(err, this.gateway);
    }
  }

  /** Read a small JSON answer; a non-2xx answer becomes a GatewayRefusal. */
  async json<T>(method: Dispatcher.HttpMethod, path: string): Promise<T> {
    const res = await this.request(method, path, { headers: { accept: 'application/json' } });
    await throwIfRefused(res);
    const text = await readAnswer(res.body, MAX_PROBLEM_BYTES * 64, this.gateway);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClientError(`the gateway at ${this.gateway.origin} answered ${method} ${path} with something that is not JSON`);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function header(res: GatewayResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
export { header as responseHeader };

/** Collect a small answer as text, refusing more than `limit` bytes. */
export async function readAnswer(body: AsyncIterable<Buffer>, limit: number, gateway: URL): Promise<string> {
  let got;
  try {
    got = await readBounded(body, limit);
  } catch (err) {
    throw connectionFailure(err, gateway);
  }
  if (got.overflowed) throw new ClientError(`the gateway at ${gateway.origin} sent an answer larger than ${limit} bytes where a small one was expected`);
  return got.text;
}

/** Throws the gateway's refusal for any non-2xx answer; leaves a 2xx body unread. */
export async function throwIfRefused(res: GatewayResponse, gateway?: URL): Promise<void> {
  if (res.statusCode >= 200 && res.statusCode < 300) return;
  let text = '';
  try {
    text = await readAnswer(res.body, MAX_PROBLEM_BYTES, gateway ?? new URL('https://gateway.invalid'));
  } catch {
    // A refusal whose body broke off still has its status; report that rather than the socket.
    res.body.destroy();
  }
  throw refusalFromResponse(res.statusCode, text, header(res, 'retry-after'));
}

/** Describe a transport failure in words: which gateway, what went wrong (never a stack trace). */
export function connectionFailure(err: unknown, gateway: URL): Error {
  if (err instanceof ClientError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const where = gateway.origin;
  let what: string;
  switch (code) {
    case 'ECONNREFUSED': what = say('why.refused'); break;
    case 'ENOTFOUND': case 'EAI_AGAIN': what = say('why.dns'); break;
    case 'UND_ERR_CONNECT_TIMEOUT': what = say('why.connectTimeout'); break;
    case 'UND_ERR_HEADERS_TIMEOUT': what = say('why.headersTimeout'); break;
    case 'UND_ERR_BODY_TIMEOUT': what = say('why.bodyTimeout'); break;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      what = say('why.otherCa', { code }); break;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': what = say('why.altname'); break;
    case 'CERT_HAS_EXPIRED': what = say('why.expired'); break;
    case 'ECONNRESET': case 'EPIPE': case 'UND_ERR_SOCKET': what = say('why.broke'); break;
    default: what = e.message ?? String(err);
  }
  return new ClientError(say('unreachable', { where, what }), { cause: err });
}
