import { messages } from '../i18n/catalogue.js';
import { ERROR_CODES, type ErrorCode } from '../protocol/errors.js';

// docs/errors.md is written from protocol/errors.ts (npm run docs:errors), so the
// table a sender reads is the table the gateway answers from.

export function renderErrorsDoc(): string {
  const zh = messages('zh-CN').errors;
  const rows = Object.entries(ERROR_CODES).map(([code, s]) => `| \`${code}\` | ${s.status} | ${s.title} | ${zh[code as ErrorCode].title} | ${s.action} |`);
  return `# Error codes

Every refusal from a Ferry gateway is an RFC 9457 problem-details body
(\`content-type: application/problem+json\`) with these members:

| member | meaning |
|---|---|
| \`code\` | one of the stable codes below; match on it, not on the text |
| \`status\` | the HTTP status, also the response status |
| \`title\` | what the code means, in one sentence |
| \`detail\` | what happened to this request, in one sentence |
| \`action\` | what the sender should do now |
| \`lang\` | the language of \`title\` and \`action\`: \`zh-CN\` or \`en\` |
| \`transfer\` | the transfer's id, to find its audit records (\`ferry log query --transfer\`), on refusals made after the upload was received |
| \`rule\` | the policy rule that decided (policy refusals; \`null\` for default deny) |
| \`findings\` | the inspection findings that counted (content refusals; see [findings.md](findings.md)) |
| \`retry_after\` | seconds to wait (rate limits; also the \`retry-after\` header) |

Example (a file carrying a classified marking):

\`\`\`json
{
  "type": "https://ferry.invalid/errors/FERRY_CONTENT_DENIED",
  "title": "The content was inspected and the policy refused it.",
  "status": 422,
  "code": "FERRY_CONTENT_DENIED",
  "detail": "Content carrying a classified marking (秘密/机密/绝密) never crosses.",
  "action": "See the rule and the findings in the answer; remove what was found or ask the operator.",
  "lang": "en",
  "rule": "deny-classified-marking",
  "findings": [{ "kind": "classified-marking", "subkind": "机密", "offset": 13, "sample": "密级：机密" }]
}
\`\`\`

### Language

Title and action are in the language of the request's \`Accept-Language\`
(RFC 9110 §12.5.4, q-values honoured): Simplified Chinese for \`zh\`, \`zh-CN\`,
\`zh-Hans\` (and \`zh-TW\`, which gets Simplified rather than English), English
for \`en\` and for a request that names neither. The answer's \`lang\` member and
\`content-language\` header say which. The \`code\` is the same in every
language: match on it. A \`detail\` written for one request (a limit, a header's
name, a policy rule's own reason) stays in the words it was written in.
The \`ferry\` command line asks in its own language (\`--lang\`, \`LANG\`).
A subscription closed with a code (4400, 4408, 4409, 4416) gives the
code and the Chinese title as its close reason when the opening asked for Chinese.
The Chinese texts are in \`i18n/zh-CN/errors.ts\`.

A refusal before the body was read (identity, headers, policy before
content, limits) is answered at once and the connection is closed: the body is
never read. Every refusal of an upload is also written to the audit log
(event \`denied\`, or \`failed\` when the upload broke off), with its code. So is
every refusal on the admin listener (\`denied\`, or \`admin-action\` with
\`refused\` for an administrator; [audit-log.md](audit-log.md#refusals-on-the-admin-plane)).

| code | status | meaning | 含义 | what to do |
|---|---|---|---|---|
${rows.join('\n')}

This page is generated from \`protocol/errors.ts\` by \`npm run docs:errors\`;
a test fails when the two differ.
`;
}

/** docs/zh-CN/errors.md: the same table for a Chinese reader, from i18n/zh-CN/errors.ts. */
export function renderErrorsDocZh(): string {
  const zh = messages('zh-CN').errors;
  const rows = Object.entries(ERROR_CODES).map(([code, s]) => `| \`${code}\` | ${s.status} | ${zh[code as ErrorCode].title} | ${zh[code as ErrorCode].action} |`);
  return `# 错误码

Ferry 网关的每一次拒绝都以 RFC 9457 问题详情（\`content-type: application/problem+json\`）答复，包含以下成员：

| 成员 | 含义 |
|---|---|
| \`code\` | 下表中的稳定错误码；程序应据此判断，而不是依据文字 |
| \`status\` | HTTP 状态码，与响应状态一致 |
| \`title\` | 该错误码的含义，一句话 |
| \`detail\` | 本次请求发生了什么，一句话（针对具体请求写出的内容保持原文） |
| \`action\` | 发送方现在应当怎么做 |
| \`lang\` | \`title\` 和 \`action\` 所用的语言：\`zh-CN\` 或 \`en\` |
| \`transfer\` | 传输标识，可用 \`ferry log query --transfer\` 查找其审计记录（接收上传之后作出的拒绝） |
| \`rule\` | 作出判定的策略规则（策略拒绝；默认拒绝时为 \`null\`） |
| \`findings\` | 起作用的检查发现（内容拒绝；参见 [findings.md](../findings.md)） |
| \`retry_after\` | 需等待的秒数（频率限制；亦见 \`retry-after\` 响应头） |

请求头 \`Accept-Language\` 为 \`zh\`、\`zh-CN\`、\`zh-Hans\`（及 \`zh-TW\`）时，\`title\` 和 \`action\` 以简体中文答复；
未指明语言或为其他语言时以英文答复。错误码在任何语言下都不变。\`ferry\` 命令行按 \`--lang\` 或 \`LANG\` 发送其语言，
例如 \`LANG=zh_CN.UTF-8 ferry send …\`。

每一次对上传的拒绝都写入审计日志（事件 \`denied\`，上传中断时为 \`failed\`），并带有错误码。管理监听端口（\`admin.api_listen\`）上的每一次拒绝同样写入审计日志（事件 \`denied\`；管理员的越权或被拒操作为带 \`refused\` 的 \`admin-action\`），参见 [audit-log.md](../audit-log.md#refusals-on-the-admin-plane)。

| 错误码 | 状态 | 含义 | 处理办法 |
|---|---|---|---|
${rows.join('\n')}

本页由 \`npm run docs:errors\` 根据 \`protocol/errors.ts\` 和 \`i18n/zh-CN/errors.ts\` 生成；二者不一致时测试失败。
英文版：[../errors.md](../errors.md)。
`;
}
