// Records past what was read before (issue 14, 1 Dec 2026): a SQLite cell
// whose text goes on over overflow pages, rows multiplied by cell pointers
// that name one cell, an .xls whose cells name one long string, made by
// test code. Each sample must be refused with the finding named; the clean
// ones beside them are ordinary files that must cross.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { ID, MARK, type Sample } from './evasion-fixtures.js';
import { iso2022cn } from './fpfix-fixtures.js';
import { residentId } from './inspect-fixtures.js';
import { npy, sqliteFile } from './office-fixtures.js';
import { xlsCellBook, type XlsCell } from './ole2-fixtures.js';

const SQLITE = 'application/x-sqlite3';
/** Ordinary prose of a notice, for filler (no marking, no number). */
const PROSE = '关于加强档案管理工作的通知。各单位：请按照有关规定做好文件的收发、登记和归档工作，商业秘密按规定管理。';

/** The bytes of a SQLite table leaf's payload kept on the page (fileformat2 §1.6), for a usable size u. */
export function sqliteLocal(p: number, u: number): number {
  const x = u - 35;
  if (p <= x) return p;
  const m = Math.floor(((u - 12) * 32) / 255) - 23;
  const k = m + ((p - m) % (u - 4));
  return k <= x ? k : m;
}

/**
 * Text of `bytes` UTF-8 bytes (prose and newlines) with `inner` placed so that its
 * byte `cut` of it falls on the text's byte `at`.
 */
function textWith(inner: string, cut: number, at: number, bytes: number): string {
  const before = at - cut;
  const fill = (n: number): string => {
    let s = '';
    while (Buffer.byteLength(s) + Buffer.byteLength(PROSE) <= n) s += PROSE;
    return s + '\n'.repeat(n - Buffer.byteLength(s));
  };
  const tail = bytes - before - Buffer.byteLength(inner);
  return `${fill(before)}${inner}${'\n'.repeat(1)}${fill(tail - 1)}`;
}

/**
 * A one-column table of one text cell of n UTF-8 bytes whose payload goes on over overflow pages
 * (page size 4096), `inner` cut at its byte `cut` by the overflow link `link` (0: between the cell
 * and its first overflow page, 1: between the first and the second), after a row of prose.
 */
export function sqliteAcrossOverflow(inner: string, cut: number, link: 0 | 1, n = 9000): Buffer {
  const u = 4096;
  // The record: its header (size, the text's serial type 2n+13 as a varint), then the text.
  const serial = 2 * n + 13;
  const head = 1 + (serial < 128 ? 1 : serial < 16384 ? 2 : 3);
  const p = head + n;
  const local = sqliteLocal(p, u);
  const at = local - head + link * (u - 4);
  if (at + Buffer.byteLength(inner) - cut > n || local >= p) throw new Error('no such overflow link in this cell');
  // A row of prose first: its cell is the page's last, so the long cell's local part ends where it starts, not where the page does.
  return sqliteFile('CREATE TABLE notes (body TEXT)', 'notes', [[PROSE], [textWith(inner, cut, at, n)]], { pageSize: u });
}

/** A table of one long cell (64 KiB pages) whose page then names it `pointers` times, or names `pointers` cells each a byte into the one before. */
export function sqliteRepeatedCell(pointers: number, overlap = false): Buffer {
  const db = sqliteFile('CREATE TABLE notes (body TEXT)', 'notes', [[PROSE.repeat(200)]], { pageSize: 65536 });
  const page = 65536; // the table's root, page 2
  const cell = db.readUInt16BE(page + 8);
  if (page + 8 + pointers * 2 > page + cell) throw new Error('too many pointers for the page');
  db.writeUInt16BE(pointers, page + 3);
  for (let i = 0; i < pointers; i++) db.writeUInt16BE(overlap ? cell + i : cell, page + 8 + i * 2);
  return db;
}

/** Databases whose marking or id number is cut by an overflow page's link, or whose rows are multiplied. */
export function sqliteRecordSamples(): Sample[] {
  const s = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: 'notes.sqlite', type: SQLITE, body, expect });
  const id = `身份证号：${ID}`;
  return [
    s('SQLite: a marking cut between a cell and its overflow page', sqliteAcrossOverflow(MARK, 3, 0), 'classified-marking'),
    s('SQLite: a marking cut between two overflow pages', sqliteAcrossOverflow(MARK, 6, 1), 'classified-marking'),
    s('SQLite: an id number cut between a cell and its overflow page', sqliteAcrossOverflow(id, Buffer.byteLength('身份证号：') + 9, 0), 'personal-data'),
    s('SQLite: 16,000 cell pointers naming one cell of 30 KB', sqliteRepeatedCell(16000), 'inspection-limit'),
    s('SQLite: 16,000 cell pointers a byte apart inside one cell', sqliteRepeatedCell(16000, true), 'inspection-limit'),
  ];
}

/** Ordinary databases: a large ledger with long notes over overflow pages, indexes, a WITHOUT ROWID table, deleted rows. */
export function sqliteRecordCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'ledger.sqlite', type: SQLITE, body, expect: 'clean' });
  const items = ['办公用品', '差旅费', '会议费', '培训费', '印刷费'];
  const rows = Array.from({ length: 30000 }, (_, i) => [i + 1, items[i % 5], 1234.5 + i * 3.25, 12 + (i % 50), 20260101 + (i % 28), i % 500 === 0 ? PROSE.repeat(40 + (i % 7)) : PROSE.slice(0, 10 + (i % 30))]);
  return [
    s('SQLite: a ledger of 30,000 rows, long notes over overflow pages, an index', sqliteFile('CREATE TABLE ledger (id INTEGER PRIMARY KEY, item TEXT, amount REAL, qty INTEGER, day INTEGER, note TEXT); CREATE INDEX by_item ON ledger (item, day)', 'ledger', rows)),
    s('SQLite: codes and counts in a WITHOUT ROWID table', sqliteFile('CREATE TABLE stats (region INTEGER PRIMARY KEY, name TEXT, population INTEGER) WITHOUT ROWID', 'stats', Array.from({ length: 3000 }, (_, i) => [110101 + i, items[i % 5], 1234567 * (i + 1)]), { pageSize: 1024 })),
  ];
}

