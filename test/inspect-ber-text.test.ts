import { randomBytes } from 'node:crypto';
import t from 'tap';
import { inspectBytes, inspectChunks, kinds, residentId } from './inspect-fixtures.js';
import { signed } from './der-text-fixtures.js';

// Seventh red team of 1 Dec, R27, what was left of it on 2 Dec: DER over 64 KiB that is not a CMS signed-data was
// not walked (its text read only where its bytes are text as they stand), BER's indefinite lengths were walked only
// around a signed-data's content, and a content whose pieces nest (a constructed OCTET STRING inside one) ended
// there. A marking split over values or pieces crossed; the text of ASN.1 values is now read as it streams
// (gateway/inspect/opaque/ber-text.ts), each constructed string's pieces joined.
t.setTimeout(180_000);

const ID = residentId('440305', '19900307', '457');
const MEMO = `关于工作的通知\n机密★10年\n身份证 ${ID}\n`;

const len = (n: number): Buffer => {
  if (n < 128) return Buffer.from([n]);
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 255);
  return Buffer.from([0x80 | b.length, ...b]);
};
/** One value of definite length. */
const tlv = (tag: number, ...v: Buffer[]): Buffer => {
  const body = Buffer.concat(v);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
/** One constructed value of indefinite length (BER), closed by 00 00. */
const ber = (tag: number, ...v: Buffer[]): Buffer => Buffer.concat([Buffer.from([tag, 0x80]), ...v, Buffer.from([0, 0])]);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s));
/** A revoked certificate's entry (serial, date): n of them make a CRL-like record past 64 KiB. */
const entries = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => tlv(0x30, tlv(0x02, Buffer.from([0x10, i >> 8, i & 255])), tlv(0x17, Buffer.from('261201000000Z'))));
/** An OCTET STRING of one-byte pieces, each inside a constructed piece of its own (BER allows both). */
const nestedPieces = (s: string): Buffer => ber(0x24, ...[...Buffer.from(s)].map((b) => ber(0x24, tlv(0x04, Buffer.from([b])))));
/** A name split over values: each character a UTF8String. */
const split = (s: string): Buffer[] => [...s].map(utf8);

const oid = (h: string): Buffer => tlv(0x06, Buffer.from(h, 'hex'));
const SHA256 = tlv(0x30, oid('608648016503040201'), Buffer.from([5, 0]));
/** A CMS signed-data in BER (as `openssl cms -sign -stream` writes it) around a content given as its encoding. */
function berSigned(content: Buffer): Buffer {
  const signer = tlv(0x31, tlv(0x30, tlv(0x02, Buffer.from([1])), tlv(0x30, tlv(0x30, tlv(0x31, tlv(0x30, oid('550403'), utf8('seal')))), tlv(0x02, Buffer.from([0x3a, 0x61]))),
    SHA256, tlv(0x30, oid('2a864886f70d010101'), Buffer.from([5, 0])), tlv(0x04, randomBytes(256))));
  const eci = ber(0x30, oid('2a864886f70d010701'), ber(0xa0, content));
  return ber(0x30, oid('2a864886f70d010702'), ber(0xa0, ber(0x30, tlv(0x02, Buffer.from([1])), tlv(0x31, SHA256), eci, signer)));
}

interface Case {
  name: string;
  body: Buffer;
  expect: string;
}

function found(): Case[] {
  const big = entries(4000);
  return [
    { name: 'DER over 64 KiB: a marking split over UTF8Strings', body: tlv(0x30, ...big, tlv(0x30, ...split('机密★10年'))), expect: 'classified-marking' },
    { name: 'DER over 64 KiB: a resident id split over PrintableStrings', body: tlv(0x30, tlv(0x30, tlv(0x13, Buffer.from(ID.slice(0, 9))), tlv(0x13, Buffer.from(ID.slice(9)))), ...big), expect: 'personal-data' },
    { name: 'DER over 64 KiB: a memo in an OCTET STRING of one-byte pieces nested in constructed ones', body: tlv(0x30, ...big, nestedPieces(MEMO)), expect: 'classified-marking' },
    { name: 'BER under 64 KiB: a marking split over values in indefinite lengths', body: ber(0x30, ...entries(50), ber(0x30, ...split('机密★10年'))), expect: 'classified-marking' },
    { name: 'BER signed-data: the content in one-byte pieces nested in constructed ones', body: berSigned(nestedPieces(MEMO)), expect: 'classified-marking' },
    { name: 'BER signed-data: the content a constructed OCTET STRING of definite length, one-byte pieces', body: berSigned(tlv(0x24, ...[...Buffer.from(MEMO)].map((b) => tlv(0x04, Buffer.from([b]))))), expect: 'classified-marking' },
    { name: 'values nested 40 deep (past 32): inspection-limit', body: tlv(0x30, ...entries(10), Array.from({ length: 40 }).reduce<Buffer>((a) => ber(0x30, a), utf8('x'))), expect: 'inspection-limit:der-depth' },
  ];
}

function clean(): Case[] {
  return [
    { name: 'a CRL-like record of 4,000 entries (over 64 KiB) with an ordinary issuer', body: tlv(0x30, tlv(0x30, tlv(0x31, tlv(0x30, oid('550403'), utf8('BJCA Personal CA')))), ...entries(4000)), expect: '' },
    { name: 'DER over 64 KiB: 商业秘密 and 保密协议 split over UTF8Strings', body: tlv(0x30, ...entries(4000), tlv(0x30, ...split('商业秘密'), ...split('保密协议'))), expect: '' },
    { name: 'BER signed-data of an ordinary notice in nested pieces', body: berSigned(nestedPieces('关于召开会议的通知\n请各单位参加。\n')), expect: '' },
    { name: 'an ordinary signed memo (DER)', body: signed('关于召开会议的通知\n请各单位于12月3日上午9时参加。\n'), expect: '' },
  ];
}

const opts = { filename: 'record.der', declaredType: 'application/octet-stream' };

t.test('text in ASN.1 values past 64 KiB, in BER, in nested pieces is read', async (t) => {
  for (const c of found()) {
    const k = kinds((await inspectBytes(c.body, {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith(c.expect)), `${c.name}: ${k.join(', ')}`);
  }
});

t.test('the same in chunks of 1,000 and of 61 bytes (headers and characters cut between chunks)', async (t) => {
  for (const size of [1000, 61]) {
    for (const c of found().slice(0, 5)) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < c.body.length; i += size) chunks.push(c.body.subarray(i, i + size));
      const k = kinds((await inspectChunks(chunks, {}, opts)).findings);
      t.ok(k.some((x) => x.startsWith(c.expect)), `${c.name}, ${size}-byte chunks: ${k.join(', ')}`);
    }
  }
});

t.test('ordinary records and signatures stay clean', async (t) => {
  for (const c of clean()) t.same(kinds((await inspectBytes(c.body, {}, opts)).findings), [], c.name);
});
