// `ferry admin` 的输出（简体中文）。id、状态、系统名称、错误码和重新加载的部件名不翻译；--json 输出网关的原始应答。
import type { admin as en } from '../en/admin.js';

export const admin: typeof en = {
  transfer: '{{id}}  {{state}}  {{source}} → {{destination}}  已尝试 {{attempts}} 次{{reason}}',
  reason: '（{{reason}}）',
  queued: '{{destination}}：{{count}}',
  retrying: '正在重试 {{id}}',
  cancelled: '已取消 {{id}}',
  changed: '已变更：{{parts}}',
  nothing: '无',
  restart: '需要重启才能生效：{{parts}}',
  problem: '问题：{{problem}}',
  refused: '已拒绝：{{code}}（HTTP {{status}}）：{{detail}}',
  error: {
    required: '必须给出 {{flag}}（或设置 {{env}}）',
    adminRequired: '必须给出 --admin https://主机:端口（或设置 FERRY_ADMIN）：网关管理 API 的监听地址',
    cannotRead: '无法读取 {{flag}} 指定的 {{path}}：{{message}}',
    noSuchFile: '文件不存在',
  },
};