const XLS = 'application/vnd.ms-excel';

/** A workbook of `cells` text cells (LABELSST records, 4 a row) that all name one shared string of `chars` characters. */
export function xlsRepeatedString(cells: number, chars: number): Buffer {
  const long = PROSE.repeat(Math.ceil(chars / PROSE.length)).slice(0, chars);
  return xlsCellBook(Array.from({ length: cells }, (_, i): XlsCell => ({ r: i >> 2, c: i & 3, v: long })));
}

/** Workbooks whose cells multiply one long string. */
export function xlsRecordSamples(): Sample[] {
  return [{ name: 'xls: 60,000 cells naming one shared string of 30,000 characters', filename: '报表.xls', type: XLS, body: xlsRepeatedString(60000, 30000), expect: 'inspection-limit' }];
}

/** An ordinary large workbook: 20,000 rows of names, departments, a remark repeated down its column, amounts. */
export function xlsRecordCleanSamples(): Sample[] {
  const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  const given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];
  const depts = ['办公室', '财务处', '人事处', '档案室', '信息中心'];
  const remarks = ['按规定办理。', '已核对，无误。', PROSE, `${PROSE}${PROSE}`, '待复核。'];
  const cells: XlsCell[] = [{ r: 0, c: 0, v: '姓名' }, { r: 0, c: 1, v: '部门' }, { r: 0, c: 2, v: '备注' }, { r: 0, c: 3, v: '金额' }];
  for (let i = 1; i <= 20000; i++) {
    cells.push({ r: i, c: 0, v: surnames[i % 10]! + given[(i * 7) % 10]! + given[(i * 3) % 10]! }, { r: i, c: 1, v: depts[i % 5]! }, { r: i, c: 2, v: remarks[i % 5]! }, { r: i, c: 3, v: 1234.5 + i * 0.25 });
  }
  return [{ name: 'xls: 20,000 rows, a remark repeated down its column', filename: '台账.xls', type: XLS, body: xlsCellBook(cells), expect: 'clean' }];
}

/** Every sample above, end to end through a gateway (gateway-evasions.test.ts). */
export function recordSamples(): Sample[] {
  return [...sqliteRecordSamples(), ...xlsRecordSamples(), ...xzSamples(), ...cnsSamples(), ...idIntegerSamples()];
}

/** The ordinary files beside them, end to end. */
export function recordCleanSamples(): Sample[] {
  return [...sqliteRecordCleanSamples(), ...xlsRecordCleanSamples(), ...xzCleanSamples(), ...cnsCleanSamples(), ...idIntegerCleanSamples()];
}

/**
 * What xz's BCJ filters are for: a memo, then 4 KiB shaped like x86 code (calls, E8 and a rel32 of
 * small values, which `--x86` converts) and like ARM64 code (BL words), then more of the memo.
 */
export function xzInput(marked: boolean): Buffer {
  const code = Buffer.alloc(4096);
  for (let i = 0; i + 16 <= code.length; i += 16) {
    code.set([0x55, 0x48, 0x89, 0xe5, 0xe8], i);
    code.writeInt32LE(0x100 + i * 3 - 2048, i + 5);
    code.writeUInt32LE((0x94000000 | (i * 7)) >>> 0, i + 12); // BL
  }
  const memo = `关于召开档案工作会议的通知\n${marked ? `${MARK}\n` : ''}${PROSE.repeat(4)}\n`;
  return Buffer.concat([Buffer.from(memo), code, Buffer.from(PROSE.repeat(3))]);
}

