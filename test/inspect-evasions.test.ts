// Issue 14 at the inspector: each evasion class is reported whole and in
// small chunks (escapes, encodings and headers cut at every kind of place),
// ordinary documents give no finding at all, nesting past the limits is a
// finding and never silence, and an inspection over its time budget is
// stopped with a finding.
import t from 'tap';
import iconv from 'iconv-lite';
import { cleanCorpus, evasionSamples, MARK } from './evasion-fixtures.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { inspectBatches } from '../gateway/inspect/inspect-batches.js';
import { variantCleanCorpus, variantSamples } from './variant-fixtures.js';

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

t.test('every evasion class is reported', async (t) => {
  for (const s of evasionSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('and still when the content arrives in small chunks', async (t) => {
  for (const s of evasionSamples()) {
    const r = await inspectChunks(chunked(s.body, 7), {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('ordinary office documents and look-alikes give no finding', async (t) => {
  for (const s of cleanCorpus()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name} (${r.sniffedType})`);
  }
  for (const w of ['商业秘密', '工作秘密', '机密性', '保密协议', '保守秘密', '机密 文件']) {
    const r = await inspectBytes(`请注意${w}的管理。\n`);
    t.same(r.findings, [], w);
  }
});

t.test('variants of the classes (fourth review), whole and in chunks of 5 bytes; their clean look-alikes give no finding', async (t) => {
  for (const s of variantSamples()) {
    const whole = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}: ${s.expect} (${kinds(whole.findings).join(', ')})`);
    const cut = await inspectChunks(chunked(s.body, 5), {}, { filename: s.filename, declaredType: s.type });
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ')})`);
  }
  for (const s of variantCleanCorpus()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name} (${r.sniffedType})`);
    const cut = await inspectChunks(chunked(s.body, 61), {}, { filename: s.filename, declaredType: s.type });
    t.same(cut.findings, [], `${s.name}, in chunks`);
  }
});

t.test('legacy Office is not a type mismatch when sent with its own type', async (t) => {
  const { default: CFB } = await import('cfb');
  const doc = CFB.utils.cfb_new();
  CFB.utils.cfb_add(doc, 'WordDocument', Buffer.from('普通的会议纪要', 'utf16le'));
  const bytes = Buffer.from(CFB.write(doc, { type: 'buffer' }) as Uint8Array);
  for (const [name, type] of [['a.doc', 'application/msword'], ['a.xls', 'application/vnd.ms-excel'], ['a.ppt', 'application/vnd.ms-powerpoint']] as const) {
    const r = await inspectBytes(bytes, {}, { filename: name, declaredType: type });
    t.same(r.findings, [], `${name} as ${type}`);
  }
  CFB.utils.cfb_add(doc, 'Secret', Buffer.from(`附件 ${MARK}`, 'utf16le'));
  const marked = Buffer.from(CFB.write(doc, { type: 'buffer' }) as Uint8Array);
  t.ok((await inspectBytes(marked, {}, { filename: 'b.doc', declaredType: 'application/msword' })).findings.some((f) => f.kind === 'classified-marking'), 'UTF-16 text in a stream of it is read');
});

t.test('joining has bounds: two letters, or too long a gap, break a marking', async (t) => {
  t.same((await inspectBytes('机ab密★10年')).findings, [], 'two letters');
  t.same((await inspectBytes(`机${'·'.repeat(40)}密★10年`)).findings, [], 'forty middle dots');
  t.same((await inspectBytes(`机${' ·'.repeat(20)}密★10年`)).findings, [], 'forty separators, every other one a space');
  t.same((await inspectBytes(`机${' '.repeat(40)}|密★10年`)).findings, [], 'forty spaces ended by a bar (a form\'s empty cell)');
  t.same((await inspectBytes(`机${'\n'.repeat(40)}密★10年`)).findings, [], 'forty line breaks');
  t.same(kinds((await inspectBytes(`机${' '.repeat(20)}\n\n密★10年`)).findings), ['classified-marking:机密'], 'twenty spaces and a blank line');
});

// The red team (30 Nov): forty tabs or spaces between the characters passed. A run of them that a character ends counts once.
t.test('a run of spaces or tabs between the characters counts as one separator, however long', async (t) => {
  const gaps: Array<[string, string]> = [
    ['forty spaces', ' '.repeat(40)],
    ['forty tabs', '\t'.repeat(40)],
    ['ideographic spaces and NBSP', '\u3000\u00a0'.repeat(50)],
    ['a hundred spaces and tabs', ' \t'.repeat(50)],
  ];
  for (const [name, gap] of gaps) {
    const whole = kinds((await inspectBytes(`附件：机${gap}密★10年\n`)).findings);
    t.ok(whole.includes('classified-marking:机密'), `${name}: ${whole.join(' ')}`);
    const b = Buffer.from(`附件：机${gap}密★10年\n`);
    const chunked = kinds((await inspectChunks([b.subarray(0, 12), b.subarray(12, 100), b.subarray(100)], {})).findings);
    t.ok(chunked.includes('classified-marking:机密'), `${name}, in chunks: ${chunked.join(' ')}`);
  }
  // Padding in tables and prose stays clean: a marking is more than its two characters.
  // And a form's empty cell or a line of spaces between a label and the next row joins nothing (the evening red team).
  for (const clean of [`计算机${' '.repeat(40)}密码\n`, `手机\t\t\t\t密度：高\n`, `飞机${'\n'.repeat(30)}密切关注\n`, `| 项目 | 密级 |${' '.repeat(40)}|\n| 说明 | 机密性评估报告 |\n`, `文件类别  密级\n${' '.repeat(40)}\n秘密性说明：无\n`]) {
    t.same(kinds((await inspectBytes(clean)).findings), [], JSON.stringify(clean));
  }
});

t.test('each lens reads its own encoding only where its text is', async (t) => {
  const gif = Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000', 'latin1');
  for (const enc of ['gb18030', 'big5', 'utf16-le', 'utf16-be', 'utf32-le', 'utf32-be']) {
    const r = await inspectBytes(Buffer.concat([gif, iconv.encode(`\n说明：${MARK}，请阅。\n`, enc)]), {}, { filename: 'a.gif', declaredType: 'image/gif' });
    t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${enc} after a GIF header (${kinds(r.findings).join(', ')})`);
  }
});

t.test('an inspection over its time budget is stopped with a finding', async (t) => {
  let nested = Buffer.from(`${'&#26426; '.repeat(2000)}\n`);
  while (nested.length < 4 * 1024 * 1024) nested = Buffer.from(`${nested.toString('base64')}\n`);
  const r = await inspectBytes(nested, { budget: { baseMs: 1, perMiBMs: 0 } }, { filename: 'a.txt' });
  t.same(kinds(r.findings), ['inspection-limit:time']);
  const after = await inspectBytes(`next ${MARK}`);
  t.same(kinds(after.findings), ['classified-marking:机密'], 'the next transfer is inspected by a fresh worker');
});

t.test('small bodies inspected together: one over its budget is stopped, the others in its batch still get their verdicts', async (t) => {
  // Enqueued in one turn, so they go to one worker in one batch (inspect-batches.ts), the slow one first:
  // some 56 KiB of base64 within base64 (a quarter of a second of inspection here) with a budget of 1 ms.
  let nested = Buffer.from(`${'&#26426; '.repeat(2000)}\n`);
  while (nested.length < 48 * 1024) nested = Buffer.from(`${nested.toString('base64')}\n`);
  const job = (body: string | Buffer, budgetMs: number) => inspectBatches.inspect({ av: null, filename: 'a.txt' }, new Uint8Array(Buffer.from(body)), budgetMs).report;
  const [slow, marked, clean, cancelled] = await Promise.all([
    job(nested, 1),
    job(`next ${MARK}`, 30_000),
    job('The committee met on Tuesday.\n', 30_000),
    (() => {
      const j = inspectBatches.inspect({ av: null }, new Uint8Array(Buffer.from(`x ${MARK}`)), 30_000);
      j.cancel();
      return Promise.race([j.report, new Promise((r) => setTimeout(() => r('not answered'), 3000))]);
    })(),
  ]);
  t.same(kinds(slow.findings), ['inspection-limit:time'], 'the slow body');
  t.same(kinds(marked.findings), ['classified-marking:机密'], 'the marked body after it, inspected by another worker');
  t.same(clean.findings, [], 'the clean body after it');
  t.equal(cancelled, 'not answered', 'a cancelled body is not inspected');
});

t.test('a small body slow within its budget holds up only itself: the bodies after it in its batch are taken back for another worker', async (t) => {
  let nested = Buffer.from(`${'&#26426; '.repeat(2000)}\n`);
  while (nested.length < 48 * 1024) nested = Buffer.from(`${nested.toString('base64')}\n`);
  const job = (body: string | Buffer) => inspectBatches.inspect({ av: null, filename: 'a.txt' }, new Uint8Array(Buffer.from(body)), 30_000).report;
  const stallMs = inspectBatches.stallMs;
  // The nested body takes tens of milliseconds of inspection at least: with 1 ms, the worker is "slow" on it
  // before it can begin the next (which one ran where depends on the machine; the verdicts must not).
  inspectBatches.stallMs = 1;
  t.teardown(() => (inspectBatches.stallMs = stallMs));
  const before = inspectBatches.takenBack;
  const [slow, marked, clean] = await Promise.all([job(nested), job(`next ${MARK}`), job('The committee met on Tuesday.\n')]);
  t.same(slow.findings, [], 'the slow body is inspected to its end, within its budget');
  t.same(kinds(marked.findings), ['classified-marking:机密'], 'the marked body after it');
  t.same(clean.findings, [], 'the clean body after it');
  t.ok(inspectBatches.takenBack > before, `bodies were taken back from the slow worker (${inspectBatches.takenBack - before})`);
});
