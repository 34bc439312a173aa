// `ferry certs renew`: a new key and certificate for the identity a name
// already has, written in place of <name>.key and <name>.crt so that a gateway
// watching those paths picks them up without a restart. Nothing is lost: the
// old pair is first linked to <name>.<old serial>.crt/.key, and the new files
// are renamed into place whole (key first; a gateway waits until the key and
// certificate match before it uses them).
import { X509Certificate, randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { loadCa } from './ca.js';
import { principalFromCertificate } from './identity.js';
import { checkFileName, recordLeaf, signLeaf, GATEWAY_DEFAULT_DNS, GATEWAY_DEFAULT_IPS } from './issue.js';
import { PUBLIC_MODE, SECRET_MODE } from './secret-file.js';
import { normalizeSerial } from './x509-profile.js';

export interface RenewOptions { name: string; days?: number; passphrase?: string }

export interface RenewedCertificate { certPath: string; keyPath: string; serial: string; previousSerial: string; identity: string; notAfter: Date }

export async function renewCertificate(dir: string, opts: RenewOptions): Promise<RenewedCertificate> {
  checkFileName(opts.name);
  const certPath = join(dir, `${opts.name}.crt`);
  const keyPath = join(dir, `${opts.name}.key`);
  let oldPem: string;
  try {
    oldPem = await readFile(certPath, 'utf8');
  } catch {
    throw new Error(`There is no certificate ${certPath} to renew; issue one with: ferry certs issue --dir ${dir} --name ${opts.name} --id …`);
  }
  const old = new X509Certificate(oldPem);
  const principal = principalFromCertificate(old);
  if (!principal) throw new Error(`${certPath} carries no ferry identity; it cannot be renewed.`);
  const ca = await loadCa(dir, opts.passphrase);
  // The same names and uses as before: DNS and IP names beyond the defaults, and serverAuth.
  const fc = forge.pki.certificateFromPem(oldPem);
  const alt = (fc.getExtension('subjectAltName') as { altNames?: Array<{ type: number; value?: string; ip?: string }> } | null)?.altNames ?? [];
  const dns = alt.filter((a) => a.type === 2 && a.value && !GATEWAY_DEFAULT_DNS.includes(a.value)).map((a) => a.value!);
  const ips = alt.filter((a) => a.type === 7 && a.ip && !GATEWAY_DEFAULT_IPS.includes(a.ip)).map((a) => a.ip!);
  const server = Boolean((fc.getExtension('extKeyUsage') as { serverAuth?: boolean } | null)?.serverAuth);
  const signed = await signLeaf(ca, principal, { name: opts.name, dns, ips, server, ...(opts.days !== undefined ? { days: opts.days } : {}) });

  const previousSerial = normalizeSerial(old.serialNumber);
  const tag = randomBytes(6).toString('hex');
  const keyTmp = `${keyPath}.${tag}.tmp`;
  const certTmp = `${certPath}.${tag}.tmp`;
  await writeFile(keyTmp, signed.keyPem, { flag: 'wx', mode: SECRET_MODE });
  await writeFile(certTmp, signed.certPem, { flag: 'wx', mode: PUBLIC_MODE });
  try {
    await link(certPath, join(dir, `${opts.name}.${previousSerial}.crt`));
    await link(keyPath, join(dir, `${opts.name}.${previousSerial}.key`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err; // a certificate kept without its key (e.g. the key lives elsewhere)
    });
  } catch (err) {
    await Promise.allSettled([unlink(keyTmp), unlink(certTmp)]);
    throw new Error(`Could not keep the previous certificate of ${opts.name}: ${(err as Error).message}`);
  }
  await rename(keyTmp, keyPath);
  await rename(certTmp, certPath);
  await recordLeaf(dir, principal, opts.name, signed);
  return { certPath, keyPath, serial: signed.serial, previousSerial, identity: principal.uri, notAfter: signed.notAfter };
}
