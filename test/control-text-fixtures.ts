import { MARK, type Sample } from './evasion-fixtures.js';

// Third red team of 30 November, found on the way ("Still open"): text with
// control characters a terminal or a viewer shows as nothing was typed
// binary, and read only in stretches that DEL ended (a marking apart by DEL
// and C1 controls crossed declared application/octet-stream), a terminal
// recording whose OSC titles end in BEL was refused type-mismatch, NEL was
// read as a line break (40 of them between 机 and 密★ crossed), and a short
// UTF-16 file made mostly of U+2800 was not taken for UTF-16. Beside them,
// ordinary content of the same characters that must stay clean.

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const E = '\x1b';
const BEL = '\x07';
const run = (alphabet: string, n: number): string => {
  const a = [...alphabet];
  return Array.from({ length: n }, (_, i) => a[i % a.length]!).join('');
};

export function controlTextSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, type = 'application/octet-stream', filename = 'note.bin', expect = 'classified-marking'): void => {
    out.push({ name, filename, type, body, expect });
  };
  const rest = MARK.slice(1);
  e('机, 40 DEL, 密★10年', u8(`机${'\x7f'.repeat(40)}${rest}\n`));
  e('机, DEL and C1 controls, 密★10年', u8(`机${run('\x7f\u0085\u0090\u0080\u009f', 40)}${rest}\n`));
  e('机, three DEL, 密★10年, in a memo', u8(`会议纪要\n机\x7f\x7f\x7f${rest}\n其他事项略。\n`));
  e('机, BEL and backspaces, 密★10年', u8(`机${run('\x07\x08\x7f', 30)}${rest}\n`));
  e('机, 40 NEL, 密★10年', u8(`文件 机${'\u0085'.repeat(40)}${rest} 内容\n`), 'text/plain', 'note.txt');
  e('机, 40 NEL, 密★10年, declared octet-stream', u8(`机${'\u0085'.repeat(40)}${rest}\n`));
  e('a short UTF-16LE file of U+2800 between the characters', Buffer.from(`机${'\u2800'.repeat(20)}${rest}`, 'utf16le'), 'text/plain', 'note.txt');
  e('a short UTF-16LE file of U+2800, declared octet-stream', Buffer.from(`机${'\u2800'.repeat(20)}${rest}`, 'utf16le'));
  const be = Buffer.from(`机${'\u2800'.repeat(30)}${rest}`, 'utf16le').swap16();
  e('a short UTF-16BE file of U+2800', be, 'text/plain', 'note.txt');
  e('a terminal recording with a marking between BEL-ended titles', u8(`Script started on 2026-11-30 09:00:00+08:00\n${E}]0;user@host: ~${BEL}$ cat memo.txt\r\n${MARK}\r\n${E}]0;user@host: ~${BEL}$ exit\r\n`), 'text/plain', 'typescript');
  return out;
}

export function controlTextCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const c = (name: string, body: Buffer, type = 'text/plain', filename = 'note.txt'): void => {
    out.push({ name, filename, type, body, expect: '' });
  };
  const prompt = (dir: string): string => `${E}]0;zhang@office: ${dir}${BEL}${E}[01;32mzhang@office${E}[00m:${E}[01;34m${dir}${E}[00m$ `;
  const session = [
    `Script started on 2026-11-30 09:00:00+08:00 [TERM="xterm-256color" TTY="/dev/pts/3" COLUMNS="120" LINES="40"]\n`,
    `${prompt('~')}ls${'\b \b'.repeat(2)}ls -l\r\n`,
    `total 12\r\n-rw-r--r-- 1 zhang zhang 2048 Nov 30 08:59 保密工作制度.docx\r\n-rw-r--r-- 1 zhang zhang 1024 Nov 30 08:58 机密性评估报告.pdf\r\n`,
    `${prompt('~')}git status\r\nOn branch main\r\nnothing to commit, working tree clean\r\n`,
    `${prompt('~/src')}${BEL}npm test\r\n${E}[32m✔${E}[39m 42 passing (3s)\r\n`,
    `${prompt('~/src')}exit\r\nexit\r\n\nScript done on 2026-11-30 09:05:00+08:00 [COMMAND_EXIT_CODE="0"]\n`,
  ].join('');
  c('a terminal recording (script) whose OSC titles end in BEL', u8(session.repeat(20)), 'text/plain', 'typescript');
  c('the same recording declared application/octet-stream', u8(session.repeat(20)), 'application/octet-stream', 'session.log');
  c('a build log with BEL and backspace progress', u8(`下载依赖中 ${run('|/-\\', 200).split('').map((x) => `${x}\b`).join('')}${BEL}完成\n`.repeat(30)), 'text/plain', 'build.log');
  c('text converted from EBCDIC, NEL at each line end', u8(`保密工作管理规定\u0085第一条 为加强保密管理，制定本规定。\u0085第二条 机密性评估每年进行一次。\u0085第三条 本单位严格保守工作秘密。\u0085机构 密码 ★★★\u0085`.repeat(30)), 'text/plain', 'ebcdic.txt');
  c('a Braille transcription in UTF-16LE without BOM', Buffer.from(`${'⠃⠗⠁⠊⠇⠇⠑\u2800⠞⠗⠁⠝⠎⠉⠗⠊⠏⠞\u2800⠕⠋\u2800⠞⠓⠑\u2800⠗⠑⠛⠥⠇⠁⠞⠊⠕⠝⠎\n'.repeat(20)}机构\u2800密码\n`, 'utf16le'));
  c('box-drawing table in UTF-16LE', Buffer.from(`┌──────┬──────┐\n│机构  │密码  │\n├──────┼──────┤\n│★★★   │合格  │\n└──────┴──────┘\n`.repeat(5), 'utf16le'));
  c('a log with DEL and control bytes between ordinary words', u8(Array.from({ length: 300 }, (_, i) => `机构${'\x7f'.repeat(i % 3)}设置\x01密码\x02策略 ${i}`).join('\n')), 'application/octet-stream', 'trace.bin');
  return out;
}
