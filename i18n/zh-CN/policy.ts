// `ferry policy check|test|replay` 的输出（简体中文）。规则 id、策略名称、哈希、
// 裁决（allow、deny）、发现类型以及脚本查找的行首词（ok、FAIL）不翻译；--json 的字段名保持英文。
// 策略引擎给出的理由和规则自身的描述按策略原文输出。
import type { policy as en } from '../en/policy.js';

export const policy: typeof en = {
  checkOk: '{{file}}: ok：策略 {{name}}，{{rules}} 条规则，sha256 {{hash}}',
  stageBefore: '阶段：内容检查之前（不会读取文件内容）',
  stageAfter: '阶段：内容检查之后',
  verdict: '裁决：{{verdict}}',
  rule: '规则：{{rule}}',
  defaultDeny: '（无：默认拒绝）',
  reason: '理由：{{reason}}',
  findingsCounted: '计入裁决的发现：',
  obligations: '附加义务：{{list}}',
  limited: '已限流：{{seconds}} 秒后重试',
  shadow: "影子规则：规则 '{{rule}}' 将会 {{effect}}",
  counter: '计数器：{{key}} = {{value}}',
  policyHash: '策略：sha256 {{hash}}',
  allFindings: '全部发现：{{list}}',
  alsoMatched: '同样匹配：{{list}}',
  cameClose: '接近匹配的规则：',
  shadowMode: '，影子模式',
  closeRule: '  {{rule}}（{{effect}}{{shadow}}，第 {{line}} 行）：{{failed}}',
  finding: { in: '位于 {{path}}', offset: '偏移量 {{offset}}' },
  suite: {
    passed: '（{{verdict}}，规则 {{rule}}）',
    defaultDeny: '（默认拒绝）',
    total: '{{total}} 个用例中通过 {{passed}} 个',
    coverage: '{{path}} 的规则覆盖：{{total}} 条规则中有 {{covered}} 条决定过用例',
    notExercised: '  未被用到：{{rules}}',
  },
  replay: {
    head: '已用策略 {{name}}（sha256 {{hash}}）重放 {{log}} 中的 {{records}} 条裁决记录',
    counts: '新增拒绝：{{denied}}  新增允许：{{allowed}}  裁决相同但规则不同：{{other}}  不变：{{same}}  无法评估：{{unevaluable}}',
    difference: '  #{{seq}} {{time}} {{id}}（{{stage}}）：{{change}}：原为 {{was}}（规则 {{wasRule}}），现为 {{now}}（规则 {{nowRule}}）— {{reason}}',
    defaultRule: '（默认）',
    unevaluable: '  #{{seq}} {{time}} {{id}}：无法评估：{{reason}}',
  },
  error: {
    oneFile: 'ferry policy test：请只给出一个策略文件（或使用 --suite）',
    fromTo: 'ferry policy test：必须给出 --from 和 --to（或使用 --suite）',
    cannotInspect: 'ferry policy test：无法检查 {{file}}：{{message}}',
    since: "ferry policy replay：--since '{{since}}' 不是 ISO 8601 时间",
    cannotReadLog: 'ferry policy replay：无法读取审计日志 {{log}}：{{message}}',
  },
};