/** xzInput(true) and xzInput(false) as XZ Utils 5.4.1 wrote them (the options in each comment), so that no test needs the tool. */
export const XZ_MADE = {
  x86Sha256Marked: '/Td6WFoAAArh+wyhAgEEACEBFgANhjUf4BRmA11dAHKhUm5F/+IRrXI3ZVQ0FKdAAQiKphcVpLyj22sYC6qN6pTZotf5+4DcVjGVkqRQroYfMz+bwhdu3EaF+iFLDt9NCcRxXLSNGfcM9XytZl5kfBE/wxAFgK/KwKJTVy3M9Lcmxs18znGNCL85i7fYvIZwqx/IINmd5Rl3kAqBNWjlR5fGQRp5cMQvRE+gU2eczBK0qEM3rtt1lKnEbTPfL0acbQcYFUwnpBhTEQPPHVOqs5E9FUDTQ33TIkOVYaekQORBqsEwbTegcznTEuRZZN2EVhomZ3C2/JAP/sfbrKp63pbB/U84pyykjn/s+nvBn+G3CQYotegrxAUTdnW55SKttofswL1SszVdS/a818lwE1TGqtQZ1iMXodUWF4Np7JScCAPLUnHusw3nK7JG+mynVsOViZRbbr6TRQ2l+zzZgh9Dz7prvIqGNoocxrnEjlvGBOSsWzlv5o6tOyrA/zBF1tWXvNFZd6M2TbvVTOUpAW3wXODUidbXdLlpCAHNhiE+vUWYoPUx/fTU0tTaOJu9kUnGMyWIoakLhKO1zKov0TmKGqd3SXxtWya2k6EPenJgz4w9rjpviSaGTOIwBsR30jY7MymQwOHKDg4YPwfRtJK90yDJebdcEyp28zbA4Fvn9sxhOPvtFU1owMYP0Uu0TNtGMKamZp2ubTU9dJ3etZBvrX4akkA67tXHcDcGidzBkXI3mI1ZVJaoymdpB6rvS/N8GQDM1O1bAFUTYD/by2f7r7UHUXTu16SBlD38doUBUrQYjA3TU/dUflP3aRzScCH869uSAXU7fVUwIChn7REYyKGD6ZfLea5v2HSZOX/aCXcBO83LXCmJdjtQY2hXKBnyhM63PJbIe82yv+7iAOgdnsZmOtWn5iKFTZCxDt8Vj9BX4izw/yYqdLKIbwsCFRSuZHw8ySrxcdlwPYX0Y3cQZAotIBqgNmQ2ZmAo5b/iKDm/QZqmyrcl4qxDRj0juXnHK7vqKTvQ/3cm0qx9QaOZKJxr1J5fMMCKfUYpUurkBP3shYo2VvxKkUmpxX3I3Pr3KfszOO7N6XZArQynt629Z9dBGSdOgnwQO/LPxUtenVPeVmNP/7QFLvLVF6303YhbSRRI5SCXmClNBY83tuT2MEfUuma4wr0AAAAAAAAiS7jHVzlXIyrt8+grJYkAA9gBaKUlcz1XACLd7ni1FAABkQfnKAAA8qO52rbp3xwCAAAAAApZWg==', // xz --x86 --lzma2 --check=sha256 (952 bytes)
  x86Sha256Clean: '/Td6WFoAAArh+wyhAgEEACEBFgANhjUf4BRXA1pdAHKhUm5F/+IRrXI3ZVQ0FKdAAQiKphcVpLyj22sYC6qN6pTZotf5+4DcVkR7Iz1hx98QbxpRZMuFg06qiLDT8r3ixCGyLGYQXhnsX7k3j6yQpM6t6wpIARDFack7Dr/sNN8d7WP9IeoDrDPwQnEMmcXmcCc/c9y9dL2pLUlPkRWpwPU6ain7QX00rVAODRJe+4vCEDHEiRiznr6sn+LYKKmw0EuhiSg00muxwj7Rm9NTOCmlnaKIn75FWMKqEqOqFEWIWg508uMTe1BUT5ttqPImGiLy5hDLCU6v3ahHeHaQW7dnJUwiwinnq8AYExuTCNAA0JrSzwGqYubeJczytWVv0BU84b61bPAgRREzEczHYSRrA1KEfjhkYdUKc1JN2tuFCTw5hKcfMb8wL/RhypY1RvyCl+/n4R/yup2IlgV2UfH8h+tOfSCPq+7KC5P5YjO3OdUOEHQBHMt1na3VPaSd/AKmGek938+ZddS17rHzqyObblXotPMVeBlUykqNPhnc3OXlmrGGrEVJlIbeoxWqcx8hPR23r9LCFvj0dQeO4ws1biA7qr+GcHM0SvrJWRhAtHfCa7ItahyyruZoeXDrRwuE+gVhayN0Xrkoo3WSZ3ESRSRVPKO3cpwRNdGI7+9yhJOZqviT7opovGDgoq5z57DI822imnDBl+puNBKaXkEJ7bkLJWY7bm9/OJfKjcq5MBX6zlSSwa0usdsfzmV1QWG5I0j7O3VQq1+yG2h8oHaN5MVNlAYKmLm7NftdV52W6/JiQEQbFjUPLl6jDARUZx6q/P7DFp5cq5NUo6TmQkJTo3tPzvDXTu+l3cSCKWF+1pcdQWj3/UUVtcLY+CqlCdo/Bcg5WsLrtjAomEXmmNmg0KGNuWIU74I+oLxW1rlLWuc4u8IjU/xbjmVFRQs70MVDljTJlPIHzE/Hqa+bbRnJB0EiYMbPmjweGJtgekA0dHxZAJe+Mv6YQfqIbzKRkRBW/NBLZcuuiXdkmpjcUQZG8yRKipGloP3OubLaDjnZKR75StejXcC6TWoXarT4an4kS+AhTov92Id2jg2HgNS5e1WmA8T7lVKN5p7tLNkErOykxOkn6i+bfL8bR7cZcgUdnNIu5OfTc6bRInNYfZp8nDGhWlygAAAAAFhv0O15Zl5ryV6Clh9p8qxCusqIykLLnOdgmgomcJarAAGOB9goAABL+3GAtunfHAIAAAAAClla', // xz --x86 --lzma2 --check=sha256 (948 bytes)
  arm64Marked: '/Td6WFoAAATm1rRGAgEKACEBFgB95z8l4BRmA/BdAHKhUm5F/+IRrXI3ZVQ0FKdAAQiKphcVpLyj22sYC6qN6pTZotf5+4DcVjGVkqRQroYfMz+bwhdu3EaF+iFLDt9NCcRxXLSNGfcM9XytZl5kfBE/wxAFgK/KwKJTVy3M9Lcmxs18znGNCL85i7fYvIZwqx/IINmd5Rl3kAqBNWjlR5fGQRp5cMQvRE+gU2eczBL6lKN4xpjkC452rKn6Qv3QM6KVDCx59xNTm2LNJjrXJipYD/sD4EwdrILOJq8F3Lv71Txw7eYq3wHsI1wBCQUOwOzQ+XAR/23t+mCVZBvNscZED9jt/nD7ZKDnFojE72NG1j6l5GMpxyNolwxKJZrKr+TzgvkXNPXbM/9gJv8XdSh1+TlSA/WpIxamJ4UCet/wN/TMIrjuHBN8GsviyV7ROLRVMEnWt4xuJRu9zomkSUF822fv0YAyh6NbD8hyIUK2taag8nFZk8yxaYRlBHRVDV2rnWyZLoxpLNKIdb/IV7u8ttT2djonWlxMHkIh8WUQWDiyI51XyNqu/+hvey4yu3TaosN/uH8PaXd9ml4VPantma5sz6M0vWimR2cKFDbR5RODJqAObPE9ls5LVJx/fnxVDBht9MT/gPE6bzyES2/v9WoQ8ihBs7aAqMa86ZcJqBBMxZgnki3LPN0bANGVbxlibRqsF922yocWanX8HdNLFYFvlxcKB4SnK73TCKOw2dNikVFO5P5O+6eAMr8d5B5z14E1LihyKnpdFuDyBMCjzxina9UHUY5To874x6ewnCZW/aSMNcwZsLg/p8WKA7kKqFWHdtwxXLPA6RL8xGeu/CteIK6Xcv775nwuFve5sa1PKlRmJyexJnNHkYYKIO5C2wFDRXwuDyew7eyKFz4+iZ1+pPX6wJpZOIKi02MvHSpuiOOODPkzleR03K+wyIcATXWJsi1QFuzc2I9ffiTTP7oKvw5TvWyNDofD3fv3wLHKn1WY2Xm4/dF7pxZ6qJ1xIO0ONf3IrxohhmVhG8Wb5Lyq1DvIOL5CqVAxZ2jWehH8vxH1c4csAHUwdj+TLKt51EnoWGza8UFUV1lnNb1z8/ylwBA+aPACOyxQS+kpKJxOxUaNhKJWAhbhOngrsaY/EeT4M+GUDChaOWZSPUHKpU1jVLEz9aif381I01AHWUzgTdOF8dVJ1RQnzuf8ucNM9bBHiloUfZxJCdvq9ingyaco9oPbx7r+6BWG5Wxq4q4Arowuawzjxw8I3CIRpbkSwBV6juvfBHsw4SWxErm63luXUqem3Xy3fWOiwXDdhxL3P12XTOYnTxFvUeG2VUYcA8D9Lo6bYwJQsGxm26QRnaTvJpvmpLTIO+o6egAYrpBAAWuUqAABjAjnKAAAZiWh57HEZ/sCAAAAAARZWg==', // xz --arm64 --lzma2 (1072 bytes)
  arm64Clean: '/Td6WFoAAATm1rRGAgEKACEBFgB95z8l4BRXAwJdAHKhUm5F/+IRrXI3ZVQ0FKdAAQiKphcVpLyj22sYC6qN6pTZotf5+4DcVkR7Iz1hx98QbxpRZMuFg06qiLDT8r4Yde5Vg5AGj1sQWvxKRyziKiysMifMlGYWzc53OfoM39Rp9nTjfb3nhD+yj/+v0511Ls2frmPBqb62RZZ8pvwSp1p9tS3Ub2sEWIQtwzA6b72rxPtG6k0SlM0KG5Fk34mHkD+lLtEn3BryeOyDpfztGnw+D+TxWjkAyBJ81wgcbGFZurvrUWVBcKEiwHlZyfVLDHWih9H8VsaV13Z7cJCYQuvEysBj6BFzjQ4imfgFqsflk8+BbkrSxgOU/wncAvsKR/0NzLgL5Ym5o3HD3QKP/GyikSbTFqqX/FrBAlhZbcQhO1Y38Cji8LDrvtBalp97nsrY63SAw+ffI5dmL8Nw8xHYw9NVYckll/02/ktwybvo4LHKQXUfPId7itsjh84jiIr7znHheCVVZqRuvUzYPlxHFKx5d92FHjHDkZAfSCaUcAWyIzVQBAT5LDCwPNyV6rFPolQ6F46Vfp7NwNUQON/dahRh1La3CgHb/Mk8ghzNi4Mg9cdcljDnTXx8JbUQTJWowcgKUslDiHbGSXurFtoLGfSWo5noD+qy3EHxYos/5pM0YiJ4ZDocXOsRbt85/bDJKdc1xy5JWCi9zNvDu5ENxB2nf/PrDe+9grQGIrJ9YHfd/p9HjaAvVVd5f+m5E0W8bb6G8zkfegRZMkZeGbD7qrE9p95dNpYhsKWIYyIw/XeNnSeFN86J7r/gTC2v8+XZd4xqEEpeQFsJDzyHlc5MW1TW9w7UO9VnDFGkw3YHYP40gtSCgmQcdqhjNM5Jv2fMfmxbO+pgmk/djoxNIxOwooMcoccOK7ntujA16lugzgZOTBo+rO7X7OyhGKlQJ5IHWgW/L03DhtooG9SqZth6zJPxNolbBZw7cmeKQpnCUiIS1wpSJBt/OMxKnAAqmAjfbXyBiWXWQB/BKPuvEfwWywcPOH5lgwRh61w9rEoAAAAAXzaUvLX6uVQAAZ4G2CgAAGDQx76xxGf7AgAAAAAEWVo=', // xz --arm64 --lzma2 (836 bytes)
  sha256Marked: '/Td6WFoAAArh+wyhAgAhARwAAAAQz1jM4BRmAvhdAHKhUm5F/+IRrXI3ZVQ0FKdAAQiKphcVpLyj22sYC6qN6pTZotf5+4DcVjGVkqRQroYfMz+bwhdu3EaF+iFLDt9NCcRxXLSNGfcM9XytZl5kfBE/wxAFgK/KwKJTVy3M9Lcmxs18znGNCL85i7fYvIZwqx/IINmd5Rl3kAqBNWjlR5fGQRp5cMQvRE+gU2eczBK0qEM3rtt1lKnEbTPfL0acbQcYFUwnpBhTEQPPHVOqW3aUEirxD7/Hj8sBxlAVidbqvcHUXanmLqGZTzOFBhyTKh8wno/uaQSZghAK768sQ6eoGDoQFq1/7EZLbRDEbQgrhBYMhhfkelm/g8fWXhS6N76MH3RBS/uvOY4QXLU5wr81p9QFYhaQ7NtH2LlwkdXEb3jzqeP/rponZYJpNEkIfc0Q8vwtONzGDNIHg6CdC+fG0KDb3q0ctW29eZGuN+T0Hf2zeybAxKFn6BoJTxq2h9qVpaUgI61zvXvc8DDTzFll05NieayXacEYmC/6p8mldNbADVahz4HJw461ldCzUqe0pSgPSJVNcVXHulGpFQ+pVwVVADoUc2lfdArlbohEkm4r3TQ/6kaklOayx7+zEAWGy+LgBQ3jQCI/W/PQw5cWRLfxVjG6ora5wFylCjkALTdkpECWgmHDF9qnJJcEGuW+SkdLRUGETd850KVZLYUjSgqtlPXl9S/PdiQSJ1UDafMkpyOjIdrfvnv8pPVMGJ7RMYeV7w4dMb6FV0VlFO4szATZBFgtNzj6+VnIcBsqTHhqmciJ05DV4e9+GisDtxlk3oWIC3NijXsHuXmOltfohDbMGqyMJt1P1nCMKUSVE4Kc8Yr7OPhLbiy9E5MDFS9NEy7/e9DjXFVwGOxDGTMEaQU+/hqCMHNqrfrcR9lleZtHvxR4FBAakP0KCWAdVOVVd73ftW3VSuWLV4cSxM17LUMfKMPlI7qymvIYb0OxVuKBmD3sjQtomkkUoU6UJwSlgrGIekckqevzMjsJT1od3kBkEgAAIku4x1c5VyMq7fPoKyWJAAPYAWilJXM9VwAi3e54tRQAAawG5ygAADGePV+26d8cAgAAAAAKWVo=', // xz -9e --check=sha256 (848 bytes)
  sha256Clean: '/Td6WFoAAArh+wyhAgAhARwAAAAQz1jM4BRXAupdAHKhUm5F/+IRrXI3ZVQ0FKdAAQiKphcVpLyj22sYC6qN6pTZotf5+4DcVkR7Iz1hx98QbxpRZMuFg06qiLDT8r3ixCGyLGYQXhnsX7k3j6yQpM6t6wpIARDFack7Dr/sNN8d7WP9IeoDrDPwQnEMmcXmcCc/c9y9dL2pLUlPkRWpwPU6ain7QX00rVAODRJe+4vCEDHEiRiznr6sn+LYKKmw0DY4HyiTflJCEVHT/YU7/FzqERW+4xCx0LTxjkdp7hF9MXUU0e6CiL7keV6SLrg42BAt1a2NjSefFCJHX+A88JbYBZx+wDZXtxJfNdTo+oqYj4pJ3X+RDPrE6VrrhdSLzu3cFLAjXpeSW28JuJBOjpxrpHja76h67O0JxQn4RF7Zds+YVQXdwPD9LFC4Tg2lyDyzE156yfAqUZT10mOSH58Ls3frm9QI70E5oaNJ6RzzcntRYcdYj3KgwM0JpJx/59DVv4EGa4HYivWsVoDNu1MIXi9n/tWCCn0ky9NvBK0vyXWE4T/tG7ZhrmAjKnTFFxeAPPHSyZnZ/+Z7pe9qfd6gsF5r8QFcIPtGsedaSupwgNOZc872RUfO3v7DJeSHvHu7V0dJH0HxIIiXC3CmySPP1qY1DoqF6Ar0aOxFm3dz070HQNQNqkcai0N548gLEdFRWeF0C+s/ABuu/GGvtz1IUakbsgbbLIuRaZoE2rFH95E5Bg1AZ0VLLboQFNgv0rPVigFvg2uDSBwtYaksm0jQaOkyL/Q/anaszSTx5EOn3fuS/SLEkNxjV4w36LeLegNkOJLw5W5pOeFZWgmdVcnQLBV0EAgM9YWnSBO1Rq3qmuctSfClPaF/1phvVTglAyhvkxEmMdqCdDOv3/kd/9clXO++oO/jKeV7wjAweHwAeDviRNvgBNO2EFpXjkEGsGUhcP+M8VjY68T78n3Nivrhq2VCJtdn6EKHJ2cr4dp/voaMcBKggCvNI3Z2ips7IOGO5Nia06JAAAAAWG/Q7XlmXmvJXoKWH2nyrEK6yojKQsuc52CaCiZwlqsAAZ4G2CgAAGDQx7626d8cAgAAAAAKWVo=', // xz -9e --check=sha256 (836 bytes)
};

