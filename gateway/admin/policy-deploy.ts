// Deploying a policy from the console: the candidate is checked, the file in
// force is kept beside it (<policy>.<time>.previous), the new one replaces it
// atomically, and the hot reload picks it up. The policy-loaded record that
// the reload writes names the administrator who deployed. A deploy names the
// policy its candidate was edited from (its hash): when another deploy or a
// reload came in between, it is refused rather than overwriting that change.
// The candidate is checked (parsed, compiled, linted) by `check`: the console
// runs it on a worker thread, so the gateway's event loop only builds the
// engine of the checked document (a small part of the cost) and keeps
// answering uploads and probes while a large policy is checked.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FerryError } from '../../protocol/errors.js';
import { preparePolicyText, type PreparedPolicy } from '../../policies/load-policy.js';
import type { PolicyHolder } from '../../policies/policy-holder.js';
import { writeFileDurably } from '../keys/durable-write.js';

export interface DeployResult {
  hash: string;
  /** The previous file, kept. */
  kept: string;
}

export class PolicyDeployError extends Error {}

/** Checks a candidate's text; `path` names the file in its problems. */
export type PolicyCheck = (text: string, path: string) => Promise<PreparedPolicy>;

/** Checking on the calling thread (tests, and a gateway without a console's worker threads). */
export const checkHere: PolicyCheck = async (text, path) => preparePolicyText(text, path);

export class PolicyControl {
  readonly holder: PolicyHolder;
  #deployer: string | null = null;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(holder: PolicyHolder) {
    this.holder = holder;
  }

  /** Who is deploying now, for the policy-loaded record (null: a file edit or SIGHUP). */
  get deployer(): string | null {
    return this.#deployer;
  }

  /** `base`: the hash of the policy in force when the candidate was edited. */
  async deploy(text: string, by: string, base: string, check: PolicyCheck = checkHere): Promise<DeployResult> {
    this.#stale(base);
    // Checked before taking the turn: a check takes seconds and needs nothing of the policy in force.
    const loaded = await check(text, this.holder.path);
    // One deploy at a time: the kept file and the record must belong to the same change.
    const next = this.#chain.then(() => this.#deployNow(text, by, base, loaded));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  #stale(base: string): void {
    const current = this.holder.current.hash;
    if (base !== current) {
      throw new FerryError('FERRY_POLICY_CHANGED', `The candidate was edited from the policy ${base.slice(0, 16) || '(none named)'}, but ${current.slice(0, 16)} is in force now: another deploy or reload came first.`);
    }
  }

  async #deployNow(text: string, by: string, base: string, loaded: PreparedPolicy): Promise<DeployResult> {
    const path = this.holder.path;
    // Again in the turn: another deploy may have come first while this one was checked.
    this.#stale(base);
    if (!loaded.doc) throw new PolicyDeployError(loaded.problems.filter((p) => p.severity === 'error').map((p) => `${basename(p.file)}:${p.line}:${p.column}: ${p.message}`).join('; '));
    if (loaded.hash === this.holder.current.hash) throw new PolicyDeployError('this policy is already in force');
    const old = await readFile(path);
    const mode = (await stat(path)).mode & 0o777;
    const kept = `${path}.${new Date().toISOString().replace(/[:.]/g, '-')}.previous`;
    await writeFileDurably(kept, old, mode);
    // Set before the file changes, so that whichever reload sees it first (this one or the file watcher's) names the deployer.
    this.#deployer = by;
    try {
      await writeFileDurably(path, Buffer.from(text, 'utf8'), mode);
      const problems = (await this.holder.reload(loaded)).filter((p) => p.severity === 'error');
      if (problems.length || this.holder.current.hash !== loaded.hash) throw new PolicyDeployError(`the gateway did not take the new policy: ${problems.map((p) => p.message).join('; ') || 'another change came first'}`);
    } finally {
      this.#deployer = null;
    }
    return { hash: loaded.hash, kept };
  }
}
