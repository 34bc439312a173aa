import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { problemMessage } from '../../i18n/problem-text.js';
import { cliLocale } from '../../i18n/cli-locale.js';
import { readFile } from 'node:fs/promises';
import { principalFromCertificate } from '../../certs/identity.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { loadPolicyFile } from '../../policies/load-policy.js';
import { checkKeyFileMode } from '../trust/key-file-mode.js';
import { CrlHolder } from '../trust/crl-holder.js';
import { adminExposure } from '../config/admin-exposure.js';

// What a start would load, loaded before anything is touched: the TLS files
// (each parsed, the certificate naming this gateway and matching its key, the
// CA a certificate), the policy. `ferry gateway --check` runs exactly this, so a
// configuration it passes does not fail at start for these reasons.

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface Preflight {
  /** Problems, each a sentence naming the configuration key it is about. */
  problems: string[];
  /** Warnings that do not stop a start. */
  warnings: string[];
  /** The TLS files' contents, when all three could be read. */
  tls: TlsFiles | null;
}

async function readConfigured(key: string, path: string, problems: string[]): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'this user may not read it' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    problems.push(`${key}: cannot read ${path}: ${why}.`);
    return null;
  }
}

function certificatesIn(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

function checkTls(config: GatewayConfig, tls: TlsFiles, problems: string[], warnings: string[]): void {
  let cas: X509Certificate[] = [];
  try {
    cas = certificatesIn(tls.ca);
    if (cas.length === 0) problems.push(`tls.ca: ${config.tls.ca} holds no PEM certificate (is it a key or another kind of file?).`);
    else if (!cas.some((c) => c.ca)) problems.push(`tls.ca: ${config.tls.ca} is a certificate but not a CA certificate.`);
  } catch {
    problems.push(`tls.ca: ${config.tls.ca} is not a readable certificate.`);
  }
  let cert: X509Certificate | null = null;
  try {
    cert = certificatesIn(tls.cert)[0] ?? null;
    if (!cert) problems.push(`tls.cert: ${config.tls.cert} holds no PEM certificate.`);
  } catch {
    problems.push(`tls.cert: ${config.tls.cert} is not a readable certificate.`);
  }
  let key: KeyObject | null = null;
  try {
    key = createPrivateKey(tls.key);
  } catch (err) {
    const encrypted = /ENCRYPTED/.test(tls.key) || /passphrase/i.test((err as Error).message);
    problems.push(`tls.key: ${config.tls.key} is not ${encrypted ? 'an unencrypted' : 'a readable'} private key.`);
  }
  if (!cert) return;
  const expected = `ferry://gateway/${config.name}`;
  const principal = principalFromCertificate(cert);
  if (!principal) problems.push(`tls.cert: the certificate carries no ferry:// identity; it must name ${expected}.`);
  else if (principal.uri !== expected) problems.push(`tls.cert: the certificate is for ${principal.uri}, but this gateway is named '${config.name}' (${expected}).`);
  if (key && !cert.checkPrivateKey(key)) problems.push(`tls.key: ${config.tls.key} is not the key of the certificate in tls.cert.`);
  if (cas.length && !cas.some((ca) => cert!.checkIssued(ca) && cert!.verify(ca.publicKey))) problems.push(`tls.cert: the certificate was not issued by the CA in tls.ca.`);
  const now = Date.now();
  if (Date.parse(cert.validTo) < now) problems.push(`tls.cert: the certificate expired on ${cert.validTo}.`);
  else if (Date.parse(cert.validFrom) > now) problems.push(`tls.cert: the certificate is not valid before ${cert.validFrom}.`);
  else if (Date.parse(cert.validTo) - now < 14 * 86_400_000) warnings.push(`tls.cert: the certificate expires on ${cert.validTo}; renew it soon.`);
}

export async function preflight(config: GatewayConfig, opts: { requirePolicy?: boolean } = {}): Promise<Preflight> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const ca = await readConfigured('tls.ca', config.tls.ca, problems);
  const cert = await readConfigured('tls.cert', config.tls.cert, problems);
  const key = await readConfigured('tls.key', config.tls.key, problems);
  const tls = ca !== null && cert !== null && key !== null ? { ca, cert, key } : null;
  if (tls) checkTls(config, tls, problems, warnings);
  if (key !== null) await checkKeyFileMode(config.tls.key).catch((err: Error) => problems.push(`tls.key: ${err.message}`));
  // The CRL must be good at start (there is no last good one to keep yet: gateway/trust/crl-holder.ts).
  if (tls && config.tls.crls.length) {
    const cas = certificatesIn(tls.ca);
    for (const f of config.tls.crls) await new CrlHolder(f, () => cas).load().catch((err: Error) => problems.push(`tls.crl: ${err.message}`));
  }
  if (config.policyFile) {
    const loaded = await loadPolicyFile(config.policyFile);
    for (const p of loaded.problems) {
      const line = `policy: ${p.file}:${p.line}:${p.column}: ${problemMessage(p, cliLocale())}`;
      if (p.severity === 'error') problems.push(line);
      else warnings.push(line);
    }
  } else if (opts.requirePolicy !== false) {
    problems.push("policy: no policy file is configured, so every transfer would be denied. Set 'policy' in the configuration to a policy file (policies/examples/default.yaml is a start).");
  }
  const admin = adminExposure(config);
  warnings.push(...admin.warnings);
  problems.push(...admin.problems);
  return { problems, warnings, tls };
}
