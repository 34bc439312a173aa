import iconv from 'iconv-lite';
import { ID, MARK, pngImage, type Sample } from './evasion-fixtures.js';
import { zip } from './inspect-fixtures.js';
import { encrypted } from './media-fixtures.js';
import { lzfuCompress } from './office-fixtures.js';

// TNEF (`winmail.dat`) written by test code (MS-OXTNEF): attributes with
// their checksums, MAPI property lists (UTF-16 and 8-bit strings, compressed
// RTF, binary values), attachments; the ways through it and ordinary
// messages that must cross.

const le32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const le16 = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);

/** An attribute: level (1 message, 2 attachment), ID, length, data, checksum. */
export function attribute(level: 1 | 2, id: number, data: Buffer): Buffer {
  let sum = 0;
  for (const x of data) sum = (sum + x) & 0xffff;
  return Buffer.concat([Buffer.from([level]), le32(id), le32(data.length), data, le16(sum)]);
}

const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

/** A MAPI property list of variable-size values (type, id, value). */
export function props(list: Array<[number, number, Buffer]>): Buffer {
  return Buffer.concat([le32(list.length), ...list.map(([type, id, v]) => Buffer.concat([le16(type), le16(id), le32(1), le32(v.length), pad4(v)]))]);
}

const utf16z = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf16le');

export interface TnefSpec {
  subject?: string;
  rtf?: string;
  bodyW?: string;
  string8?: Buffer;
  attachments?: Array<[string, Buffer]>;
  after?: Buffer;
}

/** A TNEF message: version, code page, class, subject, message properties, then each attachment. */
export function tnef(s: TnefSpec = {}): Buffer {
  const msgProps: Array<[number, number, Buffer]> = [[0x001f, 0x0037, utf16z(s.subject ?? '会议通知')]];
  if (s.bodyW) msgProps.push([0x001f, 0x1000, utf16z(s.bodyW)]);
  if (s.rtf) msgProps.push([0x0102, 0x1009, lzfuCompress(Buffer.from(s.rtf, 'latin1'))]);
  if (s.string8) msgProps.push([0x001e, 0x0070, s.string8]);
  const parts = [
    le32(0x223e9f78),
    le16(0x1234),
    attribute(1, 0x00089006, le32(0x00010000)),
    attribute(1, 0x00069007, Buffer.concat([le32(936), le32(0)])),
    attribute(1, 0x00078008, Buffer.from('IPM.Microsoft Mail.Note\0')),
    attribute(1, 0x00018004, Buffer.from(`${s.subject ?? 'Meeting'}\0`)),
    attribute(1, 0x00069003, props(msgProps)),
  ];
  for (const [name, data] of s.attachments ?? []) {
    parts.push(
      attribute(2, 0x00069002, Buffer.concat([le16(1), le32(0xffffffff), le32(0xffffffff), le32(0)])),
      attribute(2, 0x00018010, Buffer.from(`${name}\0`)),
      attribute(2, 0x0006800f, data),
      attribute(2, 0x00069005, props([[0x001f, 0x3707, utf16z(name)]])),
    );
  }
  if (s.after) parts.push(s.after);
  return Buffer.concat(parts);
}

const rtf = (body: string): string => `{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0\\fs24 ${body}\\par}`;
/** Text in GBK as RTF escapes. */
const gbkEscapes = (s: string): string => [...iconv.encode(s, 'gbk')].map((x) => (x < 0x80 ? String.fromCharCode(x) : `\\'${x.toString(16)}`)).join('');

export function tnefSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, expect: string): void => {
    out.push({ name, filename: 'winmail.dat', type: 'application/ms-tnef', body, expect });
  };
  e('a marking in a TNEF message\'s compressed RTF body', tnef({ rtf: rtf(gbkEscapes(`会议纪要 ${MARK}`)) }), 'classified-marking');
  e('an id number in a TNEF message\'s compressed RTF body', tnef({ rtf: rtf(`\\u36523?\\u20221? ${ID.split('').map((c) => `\\u${c.charCodeAt(0)}?`).join('')}`) }), 'personal-data');
  e('a marking in a TNEF attachment, zipped', tnef({ rtf: rtf('See attached.'), attachments: [['纪要.zip', zip([{ name: '纪要.txt', data: Buffer.from(`会议纪要\n${MARK}\n`), method: 8 }])]] }), 'classified-marking');
  e('a marking in a TNEF attachment in UTF-16', tnef({ attachments: [['纪要.txt', Buffer.from(`\ufeff会议纪要 ${MARK}`, 'utf16le')]] }), 'classified-marking');
  e('an id number in a TNEF 8-bit string property in GBK', tnef({ string8: iconv.encode(`身份证号码 ${ID}`, 'gbk') }), 'personal-data');
  e('encrypted bytes as a TNEF attachment', tnef({ attachments: [['data.bin', encrypted(6000)]] }), 'uninspectable');
  e('encrypted bytes after a TNEF message\'s last attribute', tnef({ rtf: rtf('Hello.'), after: encrypted(6000) }), 'uninspectable');
  return out;
}

export function tnefCleanSamples(): Sample[] {
  const c = (name: string, body: Buffer): Sample => ({ name, filename: 'winmail.dat', type: 'application/ms-tnef', body, expect: 'clean' });
  return [
    c('a TNEF message with an ordinary RTF body', tnef({ rtf: rtf(gbkEscapes('各位同事：明天上午九点开会，请准时参加。')), bodyW: '各位同事：明天上午九点开会，请准时参加。' })),
    c('a TNEF message with a zip and a PNG attached', tnef({ rtf: rtf('See attached.'), attachments: [['议程.zip', zip([{ name: '议程.txt', data: Buffer.from('一、开场\n二、工作汇报\n'), method: 8 }])], ['图.png', pngImage()]] })),
  ];
}
