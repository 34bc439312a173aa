// `ferry certs` 的输出（简体中文）。路径、身份、序列号和指纹不翻译；--json 输出的字段名保持英文。
import type { certs as en } from '../en/certs.js';

export const certs: typeof en = {
  label: {
    caCert: 'CA 证书', caKey: 'CA 私钥', certificate: '证书', key: '私钥', identity: '身份', serial: '序列号',
    validTo: '有效期至', validFrom: '生效时间', subject: '主体', issuer: '签发者', kind: '类型', altNames: '备用名称',
    keyUsage: '密钥用途', sha256: 'SHA-256 指纹', revoked: '已吊销', crl: '证书吊销列表',
  },
  mode: '{{path}}（权限 0600）',
  modeEncrypted: '{{path}}（权限 0600，已加密）',
  wasSerial: '{{serial}}（原序列号 {{previous}}）',
  next: '下一步：ferry certs issue --dir {{dir}} --id ferry://<网络>/<系统> --name <名称>',
  revokedRow: '{{serial}}  {{id}}（{{name}}，{{reason}}）',
  authority: '（证书颁发机构）',
  noIdentity: '（无：没有有效的 ferry:// URI 备用名称）',
  none: '（无）',
  any: '（任意）',
  expired: '  （已过期）',
  expiry: { what: '对象', name: '名称', serial: '序列号', expires: '到期时间', days: '剩余天数', state: '状态' },
  states: {
    valid: '有效', expiring: '即将到期', expired: '已过期', revoked: '已吊销', superseded: '已被续期取代',
    stale: '已过时（超过下次更新时间）', 'no-next-update': '无下次更新时间', none: '无（尚未吊销任何证书）',
  },
  crlName: '{{name}}（已吊销 {{count}} 个）',
  stateReason: '{{state}}（{{reason}}）',
};
