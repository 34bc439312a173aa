// `ferry` 命令行的输出和 --help 文本（简体中文）。
import type { cli as en } from '../en/cli.js';

export const cli: typeof en = {
  refusal: {
    refused: '已拒绝：{{code}}（HTTP {{status}}）',
    transfer: '传输标识：{{id}}（稍后可用 ferry status {{id}} 查看）',
    rule: '规则：{{rule}}',
    finding: '检查发现：{{finding}}',
    retryAfter: '请在 {{seconds}} 秒后重试',
    action: '处理办法：{{action}}',
  },
};
