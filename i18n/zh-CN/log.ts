// `ferry log verify`、`trace`、`check-proof` 的输出（简体中文）。
// 行首的 ok、FAILED、INVALID 在各语言中保持不变，便于脚本和人工查找。
import type { log as en } from '../en/log.js';

export const log: typeof en = {
  sigsChecked: '已校验 {{n}} 个签名',
  sigsNotChecked: '未校验签名：未提供 --pubkey',
  segmentsOk: 'ok：{{count}} 个分段（{{first}}..{{last}}），共 {{records}} 条记录，前后衔接完整{{pruned}}（{{sigs}}）',
  pruned: '；分段 {{first}}..{{last}} 已按保留期记录为清除',
  segmentFailed: 'FAILED：分段 {{segment}} 的第 {{seq}} 条记录未通过校验（{{check}}）：{{message}}',
  ok: 'ok：共 {{records}} 条记录、{{nodes}} 个 Merkle 节点、{{checkpoints}} 个检查点（{{sigs}}）{{against}}',
  against: '，包含导出的规模为 {{size}} 的检查点',
  failed: 'FAILED：第 {{seq}} 条记录未通过校验（{{check}}）：{{message}}',
  verifiedBefore: '在此之前已校验 {{records}} 条记录。',
  progress: '已校验 {{n}} / {{total}} 条记录',
  trace: {
    notAKey: 'ferry log trace：{{file}} 不是校验公钥，未使用',
    unknownGateway: '未知网关',
    logOk: '日志 {{db}}（{{gateway}}）：ok，共 {{records}} 条记录，已校验 {{sigs}} 个签名{{nokey}}',
    noKey: '（无公钥：未校验签名）',
    logFailed: '日志 {{db}}（{{gateway}}）：FAILED，第 {{seq}} 条记录未通过校验（{{check}}）：{{message}}',
    summary: '传输 {{id}}：在 {{logs}} 份日志中的 {{found}} 份里找到 {{records}} 条记录',
    hops: '路径：{{hops}}（方括号内：日志不在此处、由其他网关提及的网关）',
  },
  proof: {
    inclusion: 'ok：第 {{seqs}} 条记录包含在 {{origin}} 规模为 {{size}} 的树中，签名已校验',
    consistency: 'ok：{{origin}} 规模为 {{to}} 的树是规模为 {{from}} 的树的延续，两个签名均已校验',
    invalid: 'INVALID：{{message}}',
  },
  table: {
    seq: '序号', time: '时间', event: '事件', transfer: '传输', source: '来源', destination: '目的地',
    verdict: '裁决', size: '大小', code: '错误码', rule: '规则',
  },
};
