// `ferry certs …`: the operator's side of the private PKI.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { initCa } from './ca.js';
import { issueCertificate } from './issue.js';
import { describeCertificate, formatSummary } from './show.js';
import { REVOCATION_REASONS } from './crl.js';
import { expiryReport, formatExpiryReport } from './expiry-report.js';
import { renewCertificate } from './renew.js';
import { publishCrl, revoke } from './revoke.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseDays(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new Error(`--days must be a whole number of days, not ${JSON.stringify(value)}.`);
  return Number(value);
}

/** Passphrases come from the environment, never the command line (argv is visible to every user in ps). */
function passphraseFromEnv(variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (value === undefined || value === '') {
    throw new Error(`The environment variable ${variable} (named by --passphrase-env) is not set or empty.`);
  }
  return value;
}

export function register(program: Command): void {
  const certs = program
    .command('certs')
    .description('The private PKI: a CA, and certificates whose identity is a ferry:// URI.')
    .addHelpText('after', `
Examples:
  ferry certs init --dir ./pki
  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1
  ferry certs issue --dir ./pki --id ferry://extranet/archive --name archive --server
  ferry certs issue --dir ./pki --id ferry://gateway/gw1 --name gw1 --dns gw1.example.org
  ferry certs show ./pki/sys1.crt
  ferry certs show --dir ./pki
  ferry certs revoke --dir ./pki --id ferry://police/sys1 --reason key-compromise
  ferry certs renew --dir ./pki --name gw1`);

  certs
    .command('init')
    .description('Create a certificate authority: ca.crt, and ca.key (mode 0600, encrypted with --passphrase-env).')
    .requiredOption('--dir <dir>', 'directory for the CA (created, mode 0700)')
    .option('--name <name>', 'common name of the CA', 'Ferry CA')
    .option('--days <days>', 'validity in days', parseDays, 3650)
    .option('--passphrase-env <VAR>', 'encrypt ca.key with the passphrase in this environment variable')
    .addHelpText('after', `
Example:
  FERRY_CA_PASS=... ferry certs init --dir ./pki --name "Province Data Bureau CA" --passphrase-env FERRY_CA_PASS`)
    .action(async (o: { dir: string; name: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const r = await initCa(o.dir, { name: o.name, days: o.days, ...(passphrase !== undefined ? { passphrase } : {}) });
      process.stdout.write(`CA certificate  ${r.certPath}\nCA key          ${r.keyPath} (mode 0600${passphrase !== undefined ? ', encrypted' : ''})\n\nNext: ferry certs issue --dir ${o.dir} --id ferry://<network>/<system> --name <name>\n`);
    });

  certs
    .command('issue')
    .description('Issue a certificate: ferry://<network>/<system> for a system (TLS client), ferry://gateway/<name> for a gateway (TLS server and client).')
    .requiredOption('--dir <dir>', 'directory of the CA; <name>.crt and <name>.key are written there')
    .requiredOption('--id <uri>', 'identity: ferry://<network>/<system> or ferry://gateway/<name>')
    .requiredOption('--name <name>', 'common name and file name')
    .option('--days <days>', 'validity in days', parseDays, 397)
    .option('--dns <name>', 'extra DNS name for a gateway (repeatable; localhost is always included)', collect, [])
    .option('--ip <address>', 'extra IP address for a gateway (repeatable; 127.0.0.1 and ::1 are always included)', collect, [])
    .option('--server', 'a system that receives push deliveries: make its certificate usable by a TLS server too')
    .option('--passphrase-env <VAR>', 'the environment variable holding the CA key passphrase')
    .addHelpText('after', `
Examples:
  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1
  ferry certs issue --dir ./pki --id ferry://extranet/archive --name archive --server
  ferry certs issue --dir ./pki --id ferry://gateway/gw1 --name gw1 --dns gw1.internal --ip 10.0.0.5`)
    .action(async (o: { dir: string; id: string; name: string; days: number; dns: string[]; ip: string[]; server?: boolean; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const r = await issueCertificate(o.dir, {
        id: o.id,
        name: o.name,
        days: o.days,
        dns: o.dns,
        ips: o.ip,
        server: o.server === true,
        ...(passphrase !== undefined ? { passphrase } : {}),
      });
      const s = describeCertificate(r.certPem);
      process.stdout.write(`certificate  ${r.certPath}\nkey          ${r.keyPath} (mode 0600)\nidentity     ${s.identity}\nserial       ${r.serial}\nvalid to     ${s.notAfter}\n`);
    });

  certs
    .command('show')
    .description('Show a certificate (subject, ferry identity, validity, serial, SHA-256), or with --dir everything a CA issued and when it expires.')
    .argument('[file]', 'certificate file (PEM or DER)')
    .option('--dir <dir>', 'list the CA, its CRL and every certificate issued, with expiry and state')
    .option('--warn-days <days>', 'with --dir: flag what expires within this many days', parseDays, 30)
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  ferry certs show ./pki/sys1.crt --json
  ferry certs show --dir ./pki`)
    .action(async (file: string | undefined, o: { json?: boolean; dir?: string; warnDays: number }) => {
      if (o.dir !== undefined) {
        const rows = await expiryReport(o.dir, new Date(), o.warnDays);
        process.stdout.write(o.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatExpiryReport(rows)}\n`);
        return;
      }
      if (file === undefined) throw new Error('Give a certificate file, or --dir D to list a CA directory.');
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (err) {
        throw new Error(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
      }
      let summary;
      try {
        summary = describeCertificate(data);
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
      process.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
    });

  certs
    .command('revoke')
    .description('Revoke a certificate (by serial) or every live certificate of an identity, and write a new CRL (ca.crl) signed by the CA.')
    .requiredOption('--dir <dir>', 'directory of the CA')
    .option('--serial <hex>', 'serial number of the certificate (see issued.jsonl or ferry certs show)')
    .option('--id <uri>', 'revoke every unexpired certificate of this identity')
    .requiredOption('--reason <reason>', `one of: ${Object.keys(REVOCATION_REASONS).join(', ')}`)
    .option('--days <days>', 'days until the CRL\'s next update', parseDays, 7)
    .option('--passphrase-env <VAR>', 'the environment variable holding the CA key passphrase')
    .addHelpText('after', `
Gateways that name the CRL in gateway.yaml (tls.crl) reload it within seconds and
close connections made with a revoked certificate.

Example:
  ferry certs revoke --dir ./pki --id ferry://police/sys1 --reason key-compromise`)
    .action(async (o: { dir: string; serial?: string; id?: string; reason: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const r = await revoke(o.dir, {
        reason: o.reason, days: o.days,
        ...(o.serial !== undefined ? { serial: o.serial } : {}),
        ...(o.id !== undefined ? { id: o.id } : {}),
        ...(passphrase !== undefined ? { passphrase } : {}),
      });
      for (const x of r.revoked) process.stdout.write(`revoked  ${x.serial}  ${x.id}  (${x.name}, ${x.reason})\n`);
      process.stdout.write(`CRL      ${r.crlPath}\n`);
    });

  certs
    .command('crl')
    .description('Sign a fresh CRL from revoked.jsonl: run it before the current one\'s next update (e.g. daily from cron).')
    .requiredOption('--dir <dir>', 'directory of the CA')
    .option('--days <days>', 'days until the next update', parseDays, 7)
    .option('--passphrase-env <VAR>', 'the environment variable holding the CA key passphrase')
    .action(async (o: { dir: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const path = await publishCrl(o.dir, { days: o.days, ...(passphrase !== undefined ? { passphrase } : {}) });
      process.stdout.write(`CRL      ${path}\n`);
    });

  certs
    .command('renew')
    .description('A new key and certificate for the same identity, in place of <name>.key and <name>.crt (the old pair is kept as <name>.<serial>.*).')
    .requiredOption('--dir <dir>', 'directory of the CA')
    .requiredOption('--name <name>', 'the name the certificate was issued under')
    .option('--days <days>', 'validity in days', parseDays, 397)
    .option('--passphrase-env <VAR>', 'the environment variable holding the CA key passphrase')
    .addHelpText('after', `
A gateway using these files picks the new pair up without a restart.

Example:
  ferry certs renew --dir ./pki --name gw1`)
    .action(async (o: { dir: string; name: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const r = await renewCertificate(o.dir, { name: o.name, days: o.days, ...(passphrase !== undefined ? { passphrase } : {}) });
      process.stdout.write(`certificate  ${r.certPath}\nkey          ${r.keyPath} (mode 0600)\nidentity     ${r.identity}\nserial       ${r.serial} (was ${r.previousSerial})\nvalid to     ${r.notAfter.toISOString()}\n`);
    });
}
