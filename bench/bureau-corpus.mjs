// Synthetic bureau data for the false-positive counts of the id-number
// readings (bench/id-groups-corpus.mjs): the ordinary files of numbers a
// bureau sends, with region codes, postcodes, dates, counts, amounts,
// phone and invoice numbers, in CSV, fixed-width reports, forms with keys,
// logs; and what this machine's commands print (tables aligned with spaces).
// Seeded: the same files every run.
//
//   node bench/bureau-corpus.mjs DIR   (writes DIR/*, prints their paths)
import { mkdirSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '/tmp/bureau-corpus');
mkdirSync(dir, { recursive: true });
let x = 20261201;
const rnd = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
const int = (n) => Math.floor(rnd() * n);
const pad = (v, n) => String(v).padStart(n, '0');
const pick = (a) => a[int(a.length)];
const regions = ['110101', '110105', '110108', '310104', '310115', '440305', '440106', '320102', '320106', '510104', '510107', '330106', '420102', '370102', '610113'];
const postcodes = ['100010', '100085', '200030', '518057', '510620', '210008', '610041', '310012', '430070', '250001', '710061', '650031', '830002', '150001', '130012'];
const date = (y0 = 1950, span = 75) => `${y0 + int(span)}${pad(1 + int(12), 2)}${pad(1 + int(28), 2)}`;
const dashed = (y0 = 2015, span = 10) => `${y0 + int(span)}-${pad(1 + int(12), 2)}-${pad(1 + int(28), 2)}`;
const time = () => `${pad(int(24), 2)}:${pad(int(60), 2)}:${pad(int(60), 2)}`;
const rows = (n, f) => `${Array.from({ length: n }, (_, i) => f(i)).join('\n')}\n`;
const money = (n) => `${int(n)}.${pad(int(100), 2)}`;
const mobile = () => `1${pick(['38', '39', '50', '86', '59', '77'])}${pad(int(1e8), 8)}`;
const width = (s, n) => String(s).padStart(n);
const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨勇', '赵磊', '黄敏', '周杰', '吴霞'];
const places = ['东城区', '海淀区', '浦东新区', '南山区', '天河区', '玄武区', '锦江区', '西湖区', '江岸区', '历下区'];

