import iconv from 'iconv-lite';
import { MARK, type Sample } from './evasion-fixtures.js';

// Third red team of 30 November (probes 04-separators.mjs, 04b-braille.mjs on
// the branch redteam3): what a reader sees as nothing or as blank space
// between a marking's characters, and a marking right after '[' or '【'.
// Beside them, ordinary content made of the same characters (Braille, a
// terminal's colours, embedded objects, music and hieroglyph encodings, and
// words in brackets) that must stay clean.

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const E = '\x1b';
const cps = (from: number, to: number): string => String.fromCodePoint(...Array.from({ length: to - from + 1 }, (_, i) => from + i));
/** n characters of the alphabet, in turn. */
const run = (alphabet: string, n: number): string => {
  const a = [...alphabet];
  return Array.from({ length: n }, (_, i) => a[i % a.length]!).join('');
};
/** 机 + between + 密★10年, in a line of text. */
const split = (between: string): Buffer => u8(`文件 机${between}${MARK.slice(1)} 内容\n`);

export function invisibleSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, expect = 'classified-marking', filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect });
  };
  // Blank: counted like spaces, one run ended by a character is one separator, however long.
  e('40 U+2800 BRAILLE PATTERN BLANK', split('\u2800'.repeat(40)));
  e('1,000 U+2800', split('\u2800'.repeat(1000)));
  e('40 U+FFFC OBJECT REPLACEMENT CHARACTER', split('\ufffc'.repeat(40)));
  e('40 U+1D159 MUSICAL SYMBOL NULL NOTEHEAD', split('\u{1d159}'.repeat(40)));
  e('40 ESC', split(E.repeat(40)));
  e('40 C0 controls (BEL, BS, SO, SUB, ESC, FS, US…)', split(run('\x07\x08\x0e\x0f\x10\x1a\x1b\x1c\x1f', 40)));
  e('40 C1 controls', split(run('\x80\x84\x86\x90\x9c\x9f', 40)));
  e('blanks mixed with spaces (U+2800, tab, ESC, NBSP)', split(run('\u2800\t\x1b \u00a0', 90)));
  // A terminal's escape sequences, which it shows as nothing.
  e("ten SGR colour codes (ESC [ 0 m)", split(`${E}[0m`.repeat(10)));
  e('256-colour and true-colour SGR', split(`${E}[38;5;196m${E}[48;2;10;20;30m${E}[m`));
  e('an OSC window title and a hyperlink', split(`${E}]0;title${E}\\${E}]8;;https://example.com/a${E}\\`));
  e('a charset designation (ESC ( B) and C1 CSI', split(`${E}(B\u009b1m`));
  // Nothing: Default_Ignorable_Code_Point and format characters of plane 1 and plane 14, skipped.
  e('40 musical format controls U+1D173–1D17A', split(run(cps(0x1d173, 0x1d17a), 40)));
  e('40 shorthand format controls U+1BCA0–1BCA3', split(run(cps(0x1bca0, 0x1bca3), 40)));
  e('40 Egyptian hieroglyph format controls U+13430–1343F', split(run(cps(0x13430, 0x1343f), 40)));
  e('40 unassigned default-ignorables U+E0500', split('\u{e0500}'.repeat(40)));
  e('U+2800 in UTF-16LE', Buffer.from(`${'本单位的工作总结报告如下。\n'.repeat(10)}文件 机${'\u2800'.repeat(40)}密★10年\n`, 'utf16le'));
  e('ESC in GB18030', iconv.encode(`文件 机${E.repeat(40)}密★10年\n`, 'gb18030'));
  // A marking right after an opening bracket: the matcher took '[' for a bracketed marking's and then passed the star over.
  e('[机密★10年]', u8(`标题 [${MARK}] 正文\n`));
  e('【机密★10年】', u8(`【${MARK}】\n`));
  e('［绝密★长期］', u8('［绝密★长期］\n'));
  e('〔秘密★1年〕 after a footnote [^1]', u8('[^1]〔秘密★1年〕\n'));
  e("a Python list of the characters ['机', '密', '★', …]", u8(`${JSON.stringify([...MARK]).replace(/"/g, "'")}\n`));
  e('a colour code right before the marking', u8(`${E}[1m${MARK}${E}[0m\n`));
  return out;
}

