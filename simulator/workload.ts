import { createHash } from 'node:crypto';
import { deflateRawSync, crc32 } from 'node:zlib';
import type { Topology, WorkloadSpec } from './topology.js';
import { REFUSE_KINDS, type RefuseKind } from './topology-schema.js';

// The items a run sends, drawn from a seeded generator so that a seed gives
// the same run again. Every item has an id that is in its name (files) or its
// body (messages) and content of its own, so its SHA-256 identifies it where
// it lands. Must-refuse items carry exactly what a boundary exists to stop.

export interface Item {
  id: string;
  workload: number;
  route: string;
  kind: 'file' | 'message';
  from: string;
  to: string;
  label: 'public' | 'internal' | 'sensitive';
  /** What a correct set of gateways does with it. */
  expect: 'cross' | 'refused';
  refuseKind: RefuseKind | null;
  filename: string;
  contentType: string;
  channel: string | null;
  size: number;
  sha256: string;
  /** When the workload sends it, from the start of the run (ms). */
  atMs: number;
  body: Buffer;
}

/** mulberry32: small, fast, seedable; enough for workloads (not for keys). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Letters only: a filler of digits could form a phone or card number by chance.
const WORDS = ['report', 'quarter', 'notice', 'summary', 'records', 'meeting', 'budget', 'schedule', 'transfer', 'archive', 'review', 'office', 'service', 'network', 'district', 'weekly', 'statistics', 'traffic', 'safety', 'health'];

function filler(rand: () => number, bytes: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const w = WORDS[Math.floor(rand() * WORDS.length)]!;
    const sep = rand() < 0.1 ? '\n' : ' ';
    parts.push(w, sep);
    n += w.length + 1;
  }
  return Buffer.from(parts.join('')).subarray(0, Math.max(0, bytes));
}

/** A resident id with a valid GB 11643-1999 check digit (ISO 7064 MOD 11-2). */
export function residentId(rand: () => number): string {
  const year = 1950 + Math.floor(rand() * 50);
  const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  const body = `110105${year}${month}${day}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, d, i) => a + Number(d) * w[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

// The anti-virus test string, assembled here so no file of the project carries it whole.
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$' + 'EICAR-STANDARD-ANTIVIRUS-' + 'TEST-FILE!$H+H*';

function peExecutable(id: string): Buffer {
  const b = Buffer.alloc(1024);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84);
  b.write(id, 0x200, 'latin1');
  return b;
}

/** One member of 4 MiB of the letter a, deflated to about 4 KiB: past the 1 MiB grace, far past any sane expansion ratio. */
function zipBomb(id: string): Buffer {
  const data = Buffer.alloc(4 * 1024 * 1024, 0x61);
  const body = deflateRawSync(data, { level: 9 });
  const name = Buffer.from(`${id}.txt`);
  const lh = Buffer.alloc(30);
  lh.writeUInt32LE(0x04034b50, 0);
  lh.writeUInt16LE(20, 4);
  lh.writeUInt16LE(8, 8);
  lh.writeUInt32LE(crc32(data), 14);
  lh.writeUInt32LE(body.length, 18);
  lh.writeUInt32LE(data.length, 22);
  lh.writeUInt16LE(name.length, 26);
  const ch = Buffer.alloc(46);
  ch.writeUInt32LE(0x02014b50, 0);
  ch.writeUInt16LE(20, 4);
  ch.writeUInt16LE(20, 6);
  ch.writeUInt16LE(8, 10);
  ch.writeUInt32LE(crc32(data), 16);
  ch.writeUInt32LE(body.length, 20);
  ch.writeUInt32LE(data.length, 24);
  ch.writeUInt16LE(name.length, 28);
  const local = Buffer.concat([lh, name, body]);
  const cd = Buffer.concat([ch, name]);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, cd, eocd]);
}

function refusedContent(kind: RefuseKind, id: string, rand: () => number): { body: Buffer; ext: string; type: string } {
  switch (kind) {
    case 'classified':
      return { body: Buffer.from(`会议纪要 ${id}\n密级：机密★10年\n\n一、专案进展情况……\n`), ext: 'txt', type: 'text/plain' };
    case 'personal_data':
      return { body: Buffer.from(`姓名,身份证号 ${id}\n张三,${residentId(rand)}\n李四,${residentId(rand)}\n`), ext: 'csv', type: 'text/csv' };
    case 'executable':
      return { body: peExecutable(id), ext: 'pdf', type: 'application/pdf' };
    case 'malware':
      return { body: Buffer.from(`${EICAR}\n${id}\n`), ext: 'txt', type: 'text/plain' };
    case 'zip_bomb':
      return { body: zipBomb(id), ext: 'zip', type: 'application/zip' };
  }
}

/** Which must-refuse kind each of `count` items is (null = ordinary), shuffled by the seed. */
function refusePlan(count: number, shares: Record<RefuseKind, number>, kinds: readonly RefuseKind[], rand: () => number): Array<RefuseKind | null> {
  const plan: Array<RefuseKind | null> = [];
  for (const k of kinds) for (let i = 0; i < Math.round(count * shares[k]); i++) plan.push(k);
  while (plan.length < count) plan.push(null);
  plan.length = count;
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  return plan;
}

function pickSize(sizes: Array<{ size: number; weight: number }>, rand: () => number): number {
  const total = sizes.reduce((a, s) => a + s.weight, 0);
  let r = rand() * total;
  for (const s of sizes) if ((r -= s.weight) <= 0) return s.size;
  return sizes[sizes.length - 1]!.size;
}

export function generateItems(topo: Topology, seed: number): Item[] {
  const items: Item[] = [];
  for (const w of topo.workloads) items.push(...workloadItems(w, seed));
  return items.sort((a, b) => a.atMs - b.atMs);
}

function workloadItems(w: WorkloadSpec, seed: number): Item[] {
  const rand = seededRandom(seed * 1000 + w.index + 1);
  const out: Item[] = [];
  const route = `${w.from} → ${w.to}`;
  const common = { workload: w.index, route, from: w.from, to: w.to, label: w.label };
  if (w.files) {
    const plan = refusePlan(w.files.count, w.refuse, REFUSE_KINDS, rand);
    plan.forEach((kind, i) => {
      const id = `w${w.index}-f${String(i).padStart(5, '0')}`;
      const c = kind ? refusedContent(kind, id, rand) : null;
      const body = c ? c.body : Buffer.concat([Buffer.from(`${id}\n`), filler(rand, pickSize(w.files!.sizes, rand) - id.length - 1)]);
      out.push({
        ...common, id, kind: 'file', expect: kind ? 'refused' : w.expect, refuseKind: kind, channel: null,
        filename: `${id}.${c?.ext ?? 'txt'}`, contentType: c?.type ?? 'text/plain', size: body.length,
        sha256: createHash('sha256').update(body).digest('hex'), atMs: Math.round((i * 1000) / w.files!.ratePerSec), body,
      });
    });
  }
  if (w.messages) {
    // Messages carry text: of the must-refuse kinds, the markings and personal data apply.
    const plan = refusePlan(w.messages.count, w.refuse, ['classified', 'personal_data'], rand);
    plan.forEach((kind, i) => {
      const id = `w${w.index}-m${String(i).padStart(5, '0')}`;
      const body = kind ? refusedContent(kind, id, rand).body : Buffer.concat([Buffer.from(`${id} `), filler(rand, w.messages!.size - id.length - 1)]);
      out.push({
        ...common, id, kind: 'message', expect: kind ? 'refused' : w.expect, refuseKind: kind, channel: w.messages!.channel,
        filename: id, contentType: 'text/plain; charset=utf-8', size: body.length,
        sha256: createHash('sha256').update(body).digest('hex'), atMs: Math.round((i * 1000) / w.messages!.ratePerSec), body,
      });
    });
  }
  return out;
}
