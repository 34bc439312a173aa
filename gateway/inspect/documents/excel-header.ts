// Excel's page headers and footers as printed (seventh red team of 1 Dec,
// R25). Excel and WPS write a font or size change made in the header editor
// as a code in the text: `密级：&"宋体,加粗"机密` prints 密级：**机密**,
// `&"黑体,加粗"&16机密&"宋体,常规"★&12 10年` prints 机密★10年; read raw,
// the codes split the marking and it crossed. Codes (ECMA-376 Part 1,
// 18.3.1.39; [MS-XLS] 2.4.136): `&L` `&C` `&R` start the left, centre and
// right sections (printed apart: a line each here); `&"font,style"`, `&NN`
// (a size), `&K` and a colour, `&B &I &U &E &S &X &Y &O &H` change the look
// (removed); `&P &N &D &T &F &A &Z &G` insert a page number, a count, the
// date, the time, the file's, the sheet's or the path's name, a picture
// (written `#`: something is printed there); `&&` is a literal &.

const CODE = /&&|&"[^"]*"?|&\d{1,3}|&K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3})?|&[LCR]|&[PNDTFAZG]|&[BIUESXYOH]/gi;

export function headerText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(CODE, (m) => {
    if (m === '&&') return '&';
    if (m.length === 2) {
      const c = m[1]!.toUpperCase();
      if (c === 'L' || c === 'C' || c === 'R') return '\n';
      if ('PNDTFAZG'.includes(c)) return '#';
    }
    return '';
  });
}
