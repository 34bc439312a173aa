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

t.test('the text after --help of log, certs and gateway is in the reader\'s language too; the commands in it unchanged, English as before', async (t) => {
  const env = { LC_ALL: '', LC_MESSAGES: '' };
  const zh = { ...env, LANG: 'zh_CN.UTF-8' };
  const c = { ...env, LANG: 'C' };
  const [query, issue, gateway, queryEn, issueEn, gatewayEn] = await Promise.all([
    runFerry(['log', 'query', '--help'], { env: zh }),
    runFerry(['certs', 'issue', '--help'], { env: zh }),
    runFerry(['gateway', '--help'], { env: zh }),
    runFerry(['log', 'query', '--help'], { env: c }),
    runFerry(['certs', 'issue', '--help'], { env: c }),
    runFerry(['gateway', '--help'], { env: c }),
  ]);
  const queryLine = 'ferry log query --db data/audit.db --source police/records --verdict deny --since 2026-11-01 --limit 50';
  t.match(query.stdout, '同时读取其旁边 audit-segments/ 中已封存的段', 'log query: the note in Chinese');
  t.match(query.stdout, `示例：\n  ${queryLine}\n`, 'log query: the example command as it is');
  t.match(issue.stdout, '示例：\n  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1\n', 'certs issue: the examples as they are');
  t.match(gateway.stdout, '先校验配置；文件有误时以状态 2 退出', 'gateway: the note in Chinese');
  t.match(gateway.stdout, '  {"event":"ready","pid":1234,"gateway":"ferry://gateway/gw1","ports":{"police":8443,"extranet":8444},"admin":8445}\n', 'gateway: the ready line as it is');
  t.match(gateway.stdout, '示例：\n  ferry gateway --config ./ferry-dev/gateway.yaml', 'gateway: the example command as it is');
  for (const r of [query, issue, gateway]) t.notMatch(r.stdout, /Examples?:|Exit 0|The configuration is validated/, 'no English prose left');

  t.match(queryEn.stdout, `Given data/audit.db (or the data directory), the sealed segments in\naudit-segments/ beside it are read too, oldest first, then the live log; a\ntime range skips the segments wholly outside it. A record's SEQ counts within\nits segment.\n\nExample:\n  ${queryLine}\n`, 'log query: English as before');
  t.match(issueEn.stdout, /\nExamples:\n {2}ferry certs issue --dir \.\/pki --id ferry:\/\/police\/sys1 --name sys1\n/, 'certs issue: English as before');
  t.match(gatewayEn.stdout, 'The configuration is validated first; a bad file exits with status 2 and\nfile:line:column for each problem.', 'gateway: English as before');
  for (const r of [queryEn, issueEn, gatewayEn]) t.notMatch(r.stdout, CJK, 'LANG=C: no Chinese');
});
