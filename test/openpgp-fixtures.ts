// Ninth red team (redteam9, 2 Dec; probes lost, samples rebuilt here), W3: OpenPGP. A file signed with `gpg -s` is a
// compressed data packet (raw deflate by default) holding a literal data packet: binary or armoured, the memo in it
// crossed; an armoured encrypted message crossed too (its base64 decoded to bytes too short to judge); and a signed
// ordinary file in binary was refused as opaque. Samples are made by the machine's gpg with a throw-away key (left
// out where gpg is absent), and built to RFC 9580 (§4.2 headers, §5.6 compressed and §5.9 literal data packets,
// §6 armour with its CRC-24) for what gpg does not write (partial body lengths, a CRC'd armour by hand, padding).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { docx, residentId } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';
import { cachedToolOutput } from './helpers/tool-output-cache.js';

const ID = residentId('440305', '19900307', '457');
const MEMO = `关于年度工作的通知\n机密★10年\n请各处室按时报送材料。\n`;
const CLEAN = `关于年度工作的通知\n各处室：请遵守保密协议，保护商业秘密和工作秘密，注意数据的机密性。\n联系电话：010-66881234，订单号 20261202001234。\n`;
/** What file-type names an armoured message (a client sends it so for .asc). */
const ARMOURED = 'application/pgp-encrypted';
const s = (name: string, filename: string, body: Buffer, expect: string, type = 'application/octet-stream'): Sample => ({ name, filename, type, body, expect });

