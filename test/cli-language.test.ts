// The command line in Chinese: --lang, LC_ALL, LC_MESSAGES, LANG pick it; every
// command and option has its --help text in both languages; English stays as it was.
import type { Command } from 'commander';
import t from 'tap';
import { buildProgram } from '../bin/program.js';
import { initCliLocale } from '../i18n/cli-locale.js';
import { runFerry } from './helpers/ferry-process.js';

const CJK = /[\u4e00-\u9fff]/;

/** Every help text of the tree: 'path' for a command, 'path --flag' for an option. */
function helpTexts(cmd: Command, at = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (at) out.set(at, cmd.description());
  for (const a of cmd.registeredArguments) if (a.description) out.set(`${at} <${a.name()}>`, a.description);
  for (const o of cmd.options) out.set(`${at} ${o.long ?? o.short}`.trim(), o.description);
  for (const c of cmd.commands) for (const [k, v] of helpTexts(c, at ? `${at} ${c.name()}` : c.name())) out.set(k, v);
  return out;
}

t.test('every command and option has its --help text in both languages', async (t) => {
  t.teardown(() => initCliLocale([], {}));
  initCliLocale(['--lang', 'zh-CN'], {});
  const zh = helpTexts(buildProgram());
  initCliLocale([], { LANG: 'C' });
  const en = helpTexts(buildProgram());
  t.ok(en.size > 200, `${en.size} help texts`);
  t.same([...zh.keys()], [...en.keys()], 'the same tree in both languages');
  // A command or option added with an English text in code, not in the catalogue, shows here.
  t.same([...zh].filter(([, v]) => !CJK.test(v)).map(([k]) => k), [], 'every text is in Chinese under --lang zh-CN');
  t.same([...en].filter(([, v]) => !v || CJK.test(v)).map(([k]) => k), [], 'every text is in English otherwise');
});

t.test('LANG=zh_CN.UTF-8 gives Chinese --help; C gives English (the order of LC_ALL, LC_MESSAGES, LANG: test/i18n.test.ts)', async (t) => {
  const env = { LC_ALL: '', LC_MESSAGES: '' };
  const root = await runFerry(['--help'], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
  t.equal(root.code, 0);
  t.match(root.stdout, /^用法： ferry \[options\] \[command\]/);
  t.match(root.stdout, 'Ferry：跨网数据交换网关');
  t.match(root.stdout, '命令：');
  t.match(root.stdout, /--lang <language> +消息语言：zh-CN 或 en/);

  const send = await runFerry(['send', '--help'], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
  t.match(send.stdout, '经网关将文件发送给另一网络上的系统');
  t.match(send.stdout, /--to <network\/system> +目的地，例如 extranet\/archive/);
  t.match(send.stdout, /-h, --help +显示命令帮助/);

  const c = await runFerry(['send', '--help'], { env: { ...env, LANG: 'C' } });
  t.match(c.stdout, /^Usage: ferry send \[options\] <file>/);
  t.match(c.stdout, 'send a file through the gateway to a system on another network');
  t.notMatch(c.stdout, CJK, 'LANG=C: no Chinese');

  const flag = await runFerry(['--lang', 'zh-CN', 'status', '--help'], { env: { ...env, LANG: 'C' } });
  t.match(flag.stdout, '显示本系统所发传输的当前状态', '--lang zh-CN wins over LANG=C');

  const bad = await runFerry(['--lang', 'fr', '--help'], { env });
  t.equal(bad.code, 2, 'an unknown --lang is a usage error');
  t.match(bad.stderr, 'use zh-CN or en');
});

t.test('a local error is a Chinese sentence that still names the flag and the variable', async (t) => {
  const r = await runFerry(['send', 'nothing.txt', '--to', 'extranet/archive'], {
    env: { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '', FERRY_GATEWAY: '', FERRY_CERT: '', FERRY_KEY: '', FERRY_CA: '' },
  });
  t.equal(r.code, 2);
  t.match(r.stderr, 'ferry send: 未指定网关地址：请使用 --gateway 或设置环境变量 FERRY_GATEWAY');
});

t.test('the text after --help of the policy, sim, send, status and receive commands is in the reader\'s language; the commands in it unchanged', async (t) => {
  const env = { LC_ALL: '', LC_MESSAGES: '' };
  const [zh, en, sim, send] = await Promise.all([
    runFerry(['policy', 'check', '--help'], { env: { ...env, LANG: 'zh_CN.UTF-8' } }),
    runFerry(['policy', 'check', '--help'], { env: { ...env, LANG: 'C' } }),
    runFerry(['sim', 'run', '--help'], { env: { ...env, LANG: 'zh_CN.UTF-8' } }),
    runFerry(['send', '--help'], { env: { ...env, LANG: 'zh_CN.UTF-8' } }),
  ]);
  t.match(en.stdout, /Prints every problem as file:line:column: severity: message\. Exit 0 when no\nfile has an error/, 'English as before');
  t.match(zh.stdout, /每个问题按 文件:行:列: 严重程度: 说明 的格式输出/, 'the sentence in Chinese');
  t.match(zh.stdout, /示例：\n  ferry policy check policies\/examples\/default\.yaml\n/, 'the example command as it is');
  t.notMatch(zh.stdout, /Example|Exit 0/, 'no English prose left');
  t.match(sim.stdout, /ferry sim check my-topology\.yaml {12}只校验/, 'sim run: the note of an example in Chinese');
  t.match(send.stdout, /退出码：0 已受理/, 'send: its exit statuses in Chinese');
  t.match(send.stdout, /ferry send report\.pdf --to extranet\/archive --label internal \\\n/, 'send: the example command as typed');
});
