// The red team of 1 Dec 2026 (b), issue 14: decoded views that were missing
// or cut short. Each sample must be refused with the finding named; each clean
// sample beside it is the ordinary file it looks like and must give no finding.
import { MARK, ID, type Sample } from './evasion-fixtures.js';

export interface ViewSample extends Sample {
  /** The red team's finding (N1, N23 …). */
  cls: string;
}

const MOBILE = '13812345678';
const b64u = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

function nest(s: string, f: (s: string) => string, n: number): string {
  for (let i = 0; i < n; i++) s = f(s);
  return s;
}

export function viewsSamples(): ViewSample[] {
  const out: ViewSample[] = [];
  const add = (cls: string, name: string, body: string | Buffer, expect: string, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ cls, name, filename, type, body: Buffer.from(body), expect });
  };
  // N1: an unpadded final quantum at the text's end was dropped (1 or 2 bytes: a check digit, a last digit).
  const idLine = 'This record belongs to the applicant named below. Applicant no. ' + ID;
  add('N1', 'unpadded base64 ending the file', Buffer.from(idLine).toString('base64').replace(/=+$/, ''), 'personal-data');
  add('N1', 'unpadded base64, a line break, then the end', Buffer.from(idLine).toString('base64').replace(/=+$/, '') + '\n', 'personal-data');
  add('N1', 'base64url of a memo ending in a mobile, at the end', b64u('Applicant record, please keep on file, phone ' + MOBILE), 'personal-data');
  add('N1', 'a JWT-like token whose payload ends the file', `eyJhbGciOiJIUzI1NiJ9.${b64u(JSON.stringify({ sub: 'applicant record, please keep on file', id: ID }))}`, 'personal-data', 'token.txt');
  add('N1', 'base64url of an id number six times over', nest(`身份证号${ID}`, b64u, 6), 'personal-data');
  return out;
}

export function viewsCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, body: string | Buffer, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body: Buffer.from(body), expect: '' });
  };
  // N1: ordinary unpadded base64url at a file's end.
  add('a JWT of ordinary claims ending the file', `eyJhbGciOiJIUzI1NiJ9.${b64u(JSON.stringify({ sub: 'user-4411', name: 'Zhang Wei', iat: 1764547200, scope: 'read:reports write:drafts' }))}.${b64u(Buffer.alloc(32, 7))}`, 'token.txt');
  add('unpadded base64 of an English memo ending the file', Buffer.from('The committee reviewed the quarterly figures and agreed to publish the report next week, as planned by the office. ').toString('base64').replace(/=+$/, ''));
  add('base64url of a Chinese notice, then a line break', b64u('关于召开年度工作会议的通知：请各部门于本周五前报送材料，联系电话请见内网通讯录。') + '\n');
  return out;
}
