import { createCipheriv } from 'node:crypto';
import { residentId } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';
import type { VariantSample } from './variant-fixtures.js';

// Third red team of 30 Nov (probes 05c, 05d, 05, 91 on the branch redteam3):
// personal-data numbers in the forms it found not read, and the ordinary
// files of numbers it found read as mobile numbers. Written here, used in
// process (inspect-pii-forms) and end to end (gateway-evasions).

const ID = residentId('110105', '19491231', '002'); // check character X
const ID2 = residentId('440305', '19900307', '457');
const MOBILE = '13812345678';

/** A seeded generator (the same file every run). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}

const ID_FOUND = 'personal-data:cn-resident-id';
const sample = (name: string, filename: string, body: string, expect = 'personal-data'): Sample => ({ name, filename, type: 'text/plain', body: Buffer.from(body), expect });

/** Id numbers in groups glued to the letters or words of a form's codes (W5), mobile numbers as some write them (W6), and mobile numbers beside serials and sizes (F3, F6). */
export function numberSamples(): VariantSample[] {
  return numberForms().map((s) => ({ ...s, cls: 'third red team, personal-data numbers' }));
}

function numberForms(): Sample[] {
  const out: Sample[] = [];
  for (const [which, id] of [['', ID2], [' (X)', ID]] as const) {
    const [r, b, s] = [id.slice(0, 6), id.slice(6, 14), id.slice(14)];
    out.push(
      sample(`id groups after a form's letter codes${which}`, 'form.txt', `登记表 R${r} B${b} S${s}\n`),
      sample(`id groups after keys glued to them${which}`, 'record.txt', `region${r};birth${b};seq${s}\n`),
      sample(`id groups after capitalised words${which}`, 'record.txt', `Region${r} Birth${b} Seq${s}\n`),
      sample(`id groups after upper-case codes, fields in another order${which}`, 'record.txt', `DOB${b} SEQ${s} AREA${r}\n`),
    );
  }
  out.push(...idLayoutSamples().map((s) => ({ ...s, expect: 'personal-data' })));
  const [a, b, c] = [MOBILE.slice(0, 3), MOBILE.slice(3, 7), MOBILE.slice(7)];
  out.push(
    sample('a mobile number with dots, in Chinese text', 'contact.txt', `联系人：王五，电话 ${a}.${b}.${c}。\n`),
    sample('a mobile number with dots, in ASCII text', 'contact.txt', `call ${a}.${b}.${c} after 5pm\n`),
    sample('a mobile number as 4-3-4 after 电话', 'contact.txt', `联系人：王五，电话 ${MOBILE.slice(0, 4)} ${MOBILE.slice(4, 7)} ${MOBILE.slice(7)}。\n`),
    sample('a mobile number as 4-3-4 after Tel:', 'contact.txt', `Tel: ${MOBILE.slice(0, 4)} ${MOBILE.slice(4, 7)} ${MOBILE.slice(7)}\n`),
    sample('a mobile number as 3-2-2-2-2 after 手机', 'contact.txt', `手机：${a} ${MOBILE.slice(3, 5)} ${MOBILE.slice(5, 7)} ${MOBILE.slice(7, 9)} ${MOBILE.slice(9)}\n`),
    sample('a mobile number as 3-2-2-2-2 in a phone column', 'contacts.txt', `name phone\nwang ${a} ${MOBILE.slice(3, 5)} ${MOBILE.slice(5, 7)} ${MOBILE.slice(7, 9)} ${MOBILE.slice(9)}\n`),
    sample('a 手机 column under a title', 'contacts.csv', `# 通讯录\n姓名,手机,备注\n${Array.from({ length: 20 }, (_, i) => `张三${i},${13800000000 + i * 104729},无`).join('\n')}\n`),
    sample('a 手机 column beside a 流水号 column', 'statement.csv', `流水号,手机,对方户名\n${Array.from({ length: 20 }, (_, i) => `${15000000000 + i * 7919},${13800000000 + i * 104729},某某有限公司`).join('\n')}\n`),
    sample('a mobile number after a memory size', 'deploy.yaml', `resources:\n  limits:\n    memory: 17179869184\ncontact: ${MOBILE}\n`),
    sample('a mobile number as a user id', 'app.log', `{"user_id": "${MOBILE}", "msg": "login"}\n`),
    // First-generation ids (15 digits, no check: fifth red team of 1 Dec b, N24) where an id is named.
    sample('first-generation 15-digit ids in a register', 'register.csv', '姓名,身份证号\n张三,110105491231002\n李四,440305900307457\n王五,310104850612123\n'),
    sample('a first-generation id after 身份证 in prose', 'notice.txt', '户籍信息：张三，身份证 110105491231002，住址北京市。\n'),
    sample('a first-generation id under an idcard key', 'record.json', '{"name":"张三","idcard":"440305900307457"}\n'),
    // 3-8 (`132 20250407`, a size and a date in `ls -l`) needs a phone named when its 8 digits are a date.
    sample('a mobile number as 3-8 in text', 'contact.txt', `call ${a} ${b}${c} after 5pm\n`),
    sample('a mobile number as 3-8 whose last 8 digits read as a date, after 手机', 'contact.txt', `联系人：王五，手机 139 20250407。\n`),
    // Scientific notation, as Java's Double.toString (Apache POI's numeric cells), JSON floats and Excel's narrow CSV write
    // a whole number (red team of 1 Dec c, R1).
    sample('a mobile number in E notation in an xlsx cell value', 'sheet1.xml', `<row r="2"><c r="B2"><v>${MOBILE[0]}.${MOBILE.slice(1)}E10</v></c></row>\n`),
    // Suzhou numerals (red team of 1 Dec c, R21).
    sample('a mobile number in Suzhou numerals after 联系电话', 'note.txt', `联系电话：${[...MOBILE].map((d) => (d === '0' ? '〇' : String.fromCharCode(0x3020 + Number(d)))).join('')}\n`),
    // Dialling prefixes, as call records and phone bills print them (red team of 1 Dec c, R26).
    sample('a mobile number dialled with the trunk 0, in a call record', 'calls.csv', `通话时间,主叫,被叫电话,时长\n2026-11-30 09:12,010-65123456,0${MOBILE},125\n`),
    sample('a mobile number after 0086, glued', 'list.csv', `姓名,手机\n张三,0086${MOBILE}\n`),
    sample('a mobile number after an IP-call prefix (17951), in a phone bill', 'bill.csv', `通话时间,对方号码,时长\n2026-11-30 09:12,17951${MOBILE},125\n`),
    sample('a mobile number as a JSON float', 'contacts.json', `[{"name":"张三","phone":${MOBILE[0]}.${MOBILE.slice(1)}e+10}]\n`),
    sample('a mobile number in E notation with trailing zeros, in a CSV', 'contacts.csv', `name,phone\nwang,${MOBILE[0]}.${MOBILE.slice(1)}00E+10\n`),
  );
  return out;
}

