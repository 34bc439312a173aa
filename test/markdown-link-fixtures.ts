// N13 (red team, 1 Dec b): Markdown link texts that render a marking; beside
// them Markdown and minified code with links that must stay clean (markdown-links.ts).
import type { Sample } from './evasion-fixtures.js';

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (expect: string) => (name: string, s: string, filename = 'README.md', type = 'text/markdown'): Sample => ({ name, filename, type, body: u8(s), expect });

export function markdownLinkSamples(): Sample[] {
  const t = text('classified-marking');
  return [
    t('N13: one character a link', '# 通知\n\n[机](a)[密](b)★10年\n'),
    t('N13: links with long targets and titles', '见[绝](https://example.com/a/b/c?x=1 "第一")[密](https://example.com/d/e "第二")★长期。\n'),
    t('N13: the label, images and links', '![密](i.png)[级](#l)：[机](https://a.example/x_(y))[密](#m)\n'),
    t('N13: far into a long file', `${'普通的段落文字。\n'.repeat(9000)}[秘](a)[密](b)★1年\n`),
  ];
}

export function markdownLinkCleanSamples(): Sample[] {
  const t = text('');
  return [
    t('a README with links around 密', '安装说明见[文档](docs/install.md)。[密码](docs/password.md)管理见[保密制度](https://example.com/rules)。评分：★★★\n'),
    t('minified JavaScript with 密 and link-like syntax', 'var a=[1](2);function f(e){return e[0](e[1])}var m="密码",k=[m](x)["机"](y);\n', 'app.min.js', 'text/javascript'),
    t('a link whose text is a level word, then prose', '参见[商业秘密](https://example.com/ts)保护条例，及[工作秘密](#g)的管理。\n'),
  ];
}
