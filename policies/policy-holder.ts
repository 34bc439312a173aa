import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { SourceProblem } from '../protocol/yaml-schema.js';
import { compilePrepared, loadPolicyFile, loadPolicyText, policyHash, type LoadedPolicy, type PreparedPolicy } from './load-policy.js';
import type { CompiledPolicy } from './policy-engine.js';
import { CounterStore } from './rate-counters.js';

// The policy in force, swapped whole on SIGHUP or when the file changes. The
// new file is validated before anything changes; a broken file leaves the old
// policy in force and reports why. Counters live here, not in an engine, so a
// reload does not reset rate and volume limits.

export interface PolicyHolder {
  readonly current: CompiledPolicy;
  readonly path: string;
  /**
   * Load the file again now; resolves with the problems (empty when swapped or
   * unchanged). `prepared`: the file's text already checked elsewhere (a
   * deploy checks on a worker thread): when the file holds exactly that text,
   * only its engine is built here.
   */
  reload(prepared?: PreparedPolicy): Promise<SourceProblem[]>;
  close(): void;
}

export interface WatchOptions {
  onChange?(hash: string, engine: CompiledPolicy): void;
  onError?(problems: SourceProblem[]): void;
  /** Called for every file that loads cleanly, changed or not (clears a previous onError). */
  onValid?(hash: string): void;
  /** milliseconds to wait after the last file event; editors write in several steps */
  debounceMs?: number;
  /** listen for SIGHUP (default true) */
  sighup?: boolean;
  counters?: CounterStore;
  /**
   * Checks a changed file's text somewhere else (prepare-on-worker.ts: on a
   * thread of its own), so only the engine is built on this one. Without it,
   * or when it fails, the file is loaded here.
   */
  prepare?(text: string, path: string): Promise<PreparedPolicy>;
}

export class PolicyLoadError extends Error {
  readonly problems: SourceProblem[];
  constructor(problems: SourceProblem[]) {
    super(`the policy has errors:\n${problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}

class WatchedPolicy implements PolicyHolder {
  readonly path: string;
  #current: CompiledPolicy;
  #opts: WatchOptions;
  #counters: CounterStore;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #onHup = () => void this.reload();
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(path: string, engine: CompiledPolicy, counters: CounterStore, opts: WatchOptions) {
    this.path = path;
    this.#current = engine;
    this.#counters = counters;
    this.#opts = opts;
    // Watch the directory, not the file: editors and `mv` replace the inode.
    const name = basename(path);
    this.#watcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reload(), opts.debounceMs ?? 100);
    });
    this.#watcher.on('error', (err) => opts.onError?.([{ file: path, line: 1, column: 1, message: `cannot watch the policy: ${err.message}`, severity: 'error' }]));
    if (opts.sighup !== false) process.on('SIGHUP', this.#onHup);
  }

  get current(): CompiledPolicy {
    return this.#current;
  }

  reload(prepared?: PreparedPolicy): Promise<SourceProblem[]> {
    // One reload at a time, in order, so the last file written is the one in force.
    const next = this.#chain.then(() => this.#reloadNow(prepared));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #reloadNow(prepared: PreparedPolicy | undefined): Promise<SourceProblem[]> {
    if (this.#closed) return [];
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch {
      // loadPolicyFile says why in the policy's own words.
      return this.#take(await loadPolicyFile(this.path, { counters: this.#counters }));
    }
    const hash = policyHash(bytes);
    // The same bytes make the same engine: an unchanged file (the watcher's echo of a deploy, a SIGHUP) is not parsed again.
    if (hash === this.#current.hash) {
      this.#opts.onValid?.(hash);
      return [];
    }
    if (prepared?.hash !== hash) prepared = await this.#prepare(bytes);
    return this.#take(prepared?.hash === hash ? compilePrepared(prepared, { counters: this.#counters }) : loadPolicyText(bytes, this.path, { counters: this.#counters }));
  }

  /** The file's text checked by opts.prepare; undefined (load it here) when there is none or it failed. */
  async #prepare(bytes: Buffer): Promise<PreparedPolicy | undefined> {
    if (!this.#opts.prepare) return undefined;
    try {
      return await this.#opts.prepare(bytes.toString('utf8'), this.path);
    } catch {
      return undefined;
    }
  }

  #take(loaded: LoadedPolicy): SourceProblem[] {
    if (!loaded.engine) {
      this.#opts.onError?.(loaded.problems);
      return loaded.problems;
    }
    this.#opts.onValid?.(loaded.hash);
    if (loaded.hash === this.#current.hash) return [];
    this.#current = loaded.engine;
    this.#opts.onChange?.(loaded.hash, loaded.engine);
    return [];
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
    process.off('SIGHUP', this.#onHup);
  }
}

/** Load the policy (rejecting with PolicyLoadError when it has errors) and keep it current. */
export async function watchPolicy(path: string, opts: WatchOptions = {}): Promise<PolicyHolder> {
  const abs = resolve(path);
  const counters = opts.counters ?? new CounterStore();
  const loaded = await loadPolicyFile(abs, { counters });
  if (!loaded.engine) throw new PolicyLoadError(loaded.problems);
  return new WatchedPolicy(abs, loaded.engine, counters, opts);
}
