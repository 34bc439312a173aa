import type { Decision, PolicyEngine } from './types.js';

// A gateway started without a policy file applies default deny to everything,
// and says so in every refusal and in its health report.

const REASON = 'No policy is configured on this gateway, so every transfer is denied (default deny).';
const HASH = '0'.repeat(64);

export const noPolicy: PolicyEngine = {
  hash: HASH,
  before: (): Decision => ({ verdict: 'deny', rule: null, reason: REASON, policyHash: HASH }),
  after: (): Decision => ({ verdict: 'deny', rule: null, reason: REASON, policyHash: HASH }),
};
