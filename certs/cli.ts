// `ferry certs …`: the operator's side of the private PKI.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { initCa } from './ca.js';
import { issueCertificate } from './issue.js';
import { describeCertificate, formatSummary } from './show.js';

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
  ferry certs show ./pki/sys1.crt`);

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
    .description('Show a certificate: subject, ferry identity, validity, serial and SHA-256 fingerprint.')
    .argument('<file>', 'certificate file (PEM or DER)')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Example:
  ferry certs show ./pki/sys1.crt --json`)
    .action(async (file: string, o: { json?: boolean }) => {
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
}