/** A varint of the xz format. */
function xzVarint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

const le32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/**
 * An xz stream written here (xz-file-format 1.2.1), its data in LZMA2 chunks that store it
 * (no compression: control 1, then 2), in blocks of `blockSize` bytes, under a check of type
 * 0, 1 (CRC32) or 10 (SHA-256), with filters before LZMA2 given as [id, properties] and
 * `encode` their encoder, run on each block. `badCheck` spoils each block's check.
 */
export function xzStored(data: Buffer, opts: { check?: 0 | 1 | 10; filters?: Array<[number, Buffer]>; encode?: (b: Buffer) => Buffer; blockSize?: number; badCheck?: boolean } = {}): Buffer {
  const check = opts.check ?? 1;
  const flags = Buffer.from([0, check]);
  const parts: Buffer[] = [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]), flags, le32(zlib.crc32(flags))];
  const records: number[][] = [];
  const size = opts.blockSize ?? (data.length || 1);
  for (let at = 0; at < data.length; at += size) {
    const block = data.subarray(at, at + size);
    const filters = [...(opts.filters ?? []), [0x21, Buffer.from([0x16])] as [number, Buffer]];
    const h = [0, filters.length - 1, ...filters.flatMap(([id, p]) => [...xzVarint(id), ...xzVarint(p.length), ...p])];
    while ((h.length + 4) % 4) h.push(0);
    h[0] = (h.length + 4) / 4 - 1;
    const header = Buffer.from(h);
    const chunks: Buffer[] = [];
    const stored = opts.encode ? opts.encode(block) : block;
    for (let i = 0; i < stored.length; i += 65536) {
      const c = stored.subarray(i, i + 65536);
      chunks.push(Buffer.from([i === 0 ? 1 : 2, (c.length - 1) >> 8, (c.length - 1) & 0xff]), c);
    }
    chunks.push(Buffer.from([0]));
    const lz = Buffer.concat(chunks);
    let sum = check === 10 ? createHash('sha256').update(block).digest() : check === 1 ? le32(zlib.crc32(block)) : Buffer.alloc(0);
    if (opts.badCheck && sum.length) sum = Buffer.from(sum.map((x) => x ^ 0x5a));
    parts.push(header, le32(zlib.crc32(header)), lz, Buffer.alloc((4 - (lz.length % 4)) % 4), sum);
    records.push([...xzVarint(header.length + 4 + lz.length + sum.length), ...xzVarint(block.length)]);
  }
  const ix = [0, ...xzVarint(records.length), ...records.flat()];
  while (ix.length % 4) ix.push(0);
  const index = Buffer.from(ix);
  const tail = Buffer.concat([le32((index.length + 4) / 4 - 1), flags]);
  parts.push(index, le32(zlib.crc32(index)), le32(zlib.crc32(tail)), tail, Buffer.from('YZ'));
  return Buffer.concat(parts);
}

