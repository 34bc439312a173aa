import t from 'tap';
import { inspectBytes, kinds, luhnComplete, residentId, uscc } from './inspect-fixtures.js';
import { isResidentId, isUscc, luhn, maskSample } from '../gateway/inspect/marks/pii-checks.js';

// Personal data: GB 11643 resident ids (check digit, birth date, region),
// mobiles, bank cards (Luhn), GB 32100 credit codes, e-mail. Counts, offsets,
// masked samples; the raw value never appears in a finding.

const ID1 = residentId('110105', '19491231', '002'); // check digit X
const ID2 = residentId('440305', '19900307', '457');
const CARD = luhnComplete('622202020011223344'); // 19-digit UnionPay
const VISA = '4111111111111111';
const CODE = uscc('91350100', 'M0001001');

t.test('fixture values are valid by their standards', async (t) => {
  t.ok(ID1.endsWith('X'));
  t.ok(isResidentId(ID1.toLowerCase()) && isResidentId(ID2));
  t.ok(luhn(CARD) && luhn(VISA));
  t.ok(isUscc(CODE), CODE);
});

// An e-mail address is reported in bulk only (EMAIL_BULK different addresses in one piece of content).
const CC = Array.from({ length: 9 }, (_, i) => `user${i}@example.com`).join(' ');

t.test('each kind is found with count, offset and a masked sample; raw values never appear', async (t) => {
  const text = `姓名：张三 身份证号：${ID1}\n同住人 ${ID2}，电话 13812345678、13987654321\n卡号 ${CARD} 备用卡 ${VISA}\n统一社会信用代码 ${CODE}\n邮箱 zhang.san@example.com. 抄送 ${CC}\n`;
  const r = await inspectBytes(text);
  t.same(kinds(r.findings), ['personal-data:bank-card', 'personal-data:cn-mobile', 'personal-data:cn-resident-id', 'personal-data:email', 'personal-data:uscc']);
  const by = Object.fromEntries(r.findings.map((f) => [f.subkind, f]));
  t.equal(by['cn-resident-id']!.count, 2);
  t.equal(by['cn-resident-id']!.offset, Buffer.byteLength(`姓名：张三 身份证号：`));
  t.equal(by['cn-resident-id']!.sample, '110*************2X');
  t.equal(by['cn-mobile']!.count, 2);
  t.equal(by['cn-mobile']!.sample, '138****5678');
  t.equal(by['bank-card']!.count, 2);
  t.equal(by['bank-card']!.sample, `6222${'*'.repeat(11)}${CARD.slice(-4)}`);
  t.equal(by['uscc']!.sample, `91${'*'.repeat(14)}${CODE.slice(-2)}`);
  t.equal(by['email']!.sample, 'z********@example.com');
  const json = JSON.stringify(r.findings);
  for (const raw of [ID1, ID2, '13812345678', CARD, VISA, CODE, 'zhang.san@']) t.notOk(json.includes(raw), `no raw ${raw.slice(0, 4)}…`);
});

t.test('invalid identifiers are not flagged', async (t) => {
  const wrongCheck = ID2.slice(0, 17) + ((Number(ID2[17]) + 1) % 10);
  const badDate = residentId('110105', '19990230', '123'); // 30 February
  const future = residentId('110105', '29990101', '123');
  const badRegion = residentId('000000', '19800101', '123');
  const numbers = [
    wrongCheck,
    badDate,
    future,
    badRegion,
    ID2.slice(0, 17), // 17 digits
    `${ID2}1`, // 19 digits: not an id, and not a card (prefix 44)
    '12812345678', // 12x is not a mobile prefix
    '138123456789', // 12 digits
    CARD.slice(0, -1) + ((Number(CARD.slice(-1)) + 1) % 10), // Luhn fails
    '1234567890123456', // Luhn may pass but no issuer starts with 12
    CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0'),
    'user@localhost',
    '@example.com',
    'a@b',
  ];
  const r = await inspectBytes(numbers.join('\n'));
  t.same(r.findings, [], JSON.stringify(r.findings));
});

t.test('random 18-digit runs are almost never resident ids (check digit + date + region)', async (t) => {
  let seed = 20240601;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 10;
  const runs: string[] = [];
  let checkOnly = 0;
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let j = 0; j < 18; j++) s += rnd();
    runs.push(s);
    // How many pass the check digit alone (about 1 in 11)?
    const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum = 0;
    for (let k = 0; k < 17; k++) sum += Number(s[k]) * W[k]!;
    if ('10X98765432'[sum % 11] === s[17]) checkOnly++;
  }
  const r = await inspectBytes(runs.join(' '));
  const ids = r.findings.find((f) => f.subkind === 'cn-resident-id')?.count ?? 0;
  t.ok(checkOnly > 300, `${checkOnly} of 5000 pass the check digit alone`);
  t.ok(ids <= 5, `${ids} of 5000 pass check digit, date and region`);
});

t.test('evasions: full-width digits, invisible characters inside a number, upper-case X', async (t) => {
  const full = '１３８１２３４５６７８';
  const r = await inspectBytes(`电话：${full}；身份证 ${ID1.toLowerCase()}；号码 138\u200b1234\u200b5678`);
  const by = Object.fromEntries(r.findings.map((f) => [f.subkind, f]));
  t.equal(by['cn-mobile']?.count, 2);
  t.equal(by['cn-resident-id']?.count, 1);
  t.equal(by['cn-mobile']?.offset, Buffer.byteLength('电话：'));
});

t.test('identifiers inside longer digit runs are not taken out of them', async (t) => {
  const r = await inspectBytes(`订单 9${ID2}9 流水 013812345678 1381234567`);
  t.same(r.findings, []);
});

t.test('masks', async (t) => {
  t.equal(maskSample('cn-mobile', '13812345678'), '138****5678');
  t.equal(maskSample('email', 'a@example.com'), 'a*@example.com');
  t.equal(maskSample('bank-card', '4111111111111111'), '4111********1111');
});

t.test('numbers written in groups are read whole in ASCII text too, and only in the shapes people write', async (t) => {
  const id = residentId('110105', '19491231', '002');
  for (const [text, want] of [
    ['tel 138-1234-5678\n', 'personal-data:cn-mobile'],
    ['tel +86 138 1234 5678\n', 'personal-data:cn-mobile'],
    [`id,no\n1,${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}\n`, 'personal-data:cn-resident-id'],
    [`a,${id.slice(0, 11)}\n${id.slice(11)},b\n`, 'personal-data:cn-resident-id'],
    [`a,${id.slice(0, 11)}\r\n${id.slice(11)},b\r\n`, 'personal-data:cn-resident-id'],
  ] as const) {
    t.same(kinds((await inspectBytes(text)).findings), [want], JSON.stringify(text));
  }
  // Neighbouring cells of a table separated by spaces or lines are not joined into identifiers.
  const table = Array.from({ length: 300 }, (_, i) => `${(i * 7919) % 100000} ${(i * 104729) % 1000000}\n${(i * 31) % 997} 13${i % 10}`).join('\n');
  t.same((await inspectBytes(`${table}\n`)).findings, [], 'a table of numbers');
});
