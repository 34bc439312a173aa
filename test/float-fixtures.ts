// Python pickles and NumPy .npy files of float64, as CPython's pickle.dumps and numpy.save write them (the
// pickles compared byte for byte with CPython 3's for the same floats, protocols 2 and 4, when written).
import { seededRandom } from '../bench/seeded-random.js';

/** n draws of a normal distribution (Box-Muller), the same on every run. */
export function normals(n: number, seed = 20261202, scale = 1): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => scale * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
}

/** BINFLOAT: `G` and the value's 8 bytes, big-endian. */
export function binfloat(v: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = 0x47;
  b.writeDoubleBE(v, 1);
  return b;
}

/** A list's items as pickle batches them: MARK, at most 1,000 items, APPENDS (a list of one item: APPEND). */
function appends(items: Buffer[]): Buffer[] {
  if (items.length === 1) return [items[0]!, Buffer.from([0x61])];
  const out: Buffer[] = [];
  for (let i = 0; i < items.length; i += 1000) out.push(Buffer.from([0x28]), ...items.slice(i, i + 1000), Buffer.from([0x65]));
  return out;
}

/** Opcodes of protocol 4 or 5 in frames (FRAME and the frame's length), a frame closed past 64 KiB as the Pickler's framer does. */
function framed(proto: number, ops: Buffer[]): Buffer {
  const frames: Buffer[] = [];
  let cur: Buffer[] = [];
  let size = 0;
  const close = (): void => {
    const head = Buffer.alloc(9);
    head[0] = 0x95;
    head.writeBigUInt64LE(BigInt(size), 1);
    frames.push(head, ...cur);
    cur = [];
    size = 0;
  };
  for (const op of ops) {
    cur.push(op);
    size += op.length;
    if (size >= 64 * 1024) close();
  }
  if (size) close();
  return Buffer.concat([Buffer.from([0x80, proto]), ...frames]);
}

/** pickle.dumps(list of floats, protocol): 2 (BINPUT 0) or 4 and 5 (framed, MEMOIZE). */
export function floatListPickle(values: number[], proto = 4): Buffer {
  const items = values.map(binfloat);
  if (proto < 4) return Buffer.concat([Buffer.from([0x80, proto, 0x5d, 0x71, 0x00]), ...appends(items), Buffer.from([0x2e])]);
  return framed(proto, [Buffer.from([0x5d, 0x94]), ...appends(items), Buffer.from([0x2e])]);
}

/** SHORT_BINUNICODE and MEMOIZE. */
function text(s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([0x8c, b.length]), b, Buffer.from([0x94])]);
}

/** pickle.dumps({name: [floats], …}, 4): a dict of lists of floats under text keys. */
export function floatColumnsPickle(columns: Record<string, number[]>): Buffer {
  const ops: Buffer[] = [Buffer.from([0x7d, 0x94, 0x28])]; // EMPTY_DICT, MEMOIZE, MARK
  for (const [k, vs] of Object.entries(columns)) ops.push(text(k), Buffer.from([0x5d, 0x94]), ...appends(vs.map(binfloat)));
  ops.push(Buffer.from([0x75, 0x2e])); // SETITEMS, STOP
  return framed(4, ops);
}

/** numpy.save of a 1-D float64 array (version 1 header, padded to 64 bytes); `data` instead of the values' bytes when given. */
export function npyFloat64(values: number[], o: { big?: boolean; data?: Buffer; count?: number } = {}): Buffer {
  const data = o.data ?? Buffer.alloc(values.length * 8);
  if (!o.data) values.forEach((v, i) => (o.big ? data.writeDoubleBE(v, i * 8) : data.writeDoubleLE(v, i * 8)));
  let h = `{'descr': '${o.big ? '>' : '<'}f8', 'fortran_order': False, 'shape': (${o.count ?? data.length / 8},), }`;
  h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(h.length, 8);
  return Buffer.concat([head, Buffer.from(h, 'latin1'), data]);
}