/**
 * Id numbers far apart or out of order (the "Still open" ways of the third red team, W5): fields named by keys
 * more than 48 characters apart, four groups with a run of separators, groups in reverse order. Expected to be
 * found as cn-resident-id (the gateway's answer names the kind only: numberSamples asks for personal-data).
 */
export function idLayoutSamples(): Sample[] {
  const out: Sample[] = [];
  const sentence = '本表由申请人本人填写，所填内容须真实准确，如有虚假由申请人承担相应的法律责任，特此声明并签字确认。';
  for (const [which, id] of [['', ID2], [' (X)', ID]] as const) {
    const [r, b, s] = [id.slice(0, 6), id.slice(6, 14), id.slice(14)];
    out.push(
      sample(`id fields named by keys, a sentence between each${which}`, 'form.txt', `地区：${r}。${sentence}出生：${b}。${sentence}顺序码：${s}\n`, ID_FOUND),
      sample(`id halves named by keys on one line, 60 characters apart${which}`, 'form.txt', `身份证前九位 ${id.slice(0, 9)}，${sentence}${sentence.slice(0, 20)}后九位 ${id.slice(9)}\n`, ID_FOUND),
      sample(`id fields named by English keys, lines of text between, sequence first${which}`, 'record.txt', `seq: ${s}\nThe applicant declares that the information given in this form is true and complete.\nregion: ${r}\nFalse statements are punishable under the regulations of the public security bureau.\ndate of birth: ${b}\n`, ID_FOUND),
      sample(`id halves named by keys, the second half first, far apart${which}`, 'form.txt', `后半段：${id.slice(9)}\n${sentence}\n${sentence}\n前半段：${id.slice(0, 9)}\n`, ID_FOUND),
      sample(`id halves swapped, named by keys (birth date and sequence, then region)${which}`, 'form.txt', `出生日期及顺序码 ${b}${s}，地区码 ${r}\n`, ID_FOUND),
      sample(`id fields as a form's cells, one a line, each key on the line before${which}`, 'form.txt', `姓名\n张三\n地区代码\n${r}\n出生日期\n${b}\n户籍地址\n深圳市南山区某路100号\n顺序码\n${s}\n`, ID_FOUND),
      sample(`four groups with runs of spaces${which}`, 'list.txt', `证件号码\n${r.slice(0, 4)}  ${r.slice(4)}     ${b.slice(0, 4)} ${b.slice(4)} ${s}\n`, ID_FOUND),
      sample(`four groups apart by runs of hyphens${which}`, 'list.txt', `证件号码：${id.slice(0, 4)}-----${id.slice(4, 8)}-----${id.slice(8, 12)}-----${id.slice(12)}\n`, ID_FOUND),
      sample(`groups in reverse order${which}`, 'list.txt', `证件号码：${s} ${b.slice(4)} ${b.slice(0, 4)} ${r}\n`, ID_FOUND),
      sample(`fields in reverse order, the birth date whole${which}`, 'list.txt', `${s}  ${b}  ${r}\n`, ID_FOUND),
    );
  }
  return out;
}

