// ways12 (2 Dec, review13's open probe, case 1): a WARC record cut in segments (ISO 28500 §5.8) with another record
// between its segments, or its segments out of order, was read a segment at a time: a marking or an id cut between
// two segments crossed. Segments are joined by their origin id wherever they stand (warc-segments.ts), bounded: 16
// records open in segments at once (past it inspection-limit:warc-segments) and 8 MiB held (past it read as they
// come; a segment that then comes out of its place is inspection-limit:warc-segments).
import t from 'tap';
import zlib from 'node:zlib';
import { checkSamples } from './helpers/sample-checks.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';
import { page, plainResponse, record, segmentRecords, warcinfo } from './review13-fixtures.js';
import { InspectContext } from '../gateway/inspect/context/inspect-context.js';
import type { Member } from '../gateway/inspect/context/member.js';
import { WarcWalker } from '../gateway/inspect/archives/warc-walker.js';
import { MAX_HELD } from '../gateway/inspect/archives/warc-segments.js';

t.setTimeout(240_000);

const ID = '110101199003077715';
const AT = { filename: 'crawl.warc', declaredType: 'application/warc' };
const s = (name: string, recs: Buffer[], expect = ''): Sample => ({ name, filename: AT.filename, type: AT.declaredType, body: Buffer.concat([warcinfo, ...recs]), expect });
const A = '<urn:uuid:5e1a7c2d-0b3f-4a9e-8c1d-00000000000a>';
const B = '<urn:uuid:5e1a7c2d-0b3f-4a9e-8c1d-00000000000b>';
const other = record('response', Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n${page().toString()}`), 'application/http; msgtype=response');

const ways = (): Sample[] => {
  const marked = plainResponse(page('<p>密级：机密★10年</p>'));
  const [m1, m2] = segmentRecords(marked.http, [marked.mid], A);
  const id = plainResponse(page(`<p>经办人身份证 ${ID}</p>`));
  const idMid = id.http.indexOf(Buffer.from(ID)) + 9;
  const [i1, i2, i3] = segmentRecords(id.http, [idMid - 4, idMid], A);
  const [b1, b2] = segmentRecords(plainResponse(page()).http, [300], B);
  const br = zlib.brotliCompressSync(page('<p>密级：机密★10年</p>'));
  const brHttp = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: ${br.length}\r\n\r\n`), br]);
  const [r1, r2] = segmentRecords(brHttp, [brHttp.length - 40], A);
  return [
    s('a record between the two segments, cut inside 机密', [m1!, warcinfo, m2!], 'classified-marking'),
    s('a response between the two segments', [m1!, other, m2!], 'classified-marking'),
    s('the continuation before its first segment', [m2!, m1!], 'classified-marking'),
    s('three segments as 1, 3, 2, the id cut in three', [i1!, i3!, i2!], 'personal-data'),
    s('three segments as 3, 2, 1 with records between', [i3!, other, i2!, warcinfo, i1!], 'personal-data'),
    s('two records in segments, interleaved', [m1!, b1!, m2!, b2!], 'classified-marking'),
    s('a br body in two segments with a record between', [r1!, other, r2!], 'classified-marking'),
  ];
};

const clean = (): Sample[] => {
  const c = plainResponse(page());
  const [c1, c2, c3] = segmentRecords(c.http, [400, 900], A);
  const [b1, b2] = segmentRecords(plainResponse(page()).http, [300], B);
  return [
    s('clean: an ordinary page in segments 1, 3, 2 with a record between', [c1!, other, c3!, c2!]),
    s('clean: two ordinary records in segments, interleaved', [c1!, b1!, c2!, b2!, c3!]),
    s('clean: continuations alone (the first segment in the file before)', [c2!, c3!, other]),
    s('clean: a first segment alone (its continuation in the file after)', [other, c1!]),
    s('clean: a segment sent twice', [c1!, c2!, c2!, c3!]),
  ];
};

t.test('a record in segments is read whole wherever its segments stand', (t) => checkSamples(t, ways(), clean()));

/** The walker alone, its members keeping what they are given (8 MiB through the whole inspection is slow). */
async function walk(warc: Buffer): Promise<{ ctx: InspectContext; members: { name: string; bytes: Buffer }[] }> {
  const ctx = new InspectContext(undefined, undefined);
  const members: { name: string; bytes: Buffer }[] = [];
  const openMember = (name: string): Member => {
    const m = { name, bytes: Buffer.alloc(0) };
    members.push(m);
    return { update: async (b) => void (m.bytes = Buffer.concat([m.bytes, b])), finish: async () => {}, abort: () => {} };
  };
  const w = new WarcWalker({ ctx, path: 'crawl.warc', openMember });
  for (let p = 0; p < warc.length; p += 1 << 20) await w.update(warc.subarray(p, p + (1 << 20)));
  await w.finish();
  return { ctx, members };
}

t.test('the bounds: inspection-limit:warc-segments where a join is lost, never a silent one', async (t) => {
  const firsts = Array.from({ length: 17 }, (_, i) => segmentRecords(plainResponse(page()).http, [300], `<urn:uuid:5e1a7c2d-0b3f-4a9e-8c1d-0000000001${String(i).padStart(2, '0')}>`)[0]!);
  const r = await inspectBytes(Buffer.concat([warcinfo, ...firsts]), {}, AT);
  t.same(kinds(r.findings), ['inspection-limit:warc-segments'], '17 records open in segments');
  const r16 = await inspectBytes(Buffer.concat([warcinfo, ...firsts.slice(1)]), {}, AT);
  t.same(kinds(r16.findings), [], '16 are within the bound');

  const big = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n'), Buffer.alloc(MAX_HELD + 4096, 0x20), Buffer.from('机密★10年')]);
  const [g1, g2] = segmentRecords(big, [1000], A);
  const alone = await walk(Buffer.concat([warcinfo, g2!]));
  t.same(alone.ctx.tally.findings(), [], 'a continuation of over 8 MiB alone (its first in the file before): no finding');
  t.ok(alone.members.some((m) => m.bytes.length === big.length - 1000 && m.bytes.includes(Buffer.from('机密★10年'))), 'and read whole');
  const late = await walk(Buffer.concat([warcinfo, g2!, g1!]));
  t.same(late.ctx.tally.findings().map((f) => `${f.kind}:${f.subkind}`), ['inspection-limit:warc-segments'], 'its first segment after it: the join was lost');
  t.ok(late.members.some((m) => m.bytes.length === big.length - 1000 && m.bytes.includes(Buffer.from('机密★10年'))), 'the continuation read whole');
  t.ok(late.members.some((m) => m.name.includes('response')), 'and the first segment apart');
});
