import zlib from 'node:zlib';
import { ID, jpegBody, MARK, pngImage, type Sample } from './evasion-fixtures.js';

// Issue 14, red team of 30 November: the ways through that the encodings,
// notations and compressed data of this file took (each written here by test
// code, as the tools and languages named write them), and clean files that
// hold what the new readings look at. `expect` is the finding kind the
// default policy denies on.

export interface NotationSample extends Sample {
  cls: string;
}

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const MARK8 = u8(`${MARK}\n`);
const IDCSV = u8(`${'备注：正常业务往来。'.repeat(30)}\n证件号 ${ID}\n`);

export function notationSamples(): NotationSample[] {
  const s: NotationSample[] = [];
  const add = (cls: string, name: string, body: Buffer | string, expect = 'classified-marking', filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ cls, name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  const bin = (name: string, body: Buffer, expect = 'classified-marking'): void => add('compressed off byte 0', name, body, expect, 'a.bin', 'application/octet-stream');

  // Compressed data after another format or away from byte 0.
  bin('zlib stream 4 KiB into an octet-stream', Buffer.concat([Buffer.alloc(4096), zlib.deflateSync(MARK8), Buffer.alloc(4096)]));
  bin('zlib (best compression) after a binary header', Buffer.concat([Buffer.from('FERRYDAT\u0001\u0000\u0000\u0000', 'latin1'), zlib.deflateSync(IDCSV, { level: 9 })]), 'personal-data');
  bin('zlib (fastest) at an odd offset', Buffer.concat([Buffer.alloc(777, 0x20), zlib.deflateSync(MARK8, { level: 1 })]));
  bin('bare deflate after padding', Buffer.concat([Buffer.alloc(100, 1), zlib.deflateRawSync(MARK8), Buffer.alloc(100, 1)]));
  bin('bare deflate of an id number after zero padding', Buffer.concat([Buffer.from([9, 8, 7, 6]), Buffer.alloc(64), zlib.deflateRawSync(IDCSV)]), 'personal-data');
  add('compressed off byte 0', 'zlib after a PNG IEND', Buffer.concat([pngImage(), zlib.deflateSync(MARK8)]), 'classified-marking', 'a.png', 'image/png');
  add('compressed off byte 0', 'bare deflate after a JPEG EOI', Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), zlib.deflateRawSync(MARK8)]), 'classified-marking', 'a.jpg', 'image/jpeg');
  add('compressed off byte 0', 'an id number in zlib after a JPEG EOI', Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), zlib.deflateSync(IDCSV)]), 'personal-data', 'a.jpg', 'image/jpeg');
  return s;
}

/** Ordinary content that holds what the readings above look at. */
export function notationCleanSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, body: Buffer | string, filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect: '' });
  };
  // A binary with padding and zlib of ordinary text; an image with nothing after it; a JPEG with padding after EOI.
  add('binary with padding and a zlib stream of prose', Buffer.concat([Buffer.alloc(512, 0), zlib.deflateSync(u8('the quick brown fox\n'.repeat(40))), Buffer.alloc(512, 0xff), zlib.deflateRawSync(u8('plain words only\n'))]), 'a.bin', 'application/octet-stream');
  add('PNG image', pngImage(), 'a.png', 'image/png');
  add('JPEG with zero padding after EOI', Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), Buffer.alloc(2048)]), 'a.jpg', 'image/jpeg');
  return s;
}