export function invisibleCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const c = (name: string, body: Buffer, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect: '' });
  };
  const braille = '⠃⠗⠁⠊⠇⠇⠑\u2800⠞⠗⠁⠝⠎⠉⠗⠊⠏⠞⠊⠕⠝\u2800⠕⠋\u2800⠞⠓⠑\u2800⠗⠑⠛⠥⠇⠁⠞⠊⠕⠝⠎\n';
  c('a Braille transcription with U+2800 between words, under a Chinese title', u8(`盲文版：保密工作管理规定（机密性要求说明）\n${braille.repeat(200)}第一条\u2800⠁⠗⠞⠊⠉⠇⠑\u2800⠕⠝⠑\n`));
  const dirs = ['保密制度', '机密性测试', '商业合同', '工作总结', '秘书处'];
  const ls = dirs.map((d, i) => `${E}[0m${E}[01;34m${d}${E}[0m  ${E}[01;32m${d}_${i}.sh${E}[0m  ${E}[00;31m归档${i}.tar.gz${E}[0m`).join('\n');
  c('ls --color output of Chinese names', u8(`${ls}\n`.repeat(40)));
  const npm = `${E}[37;40mnpm${E}[0m ${E}[0m${E}[30;43mWARN${E}[0m ${E}[0m${E}[35mdeprecated${E}[0m inflight@1.0.6: This module is not supported, and leaks memory.\n`;
  c('an npm log with colours', u8(`${npm.repeat(100)}${E}[32m✔${E}[39m 构建完成（机密性检查已通过）\n`));
  c('git log --graph --color with Chinese subjects', u8(Array.from({ length: 50 }, (_, i) => `${E}[31m*${E}[m ${E}[33m${(0xabc000 + i).toString(16)}${E}[m 更新保密工作制度第${i}条 ${E}[32m(${i} days ago)${E}[m ${E}[1;34m<张三>${E}[m`).join('\n')));
  c('a terminal recording with cursor moves and a title (OSC)', u8(`${E}]0;机房监控${E}\\${E}[2J${E}[H机房温度：${E}[1;32m正常${E}[0m\r\n${E}[K密码策略：${E}[33m已启用${E}[0m\r\n`.repeat(30)));
  c('embedded objects (U+FFFC) in exported rich text', u8('图1\ufffc 本单位保密工作领导小组\n附件\ufffc\ufffc\ufffc 机构设置\n表2\ufffc 机密性、完整性、可用性评估\n'.repeat(20)));
  c('MusicXML-ish text with the musical format controls and null noteheads', u8(`乐谱：《保密之歌》\n${run(`\u{1d15f}\u{1d173}\u{1d165}\u{1d174}\u{1d159}`, 400)}\n歌词：机房灯火密密麻麻\n`));
  c('Egyptian hieroglyphs with their format controls', u8(`埃及象形文字：${run('\u{13000}\u{13430}\u{13001}\u{13431}\u{13080}\u{13437}', 300)}\n机构 密码学\n`));
  c('words in brackets and a star rating', u8('[机密性] 【保密工作】 ［商业合同］ 〔机构改革〕 【密码】\n评级：[机构] ★★★\n'));
  c('a binary-ish log (control bytes between Chinese words)', u8(Array.from({ length: 200 }, (_, i) => `机构${E.repeat(i % 5)}\x08密码${E.repeat(i % 50)}★${i}`).join('\n')), 'trace.bin', 'application/octet-stream');
  let seed = 3;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const words = ['机构', '密码', '保密', '★', '★★', '机密性', '绝对', '密级', '设置', '秘书', '工作'];
  const parts: Buffer[] = [];
  for (let i = 0; i < 3000; i++) {
    parts.push(u8(words[Math.floor(rnd() * words.length)]!));
    parts.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 32))));
  }
  c('binary records: words of the marking vocabulary apart by control bytes', Buffer.concat(parts), 'records.bin', 'application/octet-stream');
  return out;
}