const files = {
  'amounts.csv': `序号,日期,金额,税额,合计\n${rows(3000, (i) => `${i + 1},${dashed()},${money(1e5)},${money(1e4)},${money(1e5)}`)}`,
  'amounts-fen.csv': `id,date,amount_fen\n${rows(3000, (i) => `${i},${date(2020, 5)},${int(1e9)}`)}`,
  'postcodes.csv': `单位,地址,邮编,电话\n${rows(1500, (i) => `某某单位${i},${pick(places)}某路${int(300)}号,${pick(postcodes)},0${pick(['10', '21', '755', '20', '25'])}-${pad(int(1e8), 8)}`)}`,
  'region-stats.csv': `区划代码,统计日期,户数,人口\n${rows(2000, () => `${pick(regions)},${date(2000, 25)},${int(100000)},${int(300000)}`)}`,
  'region-stats-4.csv': `区划代码,年份,月日,出生,死亡\n${rows(2000, () => `${pick(regions)},${2000 + int(25)},${pad(1 + int(12), 2)}${pad(1 + int(28), 2)},${pad(int(10000), 4)},${pad(int(10000), 4)}`)}`,
  'phones.txt': rows(2000, (i) => `${pick(names)}${i}  ${mobile()}  0${pick(['10', '21', '755'])}-${pad(int(1e8), 8)}`),
  'phones-grouped.txt': rows(1000, (i) => `${pick(names)}${i}\t${(() => { const m = mobile(); return `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`; })()}`),
  'invoices.csv': `发票代码,发票号码,开票日期,金额,税额\n${rows(2000, () => `${pad(int(1e6), 6)}${pad(int(1e6), 6)},${pad(int(1e8), 8)},${date(2018, 7)},${money(1e6)},${money(1e5)}`)}`,
  'invoices-keyed.txt': rows(600, () => `发票代码：${pad(int(1e6), 6)}${pad(int(1e6), 6)}  发票号码：${pad(int(1e8), 8)}  开票日期：${date(2018, 7)}  校验码：${pad(int(1e5), 5)} ${pad(int(1e5), 5)} ${pad(int(1e5), 5)} ${pad(int(1e5), 5)}  金额：${money(1e5)}`),
  // A statistics report in fixed-width columns (space-aligned: runs of spaces of every length).
  'report-fixed.txt': rows(2000, () => `${pick(regions)}${width(2000 + int(25), 8)}${width(pad(1 + int(12), 2), 5)}${width(pad(1 + int(28), 2), 4)}${width(int(100000), 9)}${width(int(10000), 7)}${width(money(1e4), 12)}`),
  'report-fixed-short.txt': rows(2000, () => `${width(int(10000), 6)}${width(int(100), 5)}${width(int(10000), 7)}${width(pad(int(10000), 4), 8)}${width(int(1000), 6)}`),
  'report-fixed-dates.txt': rows(2000, () => `${pick(regions)}     ${2000 + int(25)}     ${pad(1 + int(12), 2)}${pad(1 + int(28), 2)}     ${pad(int(10000), 4)}`),
  'matrix-4digit.txt': rows(500, () => Array.from({ length: 8 }, () => pad(int(10000), 4)).join('     ')),
  'matrix-aligned.txt': rows(500, () => Array.from({ length: 6 }, () => width(int(100000), 9)).join('')),
  // Forms with keys: a person's record without an id number, a household's statistics, a birth register's counts.
  'forms-keyed.txt': rows(300, (i) => `姓名：${pick(names)}\n地区：${pick(places)}（区划代码 ${pick(regions)}）\n出生日期：${date(1950, 60)}\n邮编：${pick(postcodes)}\n联系电话：${mobile()}\n登记日期：${date(2015, 10)}\n顺序号：${pad(i, 4)}\n备注：本表仅用于统计，不含证件号码。请按照区划代码、出生日期、顺序号的顺序填写，每项之间用空格隔开。\n`),
  'forms-keyed-en.txt': rows(300, (i) => `name: Wang ${i}\nregion: ${pick(regions)}\nbirth: ${date(1950, 60)}\npostcode: ${pick(postcodes)}\nphone: ${mobile()}\nseq: ${pad(i, 4)}\nnote: collected for the annual statistics of the district office, no identity numbers are kept in this file.\n`),
  'stats-keyed.txt': rows(400, () => `地区代码：${pick(regions)}，统计日期：${date(2010, 15)}，出生人口：${int(10000)}人，死亡人口：${int(10000)}人，顺序：${pad(int(10000), 4)}。本期数据由各区统计局汇总上报，较上年同期有所增长，详见附表。`),
  'card-tails.txt': rows(400, () => `客户${pick(names)}，出生日期 ${date(1950, 60)}，所在地区 ${pick(regions)}，银行卡后四位 ${pad(int(10000), 4)}，手机尾号 ${pad(int(10000), 4)}，办理日期 ${date(2020, 5)}。`),
  'log-app.log': rows(5000, (i) => `${dashed(2024, 2)} ${time()}.${pad(int(1000), 3)} INFO [worker-${i % 8}] pid=${100000 + int(900000)} handled ${int(10000)} items in ${int(5000)} ms, seq ${pad(int(10000), 4)}`),
  'log-kv.log': rows(5000, () => `ts=${date(2024, 2)}${pad(int(24), 2)}${pad(int(60), 2)} uid=${int(1e6)} code=${pick(regions)} seq=${pad(int(10000), 4)} amt=${money(1e5)}`),
  'log-syslog.log': rows(5000, () => `Nov ${1 + int(30)} ${time()} host sshd[${int(99999)}]: session ${int(1e6)} opened for user u${int(1000)} from 10.${int(255)}.${int(255)}.${int(255)} port ${int(65535)}`),
  'timetable.csv': `车次,日期,发车,到达,里程\n${rows(1500, () => `G${int(9999)},${date(2024, 2)},${time()},${time()},${int(3000)}`)}`,
  'questionnaire.csv': `编号,${Array.from({ length: 12 }, (_, i) => `Q${i + 1}`).join(',')}\n${rows(1500, (i) => `${pad(i, 4)},${Array.from({ length: 12 }, () => 1 + int(5)).join(',')}`)}`,
  'ledger.txt': rows(1500, () => `${date(2023, 2)}  ${pad(int(1e6), 6)}  ${pick(['收入', '支出'])}  ${width(money(1e5), 12)}  余额 ${width(money(1e7), 14)}  凭证号 ${pad(int(10000), 4)}`),
  'payroll.csv': `工号,姓名,部门,入职日期,基本工资,绩效,社保,公积金,实发\n${rows(1500, (i) => `${pad(i, 6)},${pick(names)},${pick(['办公室', '财务科', '人事科'])},${date(1995, 30)},${money(20000)},${money(5000)},${money(2000)},${money(2000)},${money(25000)}`)}`,
};
// What this machine's commands print: tables aligned with spaces.
for (const [name, cmd] of Object.entries({
  'ls-lR.txt': 'ls -lR --time-style=+%Y%m%d /usr/lib 2>/dev/null | head -20000',
  'ls-full.txt': 'ls -lR --time-style=full-iso /usr/share/zoneinfo 2>/dev/null | head -20000',
  'ps.txt': 'ps aux',
  'df.txt': 'df -k; df -i',
  'dpkg.txt': 'dpkg -l 2>/dev/null | head -3000',
  'stat.txt': 'find /usr/bin -maxdepth 1 -type f | head -300 | xargs stat 2>/dev/null',
  'proc.txt': 'cat /proc/meminfo /proc/vmstat /proc/stat /proc/interrupts /proc/diskstats 2>/dev/null',
  'zdump.txt': 'zdump -v Asia/Shanghai Europe/Berlin America/New_York 2>/dev/null | head -3000',
  'cal.txt': 'for y in 1990 2000 2024; do cal $y 2>/dev/null || ncal $y 2>/dev/null; done',
})) {
  try {
    files[name] = execSync(cmd, { encoding: 'utf8', shell: '/bin/bash', maxBuffer: 64 << 20 });
  } catch {
    // (a command this machine lacks)
  }
}
for (const [name, body] of Object.entries(files)) {
  writeFileSync(join(dir, name), body);
  console.log(join(dir, name));
}
