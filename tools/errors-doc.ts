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
(event \`denied\`, or \`failed\` when the upload broke off), with its code.

| code | status | meaning | 含义 | what to do |
|---|---|---|---|---|
${rows.join('\n')}

This page is generated from \`protocol/errors.ts\` by \`npm run docs:errors\`;
a test fails when the two differ.
`;
}
