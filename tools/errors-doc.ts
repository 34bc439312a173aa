import { ERROR_CODES } from '../protocol/errors.js';

// docs/errors.md is written from protocol/errors.ts (npm run docs:errors), so the
// table a sender reads is the table the gateway answers from.

export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, s]) => `| \`${code}\` | ${s.status} | ${s.title} | ${s.action} |`);
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
  "rule": "deny-classified-marking",
  "findings": [{ "kind": "classified-marking", "subkind": "机密", "offset": 13, "sample": "密级：机密" }]
}
\`\`\`

A refusal before the body was read (identity, headers, policy before
content, limits) is answered at once and the connection is closed: the body is
never read. Every refusal of an upload is also written to the audit log
(event \`denied\`, or \`failed\` when the upload broke off), with its code.

| code | status | meaning | what to do |
|---|---|---|---|
${rows.join('\n')}

This page is generated from \`protocol/errors.ts\` by \`npm run docs:errors\`;
a test fails when the two differ.
`;
}
