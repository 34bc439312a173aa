// `ferry policy replay` and the console's replay, by path: the log opened
// through the audit storage port and handed to the policy part's replay
// (policies/replay.ts, which does not import the server).
import type { CompiledPolicy } from '../../policies/policy-engine.js';
import { replayLogAt, type ReplayReport } from '../../policies/replay.js';
import { openAuditStorage } from './open-audit-storage.js';

export function replayLog(policy: CompiledPolicy, logPath: string, opts: { since?: string; last?: number; keep?: number } = {}): Promise<ReplayReport> {
  return replayLogAt(openAuditStorage, policy, logPath, opts);
}
