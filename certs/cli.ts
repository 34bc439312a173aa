// `ferry certs …`: the operator's side of the private PKI.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { REVOCATION_REASONS } from './revocation-reasons.js';
import { help } from '../i18n/cli-help.js';
import { translator } from '../i18n/catalogue.js';
import { cliLocale } from '../i18n/cli-locale.js';
import { labelled, padEndW, stringWidth } from '../i18n/text-width.js';

/** What the commands print, in the reader's language. */
const tr = () => translator(cliLocale(), 'certs');

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
    .description(help('certs'))
    .addHelpText('after', help('certs examples'));

  certs
    .command('init')
    .description(help('certs init'))
    .requiredOption('--dir <dir>', help('certs init --dir'))
    .option('--name <name>', help('certs init --name'), 'Ferry CA')
    .option('--days <days>', help('--days'), parseDays, 3650)
    .option('--passphrase-env <VAR>', help('certs init --passphrase-env'))
    .addHelpText('after', help('certs init examples'))
    .action(async (o: { dir: string; name: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const { initCa } = await import('./ca.js');
      const r = await initCa(o.dir, { name: o.name, days: o.days, ...(passphrase !== undefined ? { passphrase } : {}) });
      const t = tr();
      process.stdout.write(`${labelled([
        [t('label.caCert'), r.certPath],
        [t('label.caKey'), t(passphrase !== undefined ? 'modeEncrypted' : 'mode', { path: r.keyPath })],
      ])}\n\n${t('next', { dir: o.dir })}\n`);
    });

  certs
    .command('issue')
    .description(help('certs issue'))
    .requiredOption('--dir <dir>', help('certs issue --dir'))
    .requiredOption('--id <uri>', help('certs issue --id'))
    .requiredOption('--name <name>', help('certs issue --name'))
    .option('--days <days>', help('--days'), parseDays, 397)
    .option('--dns <name>', help('certs issue --dns'), collect, [])
    .option('--ip <address>', help('certs issue --ip'), collect, [])
    .option('--server', help('certs issue --server'))
    .option('--passphrase-env <VAR>', help('--passphrase-env'))
    .addHelpText('after', help('certs issue examples'))
    .action(async (o: { dir: string; id: string; name: string; days: number; dns: string[]; ip: string[]; server?: boolean; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const [{ issueCertificate }, { describeCertificate }] = await Promise.all([import('./issue.js'), import('./show.js')]);
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
      const t = tr();
      process.stdout.write(`${labelled([
        [t('label.certificate'), r.certPath], [t('label.key'), t('mode', { path: r.keyPath })],
        [t('label.identity'), s.identity ?? ''], [t('label.serial'), r.serial], [t('label.validTo'), s.notAfter],
      ])}\n`);
    });

  certs
    .command('show')
    .description(help('certs show'))
    .argument('[file]', help('certs show <file>'))
    .option('--dir <dir>', help('certs show --dir'))
    .option('--warn-days <days>', help('certs show --warn-days'), parseDays, 30)
    .option('--json', help('certs show --json'))
    .addHelpText('after', help('certs show examples'))
    .action(async (file: string | undefined, o: { json?: boolean; dir?: string; warnDays: number }) => {
      const [{ describeCertificate, formatSummary }, { expiryReport, formatExpiryReport }] = await Promise.all([import('./show.js'), import('./expiry-report.js')]);
      if (o.dir !== undefined) {
        const rows = await expiryReport(o.dir, new Date(), o.warnDays);
        process.stdout.write(o.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatExpiryReport(rows, cliLocale())}\n`);
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
      process.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary, cliLocale())}\n`);
    });

  certs
    .command('revoke')
    .description(help('certs revoke'))
    .requiredOption('--dir <dir>', help('--dir'))
    .option('--serial <hex>', help('certs revoke --serial'))
    .option('--id <uri>', help('certs revoke --id'))
    .requiredOption('--reason <reason>', help('certs revoke --reason', { reasons: Object.keys(REVOCATION_REASONS).join(', ') }))
    .option('--days <days>', help('certs revoke --days'), parseDays, 7)
    .option('--passphrase-env <VAR>', help('--passphrase-env'))
    .addHelpText('after', help('certs revoke examples'))
    .action(async (o: { dir: string; serial?: string; id?: string; reason: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const { revoke } = await import('./revoke.js');
      const r = await revoke(o.dir, {
        reason: o.reason, days: o.days,
        ...(o.serial !== undefined ? { serial: o.serial } : {}),
        ...(o.id !== undefined ? { id: o.id } : {}),
        ...(passphrase !== undefined ? { passphrase } : {}),
      });
      const t = tr();
      process.stdout.write(`${labelled([
        ...r.revoked.map((x) => [t('label.revoked'), t('revokedRow', { serial: x.serial, id: x.id, name: x.name, reason: x.reason })] as const),
        [t('label.crl'), r.crlPath],
      ])}\n`);
    });

  certs
    .command('crl')
    .description(help('certs crl'))
    .requiredOption('--dir <dir>', help('--dir'))
    .option('--days <days>', help('certs crl --days'), parseDays, 7)
    .option('--passphrase-env <VAR>', help('--passphrase-env'))
    .action(async (o: { dir: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const { publishCrl } = await import('./revoke.js');
      const path = await publishCrl(o.dir, { days: o.days, ...(passphrase !== undefined ? { passphrase } : {}) });
      const t = tr();
      // Aligned as after a revocation, which prints the same line under 'revoked' lines.
      process.stdout.write(`${padEndW(t('label.crl'), Math.max(stringWidth(t('label.crl')), stringWidth(t('label.revoked'))))}  ${path}\n`);
    });

  certs
    .command('renew')
    .description(help('certs renew'))
    .requiredOption('--dir <dir>', help('--dir'))
    .requiredOption('--name <name>', help('certs renew --name'))
    .option('--days <days>', help('--days'), parseDays, 397)
    .option('--passphrase-env <VAR>', help('--passphrase-env'))
    .addHelpText('after', help('certs renew examples'))
    .action(async (o: { dir: string; name: string; days: number; passphraseEnv?: string }) => {
      const passphrase = passphraseFromEnv(o.passphraseEnv);
      const { renewCertificate } = await import('./renew.js');
      const r = await renewCertificate(o.dir, { name: o.name, days: o.days, ...(passphrase !== undefined ? { passphrase } : {}) });
      const t = tr();
      process.stdout.write(`${labelled([
        [t('label.certificate'), r.certPath], [t('label.key'), t('mode', { path: r.keyPath })], [t('label.identity'), r.identity],
        [t('label.serial'), t('wasSerial', { serial: r.serial, previous: r.previousSerial })], [t('label.validTo'), r.notAfter.toISOString()],
      ])}\n`);
    });
}