/** The delta filter's encoder (distance d): each byte less the one d before it. */
export function deltaEncode(b: Buffer, d: number): Buffer {
  const out = Buffer.alloc(b.length);
  for (let i = 0; i < b.length; i++) out[i] = (b[i]! - (i >= d ? b[i - d]! : 0)) & 0xff;
  return out;
}

const XZ = 'application/x-xz';
const b64 = (x: string): Buffer => Buffer.from(x, 'base64');

/** xz files with a SHA-256 check, BCJ or delta filters, more than one block or stream: read, and their marking found. */
export function xzSamples(): Sample[] {
  const s = (name: string, body: Buffer, expect = 'classified-marking'): Sample => ({ name, filename: '会议通知.txt.xz', type: XZ, body, expect });
  const memo = xzInput(true);
  return [
    s('xz --x86 --lzma2 --check=sha256', b64(XZ_MADE.x86Sha256Marked)),
    s('xz --arm64 --lzma2', b64(XZ_MADE.arm64Marked)),
    s('xz -9e --check=sha256', b64(XZ_MADE.sha256Marked)),
    s('xz (written here): SHA-256, blocks of 40 bytes, the marking across two', xzStored(memo, { check: 10, blockSize: 40 })),
    s('xz (written here): delta distance 3, CRC32', xzStored(memo, { filters: [[0x03, Buffer.from([2])]], encode: (b) => deltaEncode(b, 3) })),
    s('xz (written here): two streams, the second with the marking, padding between', Buffer.concat([xzStored(xzInput(false), { check: 10 }), Buffer.alloc(8), xzStored(memo, { check: 0 })])),
    s('xz (written here): a filter no decoder here reads (IA-64)', xzStored(memo, { filters: [[0x06, Buffer.alloc(0)]] }), 'archive-limit'),
    s('xz (written here): SHA-256 that does not match the data', xzStored(xzInput(false), { check: 10, badCheck: true }), 'archive-broken'),
  ];
}

