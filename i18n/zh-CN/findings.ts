import type { findings as en } from '../en/findings.js';

export const findings: typeof en = {
  kinds: {
    'type-mismatch': '类型不符',
    'classified-marking': '密级标志',
    keyword: '关键词',
    'personal-data': '个人信息',
    'archive-limit': '压缩包超限',
    'archive-encrypted': '加密压缩包',
    'archive-broken': '损坏的压缩包',
    malware: '恶意代码',
    'av-unavailable': '病毒查杀不可用',
    'inspection-limit': '检查超限',
    uninspectable: '无法检查的内容',
  },
  personalData: {
    'cn-resident-id': '居民身份证号码',
    'cn-mobile': '手机号码',
    'bank-card': '银行卡号',
    uscc: '统一社会信用代码',
    email: '电子邮箱地址',
  },
};
