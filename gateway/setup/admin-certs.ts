// One administrator certificate per role (三员分立), for `ferry init`: the
// certificate and key as PEM for the command line, and a PKCS#12 file a
// browser imports to open the console. The PKCS#12 passphrase is random,
// written beside it (0600): a .p12 without a passphrase is refused by some browsers' import.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { issueCertificate } from '../../certs/issue.js';
import { SECRET_MODE, writeNewFile } from '../../certs/secret-file.js';
import type { AdminRole } from '../config/gateway-config.js';

export interface AdminCredentials {
  /** ferry://admin/<name>; the name is the role's. */
  id: string;
  name: string;
  role: AdminRole;
  cert: string;
  key: string;
  p12: string;
  p12Password: string;
}

export const ADMIN_ROLES: readonly AdminRole[] = ['sysadmin', 'secadmin', 'auditor'];

export async function issueAdministrators(pkiDir: string): Promise<AdminCredentials[]> {
  const ca = await readFile(join(pkiDir, 'ca.crt'), 'utf8');
  const out: AdminCredentials[] = [];
  for (const role of ADMIN_ROLES) {
    const id = `ferry://admin/${role}`;
    const issued = await issueCertificate(pkiDir, { id, name: `admin-${role}` });
    const password = randomBytes(12).toString('base64url');
    const p12 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(issued.keyPem),
      [forge.pki.certificateFromPem(issued.certPem), forge.pki.certificateFromPem(ca)],
      password,
      // 3DES is what every browser's import (NSS, Windows, macOS) still reads.
      { algorithm: '3des', friendlyName: id },
    );
    const p12Path = join(pkiDir, `admin-${role}.p12`);
    await writeFile(p12Path, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), { flag: 'wx', mode: SECRET_MODE });
    await writeNewFile(`${p12Path}.pass`, `${password}\n`, SECRET_MODE);
    out.push({ id, name: role, role, cert: issued.certPath, key: issued.keyPath, p12: p12Path, p12Password: password });
  }
  return out;
}