/** Look-alikes that must stay clean: hex ids, hashes, UUIDs and base64 glued to letters; sizes in bytes; serial numbers; tables of numbers in the seldom groupings. */
export function numberCleanSamples(): Sample[] {
  const rnd = seeded(2026);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pad = (v: number, n: number): string => String(v).padStart(n, '0');
  const regions = ['110101', '110105', '310104', '440305', '320102', '510104'];
  const region = (): string => regions[int(regions.length)]!;
  const date = (): string => `${1950 + int(75)}${pad(1 + int(12), 2)}${pad(1 + int(28), 2)}`;
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const rows = (n: number, f: (i: number) => string): string => `${Array.from({ length: n }, (_, i) => f(i)).join('\n')}\n`;
  const eleven = (): number => 10000000000 + int(9999999999);
  const random = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16)).update(Buffer.alloc(300 * 36));
  const clean = (name: string, filename: string, body: string): Sample => sample(name, filename, body, '');
  // Look-alikes of the readings of far, spread and reversed groups (id-groups.ts): each spells an id number whose
  // check passes, in a shape that is not read by decision (docs/findings.md, "Identifiers in groups").
  const [r2, b2, s2] = [ID2.slice(0, 6), ID2.slice(6, 14), ID2.slice(14)];
  const fill = '，本期数据由各区统计局汇总上报，较上年同期有所增长，详见附表说明';
  // A time hhmm after a date that, put after a region code, passes the check.
  let hhmm = '';
  for (let q = 100; !hhmm; q++) {
    const v = residentId(r2, b2, String(q));
    if (/\d$/.test(v) && Number(v.slice(16, 18)) < 60) hhmm = v.slice(14);
  }
  // A log line (a date, a time to the minute, a 6-digit number) that, its groups turned round, is an id number
  // whose check passes: `2023-05-12 20:19 440305` is 440305 1920-12-05 2023.
  let logLine = '';
  for (let y = 2000; !logLine && y < 2026; y++) {
    for (const rg of regions) {
      const v = `${rg}19201205${y}`;
      if (residentId(rg, '19201205', String(y).slice(0, 3)) === v) logLine = `${y}-05-12 20:19 ${rg}`;
    }
  }
  // (A generator of their own: the samples below keep their numbers.)
  const rnd2 = seeded(1201);
  const int2 = (n: number): number => Math.floor(rnd2() * n);
  const region2 = (): string => regions[int2(regions.length)]!;
  const date2 = (): string => `${1950 + int2(60)}${pad(1 + int2(12), 2)}${pad(1 + int2(28), 2)}`;
  const far = [
    clean('a postcode, a date and a count far apart, named by other keys', 'notice.txt', `邮编 ${r2}${fill}${fill}，日期 ${b2}${fill}${fill}，件数 ${s2}\n`),
    clean("a region, a birth date and a card's last four digits, on one line", 'customer.txt', `客户所在地区 ${r2}，出生日期 ${b2}，银行卡后四位 ${s2}\n`),
    clean("a region, a birth date and a card's last four digits", 'customer.txt', `客户所在地区 ${r2}，出生日期 ${b2}${fill}${fill}，银行卡后四位 ${s2}，手机尾号 ${s2}\n`),
    clean('a timestamp to the minute, then a branch code (halves swapped)', 'trade.log', `交易时间 ${b2}${hhmm} 网点 ${r2} 状态 成功\n`),
    clean('a row of numbers apart by runs of spaces, an id number inside it', 'table.txt', `1234      ${r2.slice(0, 4)}     ${r2.slice(4)}${b2.slice(0, 2)}       ${b2.slice(2, 6)}     ${b2.slice(6)}${s2}      5678\n`),
    clean('a log line whose groups turned round spell an id number', 'app.log', `${logLine}\n`),
    clean('a report in fixed-width columns', 'report.txt', rows(300, () => `${region2()}${String(2000 + int2(25)).padStart(8)}${pad(1 + int2(12), 2).padStart(5)}${pad(1 + int2(28), 2).padStart(4)}${String(int2(100000)).padStart(9)}${String(int2(10000)).padStart(7)}`)),
    clean('a matrix of 2-digit numbers, nine columns', 'matrix.txt', rows(300, () => Array.from({ length: 9 }, () => pad(int2(100), 2)).join(' '))),
    clean('a register of region codes, birth dates and sequence numbers under keys, no id number', 'register.txt', rows(200, (i) => `姓名：用户${i}\n区划代码：${region2()}\n出生日期：${date2()}\n${fill}\n顺序号：${pad(int2(1000), 3)}${int2(10)}\n`)),
  ];
  return [
    ...far,
    clean('hex ids with letters between region- and date-like digits', 'ids.log', rows(400, () => `id=a${region()}b${date()}c${pad(int(10000), 4)} status=ok`)),
    clean('sha1 sums each beside a number, joined line to line', 'sums.txt', rows(1, () => '24c5f320bdbba8736c7292ef2e6b257ac1c79c69 353145\n416041b8a23af810da715a6a19595245058ac74d 478125')),
    clean('git log --oneline', 'git.log', rows(400, () => `${hex(7)} Merge pull request #${1000 + int(9000)} from dev/${hex(6)} (${date()})`)),
    clean('UUIDs', 'req.log', rows(400, () => `2024-01-15T10:00:00Z req=${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)} status=200 items=${1000 + int(9000)}`)),
    clean('UUIDs apart by spaces', 'uuids.txt', rows(1, () => '550e8400-e29b-41d4-a716-446655440000 6ba7b810-9dad-11d1-80b4-a13812345678 2024')),
    clean('a UUID whose last group holds 11 digits', 'req.log', '2024-01-15T10:00:00Z req=550e8400-e29b-41d4-a716-a13812345678 status=200\n'),
    clean('base64 tokens', 'tokens.log', rows(300, (i) => `session=${random.subarray(i * 36, i * 36 + 18).toString('base64')} csrf=${random.subarray(i * 36 + 18, i * 36 + 36).toString('base64url')} status=200`)),
    clean('statistics under letter codes (region, date, count)', 'stats.txt', rows(300, () => `R${region()} D${date()} N${pad(int(10000), 4)}`)),
    clean('part numbers, lots and quantities', 'parts.txt', rows(300, () => `SKU${100000 + int(900000)} LOT${date()} QTY${1000 + int(9000)}`)),
    clean('encodings and standards named with digits', 'notes.txt', rows(50, () => `GB18030 GB2312 UTF16 ISO8859 CP1252 RFC3339 ISO8601 x86 i386 sha256 h264 build ${100000 + int(900000)}`)),
    clean('a k8s memory limit of 16 GiB in bytes', 'deploy.yaml', 'resources:\n  limits:\n    memory: 17179869184\n  requests:\n    memory: 13958643712\n'),
    clean('docker info', 'docker-info.txt', 'Kernel Version: 6.1.0\nOperating System: Debian GNU/Linux 12\nCPUs: 8\nTotal Memory: 17179869184\n'),
    clean('a table of powers of two', 'powers.txt', rows(41, (i) => `2^${i} = ${2 ** i}`)),
    clean('sizes in GiB and bytes', 'sizes.txt', rows(20, (i) => `${i + 1} GiB = ${(i + 1) * 2 ** 30} bytes`)),
    clean('a bank statement with a 流水号 column', 'statement.csv', `交易日期,流水号,摘要,收入,余额,对方户名\n${rows(300, () => `2024${pad(1 + int(12), 2)}${pad(1 + int(28), 2)},${eleven()},转账,${int(99999)}.${pad(int(100), 2)},${int(9999999)}.${pad(int(100), 2)},某某有限公司`)}`),
    clean('a bank statement with its 流水号 column fifth (lines cut by chunks)', 'statement.csv', `交易日期,摘要,收入,余额,流水号,对方户名\n${rows(2000, () => `2024${pad(1 + int(12), 2)}${pad(1 + int(28), 2)},转账,${int(99999)}.${pad(int(100), 2)},${int(9999999)}.${pad(int(100), 2)},${eleven()},某某有限公司`)}`),
    clean('a bank statement under its title, account and dates', 'statement.csv', `# 交易明细\n# 账号：6214********1234\n# 起止日期：20240101-20240131\n交易日期,流水号,摘要,收入,余额\n${rows(300, () => `2024${pad(1 + int(12), 2)}${pad(1 + int(28), 2)},${eleven()},转账,${int(99999)}.${pad(int(100), 2)},${int(9999999)}.${pad(int(100), 2)}`)}`),
    clean('a log of request ids', 'requests.log', rows(300, () => `2024-06-10T15:12:27Z INFO req=${eleven()} user=${100000 + int(900000)} status=200`)),
    clean('JSON logs with trace ids and sequence numbers', 'app.log', rows(300, () => `{"trace_id":"${eleven()}","seq":${eleven()},"msg":"ok"}`)),
    clean('交易流水号 in Chinese text', 'notice.txt', rows(50, () => `交易流水号：${eleven()}，状态：成功。`)),
    clean('a table of a year and two counts, one space apart', 'counts.txt', rows(300, () => `${1950 + int(75)} ${100 + int(900)} ${1000 + int(9000)}`)),
    clean('scores under 3-digit row numbers', 'scores.txt', rows(70, (i) => `${130 + i} ${Array.from({ length: 4 }, () => 10 + int(90)).join(' ')}`)),
    clean('15-digit serials shaped like first-generation ids, unnamed or under an order column', 'orders.csv', `订单号,金额\n${rows(200, () => `${region()}${date().slice(2)}${pad(int(1000), 3)},${int(9999)}.00`)}txn ${region()}${date().slice(2)}${pad(int(1000), 3)} ok\n`),
    clean('ls -l --time-style=+%Y%m%d: sizes of 13x bytes before dates', 'listing.txt', rows(60, (i) => `-rw-r--r-- 1 root root ${130 + int(10)} 20${pad(10 + int(16), 2)}${pad(1 + int(12), 2)}${pad(1 + int(28), 2)} file${i}.txt`)),
    clean('16- to 19-digit card and account numbers that start like IP-call prefixes, and 12-digit serials', 'accounts.csv', `账号,金额\n1795200000001234,100.00\n1259400000005678,20.00\n6217001234567890123,50.00\n序号 012000000001\n`),
    clean('measurements and constants in E notation', 'physics.csv', `quantity,value\navogadro,6.02214076e23\nboltzmann,1.380649e-23\nmass,1.38e10\nrate,1.3812345e10\nsize,1.3812345678e11\ncount,1.3812345678E9\n`),
    clean('OIDs and versions with dotted groups', 'oids.txt', rows(50, () => `oid 1.3.6.1.4.1.${130 + int(60)}.${1000 + int(9000)}.${1000 + int(9000)} version 1.${130 + int(60)}.${1000 + int(9000)}.${1000 + int(9000)}`)),
  ];
}
