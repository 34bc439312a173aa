// Microsoft Access databases (.mdb: Jet 3 and Jet 4; .accdb: ACE), by the
// signature of their first page: bytes 00 01 00 00, then `Standard Jet DB`
// or `Standard ACE DB` and a zero (the database header page, as mdbtools'
// notes on the Jet format give it). No reader here walks their tables (seventh red team of
// 1 Dec, R28): a column typed Number holds IEEE doubles (a phone column:
// 13812345678 as 8 bytes), Currency scaled 64-bit integers, Decimal 16 bytes,
// a Jet 4 text column may be "compressed" Unicode, pages may be encoded
// (RC4) and memo values lie on pages of their own. Its raw bytes are read as
// any binary is, and the database is `uninspectable` under the default
// policy: an operator who must let it through allows application/x-msaccess.

const MAGIC = Buffer.from('\x00\x01\x00\x00', 'latin1');
const JET = Buffer.from('Standard Jet DB\x00', 'latin1');
const ACE = Buffer.from('Standard ACE DB\x00', 'latin1');

export const ACCESS_MIME = 'application/x-msaccess';

/** Does the content start as an Access database? */
export function isAccessDatabase(head: Buffer): boolean {
  if (head.length < 20 || !head.subarray(0, 4).equals(MAGIC)) return false;
  const name = head.subarray(4, 20);
  return name.equals(JET) || name.equals(ACE);
}

export const ACCESS_DETAIL = 'an Access database (.mdb/.accdb): its tables are not walked (numbers such as a phone column are stored as binary doubles, text may be compressed or encoded), so its content cannot be read in full';