/** Ordinary xz files: the same, with no marking. */
export function xzCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'tool.bin.xz', type: XZ, body, expect: 'clean' });
  const memo = xzInput(false);
  return [
    s('xz --x86 --lzma2 --check=sha256, no marking', b64(XZ_MADE.x86Sha256Clean)),
    s('xz --arm64 --lzma2, no marking', b64(XZ_MADE.arm64Clean)),
    s('xz -9e --check=sha256, no marking', b64(XZ_MADE.sha256Clean)),
    s('xz (written here): a file of no block, as xz < /dev/null writes it', xzStored(Buffer.alloc(0))),
    s('xz (written here): SHA-256 in blocks, delta, no marking', xzStored(memo, { check: 10, blockSize: 1000, filters: [[0x03, Buffer.from([1])]], encode: (b) => deltaEncode(b, 2) })),
  ];
}

/** Two-byte codes of 7 bits each, as a plane of CNS 11643 holds them (rows 0x21–0x7D): what follows a shift to such a plane. */
const CNS_CODES = [0x44, 0x21, 0x4b, 0x50, 0x58, 0x65, 0x4e, 0x6f, 0x21, 0x4f];
const ascii = (x: string): number[] => [...Buffer.from(x, 'latin1')];
const MAIL_HEAD = 'Subject: notice\nContent-Type: text/plain; charset=ISO-2022-CN-EXT\n\n';

