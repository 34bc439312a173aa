// A sender's filename never becomes a path, a hidden file, a device, or an overwrite.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MAX_NAME_BYTES, placeWithoutOverwrite, safeFileName, withSuffix } from '../client/safe-name.js';

const FB = 'fallback-name';

t.test('directories are stripped; only the last component is kept', async (t) => {
  t.equal(safeFileName('../../etc/passwd', FB), 'passwd');
  t.equal(safeFileName('a/b', FB), 'b');
  t.equal(safeFileName('C:\\Windows\\system32\\evil.dll', FB), 'evil.dll');
  t.equal(safeFileName('/absolute/path.txt', FB), 'path.txt');
  t.equal(safeFileName('dir/', FB), FB, 'nothing after the last slash: the fallback');
  t.equal(safeFileName('..', FB), FB);
  t.equal(safeFileName('../', FB), FB);
});

t.test('hidden files lose their leading dots; trailing dots and spaces go', async (t) => {
  t.equal(safeFileName('.hidden', FB), 'hidden');
  t.equal(safeFileName('...bashrc', FB), 'bashrc');
  t.equal(safeFileName('report.pdf. . ', FB), 'report.pdf');
  t.equal(safeFileName('   ', FB), FB);
});

t.test('control and direction characters are removed, Windows-forbidden ones replaced', async (t) => {
  t.equal(safeFileName('bad\u0007name\u001b[31m.txt', FB), 'badname[31m.txt');
  t.equal(safeFileName('new\nline\r.csv', FB), 'newline.csv');
  t.equal(safeFileName('nul\u0000byte', FB), 'nulbyte');
  t.equal(safeFileName('invoice\u202Efdp.exe', FB), 'invoicefdp.exe', 'a right-to-left override cannot disguise the extension');
  t.equal(safeFileName('a<b>c:d"e|f?g*h', FB), 'a_b_c_d_e_f_g_h');
});

t.test('Windows device names are never produced', async (t) => {
  for (const n of ['CON', 'con', 'PRN', 'AUX', 'NUL', 'COM1', 'lpt9', 'CON.txt', 'nul.tar.gz', 'COM¹']) {
    const s = safeFileName(n, FB);
    t.equal(s, `_${n}`, `${n} is prefixed`);
  }
  t.equal(safeFileName('CONSOLE.txt', FB), 'CONSOLE.txt', 'a longer name that starts like a device is fine');
  t.equal(safeFileName('COM10', FB), 'COM10');
});

t.test('long names are cut in bytes, on character boundaries, keeping the extension', async (t) => {
  const long = 'x'.repeat(1000) + '.pdf';
  const s = safeFileName(long, FB);
  t.ok(Buffer.byteLength(s) <= MAX_NAME_BYTES, `at most ${MAX_NAME_BYTES} bytes`);
  t.ok(s.endsWith('.pdf'));
  const cjk = '數據交換'.repeat(200) + '.txt'; // 3 bytes per character
  const c = safeFileName(cjk, FB);
  t.ok(Buffer.byteLength(c) <= MAX_NAME_BYTES);
  t.ok(c.endsWith('.txt'));
  t.notOk(c.includes('\uFFFD'), 'no character cut in half');
  t.equal(Buffer.from(c, 'utf8').toString('utf8'), c);
  t.equal(safeFileName('報告.pdf', FB), '報告.pdf', 'ordinary non-ASCII names are kept');
});

t.test('empty or missing names take the fallback', async (t) => {
  t.equal(safeFileName(undefined, FB), FB);
  t.equal(safeFileName('', FB), FB);
  t.equal(safeFileName('\u0001\u0002', FB), FB);
});

t.test('suffixes go before the extension', async (t) => {
  t.equal(withSuffix('report.pdf', 2), 'report (2).pdf');
  t.equal(withSuffix('README', 3), 'README (3)');
});

t.test('placing a file never overwrites, and leaves no temporary name behind', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-client-name-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'report.pdf'), 'existing');
  const placed: string[] = [];
  for (const body of ['one', 'two']) {
    const tmp = join(dir, `.tmp-${body}`);
    await writeFile(tmp, body);
    placed.push(await placeWithoutOverwrite(tmp, dir, 'report.pdf'));
  }
  t.same(placed, [join(dir, 'report (2).pdf'), join(dir, 'report (3).pdf')]);
  t.equal(await readFile(join(dir, 'report.pdf'), 'utf8'), 'existing', 'the existing file is untouched');
  t.equal(await readFile(join(dir, 'report (2).pdf'), 'utf8'), 'one');
  t.equal(await readFile(join(dir, 'report (3).pdf'), 'utf8'), 'two');
  t.same((await readdir(dir)).sort(), ['report (2).pdf', 'report (3).pdf', 'report.pdf']);
});
