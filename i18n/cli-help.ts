// The --help text of the `ferry` commands, from the `cli` catalogue in the
// language of this process (i18n/cli-locale.ts). Each part still builds its own
// commands; it names the text by key instead of writing it.
import type { Command } from 'commander';
import { messages, translator } from './catalogue.js';
import type { Catalogue } from './catalogue.js';
import { cliLocale } from './cli-locale.js';

export type HelpKey = keyof Catalogue['cli']['help'];

/** The help text `key` in the CLI's language; {{name}} filled from `params`. */
export function help(key: HelpKey, params?: Record<string, string>): string {
  return translator(cliLocale(), 'cli')(`help.${key}`, params ?? {});
}

/**
 * Commander's own words (section titles, --help, --version, the help command)
 * in the CLI's language, for `cmd` and every command under it. Run once, after
 * every part has registered its commands. English needs nothing.
 */
export function localizeCommander(cmd: Command): void {
  const locale = cliLocale();
  if (locale === 'en') return;
  const titles: Record<string, string> = messages(locale).cli.titles;
  cmd.configureHelp({ ...cmd.configureHelp(), styleTitle: (s: string) => titles[s] ?? s });
  cmd.helpOption('-h, --help', help('--help'));
  if (cmd.commands.length) cmd.helpCommand('help [command]', help('help'));
  for (const sub of cmd.commands) localizeCommander(sub);
}
