// Media containers walked on 1 December (bmff-shape.ts, media-meta.ts;
// container-fixtures.ts): encrypted bytes after, between or inside the boxes
// of an MP4, M4A, MOV or fragmented MP4 that no sample table points at are
// `uninspectable`; metadata (iTunes items, QuickTime strings, ID32) is read
// as text; an MP3's ID3v2 frames compressed with zlib or unsynchronised are
// decoded and read (red team 1 Dec b, N25); a TNEF message's (winmail.dat)
// properties, compressed RTF and attachments are read (tnef-text.ts);
// ordinary files cross.
import t from 'tap';
import { checkSamples, chunked } from './helpers/sample-checks.js';
import { containerCleanSamples, containerSamples, flac, flacBlock, fragmentedMp4, matroska, mp4, vorbisComment } from './container-fixtures.js';
import { tnefCleanSamples, tnefSamples } from './tnef-fixtures.js';
import { MediaShape, shapeOf } from '../gateway/inspect/media/media-shape.js';

await checkSamples(t, [...containerSamples(), ...tnefSamples()], [...containerCleanSamples(), ...tnefCleanSamples()]);

t.test('MP4s, FLACs and Matroska files written by test code, cut into chunks of 1, 7 and 4,099 bytes, hold their structure', async (t) => {
  const broken: string[] = [];
  const files: Array<[string, Buffer, 'bmff' | 'flac' | 'ebml']> = [
    ['Matroska', matroska({ attachments: [['a.txt', Buffer.from('x')]] }), 'ebml'],
    ['live WebM', matroska({ webm: true, live: true }), 'ebml'],
    ['moov first', mp4(), 'bmff'],
    ['mdat first', mp4({ moovFirst: false }), 'bmff'],
    ['fragmented', fragmentedMp4(), 'bmff'],
    ['FLAC', flac({ blocks: [flacBlock(4, vorbisComment(['TITLE=x'])), flacBlock(1, Buffer.alloc(300))] }), 'flac'],
    ['FLAC of silence', flac({ silent: true }), 'flac'],
  ];
  for (const [name, body, kind] of files) {
    for (const size of [1, 7, 4099]) {
      const shape = new MediaShape(kind);
      for (const piece of chunked(body, size)) shape.write(piece);
      if (!shape.valid()) broken.push(`${name} (${size}): ${shape.why}`);
    }
  }
  t.same(broken, [], 'every file walks clean');
  t.equal(shapeOf('video/mp4', mp4()), 'bmff');
  t.equal(shapeOf('audio/x-m4a', mp4({ brand: 'M4A ' })), 'bmff');
  t.equal(shapeOf('video/mp4', Buffer.from('\0\0\0\x10junkjunkjunkjunk')), undefined, 'a head that is no box is not walked as one');
  t.equal(shapeOf('audio/flac', flac()), 'flac');
  t.equal(shapeOf('video/webm', matroska()), 'ebml');
});
