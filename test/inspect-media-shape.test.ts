// Media typed by a short signature (`BM`, an MPEG frame sync, `0B 77`, an
// icon or font directory) is
// checked past it (media-shape.ts, media-fixtures.ts): encrypted bytes
// behind such a signature are `uninspectable`, as sent and in hex or base64;
// real media of each kind stays clean, whole and cut into chunks anywhere.
import t from 'tap';
import { checkSamples, chunked } from './helpers/sample-checks.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { bmp, encrypted, mediaShapeCleanSamples, mediaShapeSamples, realAudio, realBmps, realIconsAndFonts } from './media-fixtures.js';
import { MediaShape, shapeOf } from '../gateway/inspect/media/media-shape.js';

await checkSamples(t, mediaShapeSamples(), mediaShapeCleanSamples());

t.test('real media cut into chunks of 1, 5 and 4,099 bytes holds its structure', async (t) => {
  const broken: string[] = [];
  for (const [name, body] of [...realBmps(), ...realAudio(), ...realIconsAndFonts()]) {
    for (const size of [1, 5, 4099]) {
      const kind = /ICO|CUR/.test(name) ? 'ico' : /WOFF/.test(name) ? 'woff' : /font/i.test(name) ? 'sfnt' : body[0] === 0x42 ? 'bmp' : body[0] === 0x0b ? 'ac3' : body[0] === 0x47 || body[4] === 0x47 ? 'mp2t' : 'mpeg';
      const shape = new MediaShape(kind);
      for (const piece of chunked(body, size)) shape.write(piece);
      if (!shape.valid()) broken.push(`${name} (${size}): ${shape.why}`);
    }
  }
  t.same(broken, [], 'every real file walks clean');
  const r = await inspectChunks(chunked(realAudio()[1]![1], 7), {}, { filename: 'a.mp3', declaredType: 'audio/mpeg' });
  t.same(kinds(r.findings), [], 'an MP3 with an ID3v2 tag, declared audio/mpeg, in chunks of 7: no finding');
});

t.test('the types file-type names by a short signature have their shape', async (t) => {
  t.equal(shapeOf('image/bmp', Buffer.from('BM')), 'bmp');
  t.equal(shapeOf('audio/mpeg', Buffer.from([0xff, 0xfb])), 'mpeg');
  t.equal(shapeOf('audio/aac', Buffer.from([0xff, 0xf1])), 'mpeg');
  t.equal(shapeOf('audio/vnd.dolby.dd-raw', Buffer.from([0x0b, 0x77])), 'ac3');
  t.equal(shapeOf('image/x-icon', Buffer.from([0, 0, 1, 0])), 'ico');
  t.equal(shapeOf('font/ttf', Buffer.from([0, 1, 0, 0])), 'sfnt');
  t.equal(shapeOf('image/png', Buffer.from([0x89, 0x50])), undefined);
  // A bitmap declared as one whose pixels are cut short is not a bitmap: with encrypted bytes it is uninspectable.
  const cut = Buffer.concat([bmp({ width: 1000, height: 1000, bpp: 24 }).subarray(0, 54), encrypted(20_000)]);
  const r = await inspectBytes(cut, {}, { filename: 'a.bmp', declaredType: 'image/bmp' });
  t.ok(r.findings.some((f) => f.kind === 'uninspectable'), `a bitmap header over 20 KB of encrypted bytes that should be 3 MB (${kinds(r.findings).join(', ')})`);
});