/** ISO-2022-CN text that shifts to a CNS 11643 plane: refused as uninspectable (no table of CNS 11643 is at hand). */
export function cnsSamples(): Sample[] {
  const s = (name: string, bytes: number[]): Sample => ({ name, filename: 'mail.txt', type: 'text/plain', body: Buffer.from([...ascii(MAIL_HEAD), ...bytes]), expect: 'uninspectable' });
  const ss = (esc: number, codes: number[]): number[] => codes.flatMap((c, i) => (i % 2 ? [c] : [0x1b, esc, c]));
  return [
    s('ISO-2022-CN: a line in CNS 11643 plane 1 (ESC $ ) G, SO)', [...ascii('Minutes: '), 0x1b, 0x24, 0x29, 0x47, 0x0e, ...CNS_CODES, 0x0f, ...ascii(' 10\n')]),
    s('ISO-2022-CN: CNS 11643 plane 2 by single shifts (ESC $ * H, ESC N)', [0x1b, 0x24, 0x2a, 0x48, ...ss(0x4e, CNS_CODES), 0x0a]),
    s('ISO-2022-CN-EXT: CNS 11643 plane 3 (ESC $ + I, ESC O)', [0x1b, 0x24, 0x2b, 0x49, ...ss(0x4f, CNS_CODES), 0x0a]),
    s('ISO-2022-CN: GB2312 on one line, CNS 11643 plane 1 on the next', [...iso2022cn('会议纪要：内容略'), 0x1b, 0x24, 0x29, 0x47, 0x0e, ...CNS_CODES, 0x0f, 0x0a]),
  ];
}

/** ISO-2022 text of other designations, and prose that names the escapes: clean. */
export function cnsCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'mail.txt', type: 'text/plain', body, expect: 'clean' });
  const seven = (text: string, enc: string): number[] => [...iconv.encode(text, enc)].map((b) => b & 0x7f);
  return [
    s('ISO-2022-CN mail in GB2312 (ESC $ ) A)', Buffer.concat([Buffer.from(MAIL_HEAD), iso2022cn('会议纪要：注意保守商业秘密。\n第2季度工作安排')])),
    s('ISO-2022-JP mail (ESC $ B … ESC ( B)', Buffer.from([...ascii('Subject: test\n\n'), 0x1b, 0x24, 0x42, ...seven('会議の議事録です', 'euc-jp'), 0x1b, 0x28, 0x42, 0x0a])),
    s('ISO-2022-KR mail (ESC $ ) C, SO, SI)', Buffer.from([0x1b, 0x24, 0x29, 0x43, ...ascii('Subject: test\n\n'), 0x0e, ...seven('회의록입니다', 'euc-kr'), 0x0f, 0x0a])),
    s('a note on ISO-2022-CN that names its escapes', Buffer.from('ISO-2022-CN designates CNS 11643 plane 1 with ESC $ ) G and shifts in with SO (0x0E); plane 2 is ESC $ * H, reached by SS2 (ESC N).\n')),
  ];
}

/** A record's fields: text, or integers written as 64-bit ones. */
type Fields = Array<[string, string | bigint]>;
const str8 = (x: string, head: number): Buffer => Buffer.concat([Buffer.from([head | Buffer.byteLength(x)]), Buffer.from(x)]);
const be64n = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
};
/** msgpack maps, integers as uint 64 (CF). */
function msgpackRecords(rows: Fields[]): Buffer {
  return Buffer.concat([Buffer.from([0x90 | rows.length]), ...rows.map((r) => Buffer.concat([Buffer.from([0x80 | r.length]), ...r.flatMap(([k, v]) => [str8(k, 0xa0), typeof v === 'string' ? str8(v, 0xa0) : Buffer.concat([Buffer.from([0xcf]), be64n(v)])])]))]);
}
/** CBOR maps, integers as 1B. */
function cborRecords(rows: Fields[]): Buffer {
  return Buffer.concat([Buffer.from([0x80 | rows.length]), ...rows.map((r) => Buffer.concat([Buffer.from([0xa0 | r.length]), ...r.flatMap(([k, v]) => [str8(k, 0x60), typeof v === 'string' ? str8(v, 0x60) : Buffer.concat([Buffer.from([0x1b]), be64n(v)])])]))]);
}
/** BSON documents, integers as int64 (12). */
function bsonRecords(rows: Fields[]): Buffer {
  return Buffer.concat(rows.map((r) => {
    const body = Buffer.concat(r.map(([k, v]) => {
      if (typeof v === 'string') {
        const x = Buffer.from(`${v}\0`);
        const n = Buffer.alloc(4);
        n.writeInt32LE(x.length);
        return Buffer.concat([Buffer.from([0x02]), Buffer.from(`${k}\0`), n, x]);
      }
      const n = Buffer.alloc(8);
      n.writeBigInt64LE(v);
      return Buffer.concat([Buffer.from([0x12]), Buffer.from(`${k}\0`), n]);
    }));
    const len = Buffer.alloc(4);
    len.writeInt32LE(body.length + 5);
    return Buffer.concat([len, body, Buffer.from([0])]);
  }));
}
/** A protocol-4 pickle of a list of dicts, integers as LONG1 (as pickle.dumps writes ints past 32 bits). */
function pickleRecords(rows: Fields[]): Buffer {
  const out: Buffer[] = [Buffer.from([0x80, 4, 0x5d, 0x94, 0x28])];
  const text = (x: string) => {
    const b = Buffer.from(x);
    return Buffer.concat([Buffer.from([0x8c, b.length]), b, Buffer.from([0x94])]);
  };
  for (const r of rows) {
    out.push(Buffer.from([0x7d, 0x94, 0x28]));
    for (const [k, v] of r) {
      out.push(text(k));
      if (typeof v === 'string') out.push(text(v));
      else {
        const bytes: number[] = [];
        for (let x = v; x > 0n || bytes.length === 0 || bytes[bytes.length - 1]! & 0x80; x >>= 8n) bytes.push(Number(x & 0xffn));
        out.push(Buffer.from([0x8a, bytes.length, ...bytes]));
      }
    }
    out.push(Buffer.from([0x75]));
  }
  out.push(Buffer.from([0x65, 0x2e]));
  return Buffer.concat(out);
}
/** Resident ids whose check is a digit (an id ending in X is no integer). */
function numericIds(): string[] {
  const out: string[] = [];
  for (let seq = 1; out.length < 3; seq++) {
    const id = residentId(['110105', '440305', '320102'][out.length]!, ['19491231', '19900307', '19751120'][out.length]!, String(seq).padStart(3, '0'));
    if (!id.endsWith('X')) out.push(id);
  }
  return out;
}

