// `ferry completion bash|zsh`: a completion script written from the command
// tree itself, so it never lags behind the commands. zsh runs the bash one
// through bashcompinit.
import type { Command } from 'commander';
import { help } from '../i18n/cli-help.js';

/** Every command path ('' for ferry itself) with the words that may follow it. */
function table(cmd: Command, at = '', out = new Map<string, string[]>()): Map<string, string[]> {
  const words = [...cmd.commands.map((c) => c.name()), ...cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))), '--help'];
  out.set(at, [...new Set(words)]);
  for (const c of cmd.commands) table(c, at ? `${at} ${c.name()}` : c.name(), out);
  return out;
}

const shellWord = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Options that take a value (--out <dir>): after one, the shell completes files. */
function valueOptions(cmd: Command, out = new Set<string>()): Set<string> {
  for (const o of cmd.options) if ((o.required || o.optional) && o.long) out.add(o.long);
  for (const c of cmd.commands) valueOptions(c, out);
  return out;
}

export function bashCompletion(program: Command): string {
  const t = table(program);
  const takesValue = [...valueOptions(program)].join(' ');
  const paths = [...t.keys()].filter(Boolean);
  const cases = [...t].map(([path, words]) => `    ${shellWord(path)}) words=${shellWord(words.join(' '))} ;;`).join('\n');
  return `# ferry completion for bash. Load it with: source <(ferry completion bash)
# or install it: ferry completion bash > /etc/bash_completion.d/ferry
_ferry() {
  COMPREPLY=()
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path="" i w words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case "\${path:+$path }$w" in
      ${paths.map(shellWord).join('|')}) path="\${path:+$path }$w" ;;
    esac
  done
  # After an option that takes a value (a file, a name): the shell's own completion.
  if [[ $cur != -* && " ${takesValue} " == *" $prev "* ]]; then return 0; fi
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -o bashdefault -F _ferry ferry
`;
}

export function zshCompletion(program: Command): string {
  return `# ferry completion for zsh. Load it with: source <(ferry completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

export function registerCompletion(program: Command): void {
  program.command('completion')
    .description(help('completion'))
    .argument('<shell>', help('completion <shell>'))
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') {
        process.stderr.write(`ferry completion: ${shell}: bash or zsh\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(shell === 'bash' ? bashCompletion(program) : zshCompletion(program));
    });
}
