// The content type a sender declares (gateway/ingress/media-type.ts): what real
// clients send is taken and written back in one form; a parameter nobody reads,
// a value of no known form, or more than a content type is refused.
import t from 'tap';
import { parseMediaType } from '../gateway/ingress/media-type.js';
import { FerryError } from '../protocol/errors.js';

t.test('what clients send is kept, in one form', async (t) => {
  const kept: Array<[string, string]> = [
    ['application/pdf', 'application/pdf'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['text/plain;charset=UTF-8', 'text/plain; charset=utf-8'],
    ['text/html; charset="gb2312"', 'text/html; charset=gb2312'],
    ['text/csv; charset=GB18030; header=present', 'text/csv; charset=gb18030; header=present'],
    ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
    ['image/svg+xml', 'image/svg+xml'],
    ['multipart/form-data; boundary=------------------------3f2a9c1e0b7d4a6e', 'multipart/form-data; boundary=------------------------3f2a9c1e0b7d4a6e'],
    ['multipart/mixed; boundary="simple boundary"', 'multipart/mixed; boundary="simple boundary"'],
    ['text/plain; format=flowed', 'text/plain; format=flowed'],
    ['text/plain; charset=ISO-8859-1', 'text/plain; charset=iso-8859-1'],
    ['  text/plain  ', 'text/plain'],
  ];
  for (const [ct, out] of kept) t.equal(parseMediaType(ct), out, `${ct} -> ${out}`);
});

t.test('anything else is FERRY_UNSUPPORTED_MEDIA_TYPE', async (t) => {
  for (const ct of [
    'not a type', 'text', 'text/', '/plain', 'text/plain/x', '-text/plain', 'text/pla in',
    'text/plain; x=1', 'application/pdf; name="report.pdf"', 'text/plain; q=0.5', 'video/mp4; codecs="avc1"',
    'text/plain; charset=x-13800138000', 'text/plain; charset=utf-8; charset=utf-8', 'text/plain; charset',
    'text/plain; charset="utf-8', 'text/plain;; charset=utf-8', 'text/html; header=present', 'application/json; format=flowed',
    'text/plain; boundary=abc', `multipart/mixed; boundary=${'a'.repeat(71)}`, 'multipart/mixed; boundary="a\\"b"',
    `application/${'a'.repeat(128)}`, `application/x-${'a'.repeat(120)}; charset=${'b'.repeat(140)}`, 'text/plain; charset=ütf-8',
  ]) {
    let code = 'taken';
    try {
      parseMediaType(ct);
    } catch (e) {
      code = e instanceof FerryError ? e.code : String(e);
    }
    t.equal(code, 'FERRY_UNSUPPORTED_MEDIA_TYPE', JSON.stringify(ct.slice(0, 60)));
  }
});
