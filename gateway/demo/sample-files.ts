// The demo's sample files: ordinary documents that cross, and the kinds of
// content a boundary exists to stop. Generated, never shipped as blobs.

export interface Sample {
  name: string;
  to: string;
  label: 'public' | 'internal' | 'sensitive';
  contentType: string;
  body: Buffer;
  /** What the demo expects, shown beside what happened. */
  expect: string;
}

/** A resident id with a valid GB 11643 check digit (a made-up person). */
function residentId(base17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base17].reduce((a, d, i) => a + Number(d) * w[i]!, 0);
  return base17 + '10X98765432'[sum % 11]!;
}

export function sampleFiles(): Sample[] {
  const report = ['季度,案件数,结案率', '2026Q1,1240,0.93', '2026Q2,1310,0.95', '2026Q3,1288,0.94'].join('\n') + '\n';
  const notice = '关于开展交通安全宣传周活动的通知\n\n各单位：定于十二月第一周开展交通安全宣传活动，请做好准备。\n';
  const minutes = '会议纪要\n密级：机密★10年\n\n一、专案进展情况……\n';
  const roster = ['姓名,身份证号,电话', `张三,${residentId('11010519491231002')},13800138000`, `李四,${residentId('44030619900101123')},13912345678`].join('\n') + '\n';
  // A PE executable (MZ header, PE signature) named as a PDF.
  const pe = Buffer.alloc(1024);
  pe.write('MZ', 0, 'latin1');
  pe.writeUInt32LE(0x80, 0x3c);
  pe.write('PE\0\0', 0x80, 'latin1');
  return [
    { name: '季度统计.csv', to: 'extranet/archive', label: 'internal', contentType: 'text/csv', body: Buffer.from(report), expect: 'delivered by push' },
    { name: 'notice.txt', to: 'extranet/portal', label: 'public', contentType: 'text/plain', body: Buffer.from(notice), expect: 'held for pull, then received' },
    { name: 'minutes.txt', to: 'extranet/archive', label: 'internal', contentType: 'text/plain', body: Buffer.from(minutes), expect: 'refused: classified marking' },
    { name: 'roster.csv', to: 'extranet/archive', label: 'internal', contentType: 'text/csv', body: Buffer.from(roster), expect: 'refused: personal data' },
    { name: 'invoice.pdf', to: 'extranet/archive', label: 'internal', contentType: 'application/pdf', body: pe, expect: 'refused: an executable posing as a PDF' },
    { name: 'case-file.txt', to: 'extranet/archive', label: 'sensitive', contentType: 'text/plain', body: Buffer.from('案情摘要\n'), expect: 'refused before the body is read: sensitive data to a system not entitled to it' },
  ];
}