/** Records whose resident id numbers are 64-bit integers: 18 digits; 15 (first generation) under a key naming an id. */
export function idIntegerSamples(): Sample[] {
  const s = (name: string, filename: string, body: Buffer): Sample => ({ name, filename, type: 'application/octet-stream', body, expect: 'personal-data' });
  const ids = numericIds();
  const rows: Fields[] = ids.map((id, i) => [['name', ['张三', '李四', '王五'][i]!], ['dept', '办公室'], ['idcard', BigInt(id)]]);
  const old: Fields[] = ids.map((id, i) => [['name', ['张三', '李四', '王五'][i]!], ['idcard', BigInt(id.slice(0, 6) + id.slice(8, 17))]]);
  return [
    s('msgpack records, id numbers as uint 64', 'people.msgpack', msgpackRecords(rows)),
    s('CBOR records, id numbers as uint 64', 'people.cbor', cborRecords(rows)),
    s('BSON documents, id numbers as int64', 'people.bson', bsonRecords(rows)),
    s('a Python pickle, id numbers as LONG1 of 8 bytes', 'people.pkl', pickleRecords(rows)),
    s('a NumPy .npy of id numbers', 'ids.npy', npy(ids.map(BigInt))),
    s('BSON documents, 15-digit first-generation ids under idcard', 'old.bson', bsonRecords(old)),
    s('msgpack records, 15-digit first-generation ids under idcard', 'old.msgpack', msgpackRecords(old)),
    s('CBOR records, 15-digit first-generation ids under idcard', 'old.cbor', cborRecords(old)),
    { ...s('SQLite: id numbers in an INTEGER column (8 bytes a cell)', 'people.sqlite', sqliteFile('CREATE TABLE people (name TEXT, idcard INTEGER)', 'people', ids.map((id, i) => [['张三', '李四', '王五'][i], BigInt(id)]))), type: SQLITE },
  ];
}

/** Ordinary records of large integers: nanosecond and microsecond timestamps, hashes, random 64-bit ids, 15-digit serials, 18-digit serials (no province). */
export function idIntegerCleanSamples(): Sample[] {
  const s = (name: string, filename: string, body: Buffer): Sample => ({ name, filename, type: 'application/octet-stream', body, expect: 'clean' });
  let x = 0x9e3779b97f4a7c15n;
  const rand = (): bigint => {
    // xorshift64*, a fixed seed: the same values each run.
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffffffffffffffffn;
    x ^= x >> 27n;
    return ((x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 1n;
  };
  const rows: Fields[] = Array.from({ length: 400 }, (_, i) => [['ts_ns', 1764547200000000000n + BigInt(i) * 61_000_000_123n], ['ts_us', 1764547200000000n + BigInt(i) * 61_000_001n], ['hash', rand()], ['trace', rand() % 1_000_000_000_000_000_000n], ['order_no', BigInt('110105491231' + String(i).padStart(3, '0'))], ['serial', BigInt('202612011530' + String(i).padStart(6, '0'))]]);
  return [
    s('msgpack log records: ns and µs timestamps, hashes, trace ids, 15-digit order numbers', 'log.msgpack', Buffer.concat(Array.from({ length: 25 }, (_, k) => msgpackRecords(rows.slice(k * 16, k * 16 + 15))))),
    s('CBOR log records of the same', 'log.cbor', Buffer.concat(Array.from({ length: 25 }, (_, k) => cborRecords(rows.slice(k * 16, k * 16 + 15))))),
    s('BSON documents of the same', 'log.bson', bsonRecords(rows)),
    s('a pickle of the same', 'log.pkl', Buffer.concat(Array.from({ length: 25 }, (_, k) => pickleRecords(rows.slice(k * 16, k * 16 + 15))))),
    s('a NumPy .npy of ns and µs timestamps and 18-digit serials', 'series.npy', npy(rows.flatMap((r) => [r[0]![1] as bigint, r[1]![1] as bigint, r[5]![1] as bigint]))),
  ];
}
