// Media walked past its signature on 1 December (tiff-shape.ts, riff-shape.ts, ogg-shape.ts,
// program-stream.ts, lyrics3.ts; media-walk-fixtures.ts): encrypted bytes
// after or inside a TIFF, a program stream, a Lyrics3 tag are
// `uninspectable`; real files of each kind, whole and cut into chunks, walk
// clean; a font's hinting bytecode is not read as numbers, its name table
// is; a JPEG XL codestream cannot be checked and is refused unless
// allow-listed.
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { checkSamples, chunked } from './helpers/sample-checks.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { mediaWalkCleanSamples, mediaWalkSamples, realChunkedMedia, realLyrics, realProgramStreams, realTiffs } from './media-walk-fixtures.js';
import { encrypted } from './media-fixtures.js';
import { MediaShape, shapeOf } from '../gateway/inspect/media/media-shape.js';

await checkSamples(t, mediaWalkSamples(), mediaWalkCleanSamples());

t.test('real TIFFs, program streams, MP3s with Lyrics3, RIFF, AIFF and Ogg cut into chunks of 1, 5 and 4,099 bytes hold their structure', async (t) => {
  const broken: string[] = [];
  type Kind = 'tiff' | 'mpegps' | 'mpeg' | 'riff' | 'iff' | 'ogg';
  const files: Array<[string, Buffer, Kind]> = [
    ...realTiffs().map(([n, b]): [string, Buffer, Kind] => [n, b, 'tiff']),
    ...realProgramStreams().map(([n, b]): [string, Buffer, Kind] => [n, b, 'mpegps']),
    ...realLyrics().map(([n, b]): [string, Buffer, Kind] => [n, b, 'mpeg']),
    ...realChunkedMedia().map(([n, b]): [string, Buffer, Kind] => [n, b, b[0] === 0x4f ? 'ogg' : b[0] === 0x46 ? 'iff' : 'riff']),
  ];
  for (const [name, body, kind] of files) {
    for (const size of [1, 5, 4099]) {
      const shape = new MediaShape(kind);
      for (const piece of chunked(body, size)) shape.write(piece);
      if (!shape.valid()) broken.push(`${name} (${size}): ${shape.why}`);
    }
  }
  t.same(broken, [], 'every real file walks clean');
  t.equal(shapeOf('image/tiff', Buffer.from('II*\0')), 'tiff');
  t.equal(shapeOf('video/MP2P', Buffer.from([0, 0, 1, 0xba])), 'mpegps');
  t.equal(shapeOf('audio/wav', Buffer.from('RIFF')), 'riff');
  t.equal(shapeOf('audio/aiff', Buffer.from('FORM')), 'iff');
  t.equal(shapeOf('audio/ogg; codecs=opus', Buffer.from('OggS')), 'ogg');
  t.equal(shapeOf('video/mpeg', Buffer.from([0, 0, 1, 0xb3])), undefined, 'an elementary video stream is not a program stream');
});

t.test('a TIFF whose IFD is past the head is typed TIFF (ffmpeg and libtiff write it last)', async (t) => {
  const [, body] = realTiffs()[1]!;
  const r = await inspectBytes(body, {}, { filename: 'scan.tif', declaredType: 'image/tiff' });
  t.equal(r.sniffedType, 'image/tiff');
  t.same(kinds(r.findings), [], 'a deflate TIFF declared as one: no finding (it was a type-mismatch and uninspectable)');
});

t.test('the system\'s DejaVu fonts give no finding', async (t) => {
  const dir = '/usr/share/fonts/truetype/dejavu/';
  const font = `${dir}DejaVuSansCondensed-BoldOblique.ttf`;
  if (!existsSync(font)) {
    t.pass('no DejaVu fonts on this machine');
    return;
  }
  const r = await inspectBytes(readFileSync(font), {}, { filename: 'DejaVuSansCondensed-BoldOblique.ttf', declaredType: 'font/ttf' });
  t.same(kinds(r.findings), [], 'DejaVu Sans Condensed Bold Oblique (a run of hinting digits passed as a card number)');
});

// Review of 1 Dec: digits in every table but name/post/SVG/meta ended a run of text, so a register in a
// one-table font crossed; now only runs in outline and bytecode tables that touch no mark of writing do.
t.test('a register inside a font table is read, whatever the table\'s tag', async (t) => {
  const font = (tag: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(28);
    head.writeUInt32BE(0x00010000, 0);
    head.writeUInt16BE(1, 4);
    head.write(tag, 12, 'latin1');
    head.writeUInt32BE(28, 20);
    head.writeUInt32BE(data.length, 24);
    return Buffer.concat([head, data]);
  };
  const csv = Buffer.from(Array.from({ length: 200 }, (_, i) => `name${i},138${String(10000000 + i * 7919).slice(0, 8)},note`).join('\n') + '\n');
  for (const tag of ['DATA', 'glyf', 'CFF ']) {
    const r = await inspectBytes(font(tag, csv), {}, { filename: 'a.ttf', declaredType: 'font/ttf' });
    t.ok(kinds(r.findings).includes('personal-data:cn-mobile'), `mobile numbers in a table tagged ${tag} (${kinds(r.findings).join(' ') || 'none'})`);
  }
});

t.test('a JPEG XL codestream is uninspectable, bare or in its container', async (t) => {
  const bare = Buffer.concat([Buffer.from([0xff, 0x0a, 0xfa, 0x1f]), encrypted(3000)]);
  const box = (type: string, data: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0]).fill(0), Buffer.from(type, 'latin1'), data]).fill(0, 0, 0);
  const sized = (b: Buffer): Buffer => {
    b.writeUInt32BE(b.length, 0);
    return b;
  };
  const container = Buffer.concat([Buffer.from('0000000c4a584c200d0a870a', 'hex'), sized(box('ftyp', Buffer.from('jxl \0\0\0\0jxl ', 'latin1'))), sized(box('jxlc', bare))]);
  for (const [name, body] of [['bare', bare], ['container', container]] as const) {
    const r = await inspectBytes(body, {}, { filename: 'photo.jxl', declaredType: 'image/jxl' });
    t.equal(r.sniffedType, 'image/jxl', `${name}: typed JPEG XL`);
    t.ok(r.findings.some((f) => f.kind === 'uninspectable' && f.subkind === 'image/jxl'), `${name}: uninspectable:image/jxl (${kinds(r.findings).join(', ')})`);
  }
});
