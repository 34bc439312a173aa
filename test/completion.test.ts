// `ferry completion bash` is written from the command tree: what bash offers
// is what the commands take, at every depth.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { bashCompletion } from '../bin/completion.js';
import { buildProgram } from '../bin/program.js';
import { initCliLocale } from '../i18n/cli-locale.js';

initCliLocale([], {});
const dir = await mkdtemp(join(tmpdir(), 'ferry-completion-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const script = join(dir, 'ferry.bash');
await writeFile(script, bashCompletion(buildProgram()));

/** What bash offers for `words`, the last being the word under the cursor. */
function complete(words: string[]): Promise<string[]> {
  const array = words.map((w) => `'${w}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', `source '${script}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _ferry; printf '%s\\n' "\${COMPREPLY[@]}"`], (err, stdout, stderr) => {
      if (err) reject(new Error(stderr || err.message));
      else resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

t.test('commands, sub-commands and options complete; a value does not', async (t) => {
  t.same(await complete(['ferry', 'se']), ['send', 'serve-inbox']);
  t.same(await complete(['ferry', 'log', 'qu']), ['query']);
  t.same(await complete(['ferry', 'log', 'query', '--si']), ['--since']);
  t.same(await complete(['ferry', 'admin', 'ret']), ['retry']);
  t.same(await complete(['ferry', '--lang', 'zh-CN', 'rec']), ['receive'], 'a global option before the command');
  t.same(await complete(['ferry', 'receive', '--out', '']), [], 'after an option that takes a value: files, from the shell');
  t.ok((await complete(['ferry', 'receive', '--follow', '--'])).includes('--interval'), 'a flag takes no value');
  t.same(await complete(['ferry', 'completion', '--h']), ['--help']);
});