let home: string | null | undefined;
/** A GnuPG home with one throw-away signing key (ed25519), or null without gpg. */
function gpgHome(): string | null {
  if (home !== undefined) return home;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-gpg-'));
  const r = spawnSync('gpg', ['--batch', '--homedir', dir, '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Ferry Test <test@example.com>', 'ed25519', 'sign', 'never'], { stdio: 'ignore' });
  home = r.status === 0 ? dir : null;
  if (!home) rmSync(dir, { recursive: true, force: true });
  else {
    process.on('exit', () => {
      // The agent gpg started for this home is a daemon of its own: stopped with it, not left running.
      spawnSync('gpgconf', ['--homedir', dir, '--kill', 'gpg-agent'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    });
  }
  return home;
}

/** gpg run on `input` (written as `name`) with `args`; its output, or null without gpg. Made once per machine (tool-output-cache.ts). */
function gpg(input: Buffer | string, name: string, args: string[]): Buffer | null {
  return cachedToolOutput(import.meta.url, ['gpg', name, ...args, input], () => runGpg(input, name, args));
}

/** `gpg --export` of the throw-away key (binary, or armoured with -a), or null without gpg. */
function gpgExport(args: string[]): Buffer | null {
  return cachedToolOutput(import.meta.url, ['gpg --export', ...args], () => {
    const h = gpgHome();
    if (!h) return null;
    const r = spawnSync('gpg', ['--batch', '--homedir', h, '--export', ...args], {});
    return r.status === 0 && r.stdout.length ? r.stdout : null;
  });
}

function runGpg(input: Buffer | string, name: string, args: string[]): Buffer | null {
  const h = gpgHome();
  if (!h) return null;
  const dir = mkdtempSync(join(h, 'run-'));
  try {
    writeFileSync(join(dir, name), input);
    const out = join(dir, 'out');
    const r = spawnSync('gpg', ['--batch', '--homedir', h, '--pinentry-mode', 'loopback', '--passphrase', 'x', '-o', out, ...args, join(dir, name)], { stdio: 'ignore' });
    return r.status === 0 ? readFileSync(out) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A new-format packet (RFC 9580 §4.2.1) with a five-octet length. */
export function packet(tag: number, body: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h[0] = 0xc0 | tag;
  h[1] = 255;
  h.writeUInt32BE(body.length, 2);
  return Buffer.concat([h, body]);
}

/** gpg run in a throw-away home with two signing keys (RSA 2048 as u0, with a Chinese user ID too; Ed25519 as u1); null when gpg cannot make them. The caller removes `home`. */
export function gpgWithKeys(prefix: string): { home: string; gpg: (args: string[], input?: Buffer) => SpawnSyncReturns<Buffer> } | null {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const gpg = (args: string[], input?: Buffer) => spawnSync('gpg', ['--batch', '--homedir', home, '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { input, maxBuffer: 1 << 24 });
  const made = ['rsa2048', 'ed25519'].map((algo, i) => gpg(['--quick-gen-key', `User ${i} <u${i}@example.com>`, algo, 'sign', 'never']).status === 0);
  if (!made.every(Boolean)) {
    rmSync(home, { recursive: true, force: true });
    return null;
  }
  gpg(['--quick-add-uid', 'u0@example.com', '用户 零 <zero@example.com>']);
  return { home, gpg };
}

/** A signature subpacket (RFC 9580 §5.2.3.7): its length, its type, its value. */
export function sub(type: number, v: Buffer): Buffer {
  const n = v.length + 1;
  const len = n < 192 ? Buffer.from([n]) : n < 8384 ? Buffer.from([((n - 192) >> 8) + 192, (n - 192) & 0xff]) : Buffer.from([255, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([len, Buffer.from([type]), v]);
}

/** A v4 RSA signature packet whose hashed area is `area`, then `after` past its one MPI. */
export function signature(area: Buffer, after = Buffer.alloc(0)): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(area.length);
  const mpi = Buffer.concat([Buffer.from([0x08, 0x00]), Buffer.alloc(256, 0xa5)]);
  return packet(2, Buffer.concat([Buffer.from([4, 0x00, 1, 8]), len, area, Buffer.from([0, 0]), Buffer.from([0x12, 0x34]), mpi, after]));
}

/** A signature creation time subpacket. */
export const created = sub(2, Buffer.from([0x67, 0x4d, 0, 0]));

/** A notation subpacket: flags (0x80: human-readable), a name, a value. */
export function notation(flags: number, name: string, value: Buffer): Buffer {
  const n = Buffer.from(name);
  return sub(20, Buffer.concat([Buffer.from([flags, 0, 0, 0, n.length >> 8, n.length & 0xff, value.length >> 8, value.length & 0xff]), n, value]));
}

/** A new-format packet whose body goes in partial lengths of 2^k octets, the last part a defined length. */
function partialPacket(tag: number, body: Buffer, k: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0xc0 | tag])];
  let p = 0;
  while (body.length - p > 1 << k) {
    parts.push(Buffer.from([224 + k]), body.subarray(p, p + (1 << k)));
    p += 1 << k;
  }
  const rest = body.length - p;
  parts.push(rest < 192 ? Buffer.from([rest]) : Buffer.from([((rest - 192) >> 8) + 192, (rest - 192) & 0xff]), body.subarray(p));
  return Buffer.concat(parts);
}

/** A literal data packet's body (§5.9): format 'b', a file name, a date, the data. */
export function literal(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  return Buffer.concat([Buffer.from([0x62, n.length]), n, Buffer.alloc(4), data]);
}

/** CRC-24 of RFC 9580 §6.1. */
function crc24(b: Buffer): number {
  let crc = 0xb704ce;
  for (const x of b) {
    crc ^= x << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** ASCII armour (§6.2): header line, a blank line, base64 at 64 columns, the CRC-24, the tail line. */
export function armor(b: Buffer, kind = 'MESSAGE'): Buffer {
  const crc = Buffer.alloc(3);
  crc.writeUIntBE(crc24(b), 0, 3);
  const lines = b.toString('base64').match(/.{1,64}/g)!.join('\n');
  return Buffer.from(`-----BEGIN PGP ${kind}-----\n\n${lines}\n=${crc.toString('base64')}\n-----END PGP ${kind}-----\n`);
}

export function openPgpSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, filename: string, body: Buffer | null, expect = 'classified-marking', type?: string): void => {
    if (body) out.push(s(name, filename, body, expect, type));
  };
  add('W3: gpg -s of a memo (binary, ZIP compression)', 'memo.txt.gpg', gpg(MEMO, 'memo.txt', ['-s']));
  add('W3: gpg -a -s of a memo (armoured, ZIP compression)', 'memo.txt.asc', gpg(MEMO, 'memo.txt', ['-a', '-s']), 'classified-marking', ARMOURED);
  add('W3: gpg -a -s --compress-algo bzip2', 'memo.asc', gpg(MEMO, 'memo.txt', ['-a', '-s', '--compress-algo', 'bzip2']), 'classified-marking', ARMOURED);
  add('W3: gpg -s --compress-algo none (binary)', 'memo.gpg', gpg(MEMO, 'memo.txt', ['-s', '--compress-algo', 'none']));
  add('W3: gpg -s of a register with a resident ID', 'names.csv.gpg', gpg(`姓名,身份证号\n张三,${ID}\n`, 'names.csv', ['-s']), 'personal-data');
  add('W3: gpg -s of a .docx holding the marking', '通知.docx.gpg', gpg(docx(['关于工作的通知', '机密★10年']), '通知.docx', ['-s']));
  add('W3: gpg -s with the marking in a signature notation', 'note.gpg', gpg(CLEAN, 'note.txt', ['-s', '--sig-notation', 'memo@example.com=机密★10年']));
  // Read on main already (its text is plain, a dash-escaped line's `- ` a separator): kept so that it stays read.
  add('W3: gpg --clearsign, the marking on dash-escaped lines', 'memo.txt.asc', gpg(`- ${MEMO.replace(/\n/g, '\n- ')}`, 'memo.txt', ['--clearsign']), 'classified-marking', 'text/plain');
  add('W3: gpg -c (binary, encrypted) is uninspectable', 'memo.gpg', gpg(MEMO, 'memo.txt', ['-c']), 'uninspectable');
  add('W3: gpg -a -c (armoured, encrypted) is uninspectable', 'memo.asc', gpg(MEMO, 'memo.txt', ['-a', '-c']), 'uninspectable', ARMOURED);
  // Built to the RFC: what gpg does not write.
  const lit = packet(11, literal('memo.txt', Buffer.from(MEMO)));
  out.push(s('W3: built, a literal packet in partial body lengths of 16 octets, in a zlib compressed packet', 'm.pgp', packet(8, Buffer.concat([Buffer.from([2]), deflateSync(partialPacket(11, literal('memo.txt', Buffer.from(MEMO)), 4))])), 'classified-marking'));
  out.push(s('W3: built, armoured by hand with its CRC-24, a ZIP compressed packet', 'm.asc', armor(packet(8, Buffer.concat([Buffer.from([1]), deflateRawSync(lit)]))), 'classified-marking', ARMOURED));
  out.push(s('W3: built, an old-format compressed packet of indeterminate length (0xA3)', 'm.gpg', Buffer.concat([Buffer.from([0xa3, 0x01]), deflateRawSync(lit)]), 'classified-marking'));
  out.push(s('W3: built, a padding packet (tag 21) of random bytes after a literal is uninspectable', 'm.gpg', Buffer.concat([lit.subarray(0, 0), packet(11, literal('a.txt', Buffer.from(CLEAN))), packet(21, deflateRawSync(Buffer.from(MEMO.repeat(40))))]), 'uninspectable'));
  return out;
}

export function openPgpCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, filename: string, body: Buffer | null, type?: string): void => {
    if (body) out.push(s(name, filename, body, '', type));
  };
  add('W3 clean: gpg -s of an ordinary notice (binary)', 'notice.txt.gpg', gpg(CLEAN, 'notice.txt', ['-s']));
  add('W3 clean: gpg -a -s of an ordinary notice', 'notice.txt.asc', gpg(CLEAN, 'notice.txt', ['-a', '-s']), ARMOURED);
  add('W3 clean: gpg --clearsign of an ordinary notice', 'notice.txt.asc', gpg(`${CLEAN}- 第二条 以 - 开头的行\n`, 'notice.txt', ['--clearsign']), 'text/plain');
  add('W3 clean: gpg -s of an ordinary .docx', '制度.docx.gpg', gpg(docx(['商业秘密保护制度', '员工应遵守保密协议。']), '制度.docx', ['-s']));
  // A CBOR map of two entries starts A2, an old-format compressed packet's tag with a 4-byte length (lead, 2 Dec:
  // taken for OpenPGP whatever followed, and refused archive-broken).
  for (const [i, second] of [[0x01, 0x61], [0x02, 0x61], [0x00, 0x61], [0x03, 0x61]].entries()) {
    add(`W3 clean: a CBOR map of two entries (A2) read as no OpenPGP (${i})`, 'reading.cbor', Buffer.from([0xa2, 0x00, 0x00, 0x00, 0x09, ...second!, 0x61, 0x01, 0x61, 0x62, 0x02, 0x78, 0x79]));
  }
  add('W3 clean: a detached signature (.sig)', 'notice.txt.sig', gpg(CLEAN, 'notice.txt', ['-b']));
  add('W3 clean: an armoured detached signature', 'notice.txt.asc', gpg(CLEAN, 'notice.txt', ['-a', '-b']), 'text/plain');
  add('W3 clean: an exported public key (binary)', 'key.gpg', gpgExport([]));
  add('W3 clean: an exported public key (armoured)', 'key.asc', gpgExport(['-a']), 'text/plain');
  out.push(s('W3 clean: built, a zlib compressed literal of an ordinary notice', 'n.pgp', packet(8, Buffer.concat([Buffer.from([2]), deflateSync(packet(11, literal('n.txt', Buffer.from(CLEAN))))])), ''));
  return out;
}
