// ar archives (ninth red team, F1): Debian packages and static libraries were refused uninspectable (no
// reader of ar). Made here by dpkg-deb, gcc and ar where the machine has them, and a BSD archive (`#1/N`
// long names, as macOS ar writes) built to the format: clean ones pass, a marking in a member, in a
// package's compressed tar, or in a long member name is found, and a cut archive is broken.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { requires } from './helpers/requires.js';

const CLEAN = '会议纪要：商业秘密保护，保密协议，机密性要求；工作秘密不得外传。';

/** A .deb made by dpkg-deb (control.tar.xz, data.tar.xz) whose README says text; null without dpkg-deb. */
function deb(text: string): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-deb-'));
  try {
    mkdirSync(join(dir, 'pkg/DEBIAN'), { recursive: true });
    mkdirSync(join(dir, 'pkg/usr/share/doc/office-notes'), { recursive: true });
    writeFileSync(join(dir, 'pkg/DEBIAN/control'), 'Package: office-notes\nVersion: 1.0\nArchitecture: all\nMaintainer: Office <office@example.org>\nDescription: meeting notes\n');
    writeFileSync(join(dir, 'pkg/usr/share/doc/office-notes/README'), `${text}\n`);
    execFileSync('dpkg-deb', ['-b', '--root-owner-group', join(dir, 'pkg'), join(dir, 'notes.deb')], { stdio: 'ignore' });
    return readFileSync(join(dir, 'notes.deb'));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A static library made by gcc and ar: a member of a name past 15 bytes (GNU's `//` table) whose string is text. */
function library(text: string, longName = 'a_very_long_member_name_for_gnu'): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ar-'));
  try {
    writeFileSync(join(dir, 'add.c'), 'int add(int a, int b) { return a + b; }\n');
    writeFileSync(join(dir, `${longName}.c`), `const char *note = "${text}";\n`);
    execFileSync('gcc', ['-c', join(dir, 'add.c'), '-o', join(dir, 'add.o')]);
    execFileSync('gcc', ['-c', join(dir, `${longName}.c`), '-o', join(dir, `${longName}.o`)]);
    execFileSync('ar', ['rcs', join(dir, 'libx.a'), join(dir, 'add.o'), join(dir, `${longName}.o`)]);
    return readFileSync(join(dir, 'libx.a'));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An ar made by ar of one text file (a name past 15 bytes goes to GNU's `//` table). */
function textAr(name: string, text: string): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ar-'));
  try {
    writeFileSync(join(dir, name), text);
    execFileSync('ar', ['rc', 'x.a', name], { cwd: dir });
    return readFileSync(join(dir, 'x.a'));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A BSD ar (4.4BSD: `#1/N`, the name first in the member's data). */
function bsdAr(members: Array<[string, string]>): Buffer {
  const parts = [Buffer.from('!<arch>\n')];
  for (const [name, text] of members) {
    const n = Buffer.from(name);
    const data = Buffer.concat([n, Buffer.from(text)]);
    const h = `${`#1/${n.length}`.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(h, 'latin1'), data, data.length % 2 ? Buffer.from('\n') : Buffer.alloc(0));
  }
  return Buffer.concat(parts);
}

t.test('a Debian package made by dpkg-deb: clean, and a marking in its data.tar.xz found', { skip: requires('dpkg-deb') }, async (t) => {
  const clean = deb(CLEAN);
  const pkg = deb('绝密★长期');
  if (!clean || !pkg) return t.fail('dpkg-deb made no package');
  t.same(kinds((await inspectBytes(clean, {}, { filename: 'office-notes_1.0_all.deb' })).findings), [], 'an ordinary .deb');
  t.same(kinds((await inspectBytes(pkg, {}, { filename: 'notes.deb' })).findings), ['classified-marking:绝密'], 'in data.tar.xz of a .deb');
});

t.test('static libraries made by gcc and ar: clean, and markings in an object file and a long member name found', { skip: requires('gcc') }, async (t) => {
  const clean = library('ordinary numbers 2026 12 02');
  const lib = library('绝密★长期');
  const named = textAr('绝密★长期-会议名单.txt', 'x');
  if (!clean || !lib || !named) return t.fail('gcc or ar made no archive');
  t.same(kinds((await inspectBytes(clean, {}, { filename: 'libx.a' })).findings), [], 'an ordinary .a');
  t.same(kinds((await inspectBytes(lib, {}, { filename: 'libx.a' })).findings), ['classified-marking:绝密'], 'in an object file of a .a');
  t.ok(kinds((await inspectBytes(named, {}, { filename: 'notes.a' })).findings).some((k) => k.startsWith('classified-marking')), 'in a GNU long member name (the `//` table)');
});

t.test('BSD archives: clean, markings in a member and a long name found, a cut archive broken', async (t) => {
  t.same(kinds((await inspectBytes(bsdAr([['__.SYMDEF SORTED', 'symbols'], ['a_long_member_name_past_sixteen.txt', CLEAN]]), {}, { filename: 'libbsd.a' })).findings), [], 'a BSD ar');
  t.same(kinds((await inspectBytes(bsdAr([['notes.txt', '机密★1年']]), {}, { filename: 'x.a' })).findings), ['classified-marking:机密'], 'in a BSD member');
  t.ok(kinds((await inspectBytes(bsdAr([['绝密★长期-名单.txt', 'x']]), {}, { filename: 'x.a' })).findings).some((k) => k.startsWith('classified-marking')), 'in a BSD long name');
  const whole = bsdAr([['notes.txt', CLEAN]]);
  t.ok(kinds((await inspectBytes(whole.subarray(0, whole.length - 10), {}, { filename: 'x.a' })).findings).includes('archive-broken'), 'a cut archive is broken');
});
