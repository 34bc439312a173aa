// Loaded into every test process (package.json: tap.node-arg). tap's process
// tracker (@tapjs/processinfo) adds its own `--import` to NODE_OPTIONS of
// every process a test spawns, so each gateway, CLI and simulator child ran
// its modules through a loader thread and scanned their source maps: about
// twice the CPU of the child itself (`ferry --help`: 1.3 s against 0.55 s).
// Coverage is off, so the children need none of it; they now run as an
// operator would run them. The tracker hooks spawns through process-on-spawn,
// whose listeners run in order: this one, registered after tap's, takes its
// import back out of the child's NODE_OPTIONS.

const SPAWN_HOOKS = Symbol.for('process-on-spawn@*:singletonId');
const TRACKER = /@tapjs[\\/]processinfo[\\/]/;
// npm test's own import into test processes (untracked-modules.ts): nothing for a child to do.
const UNTRACKED = /[\\/]test[\\/]helpers[\\/]untracked-modules\.js$/;

interface SpawnOptions {
  env: NodeJS.ProcessEnv;
}

const hooks = (globalThis as unknown as Record<symbol, { listeners: Array<(o: SpawnOptions) => void> } | undefined>)[SPAWN_HOOKS];

/** NODE_OPTIONS without tap's tracker; the rest (an operator's own options) stays. */
export function withoutTracker(nodeOptions: string | undefined): string | undefined {
  if (nodeOptions === undefined) return undefined;
  // node-options-to-argv quotes each option ("--import=file:///…")
  const options = nodeOptions.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const tracker = (o: string) => {
    const bare = o.replace(/^"|"$/g, '');
    if (!bare.startsWith('--import=') && !bare.startsWith('--loader=')) return false;
    return TRACKER.test(bare) || UNTRACKED.test(bare.replace(/^--import="?|"$/g, ''));
  };
  return options.filter((o) => !tracker(o)).join(' ');
}

hooks?.listeners.push((o) => {
  const kept = withoutTracker(o.env.NODE_OPTIONS);
  const env = { ...o.env };
  if (kept) env.NODE_OPTIONS = kept;
  else delete env.NODE_OPTIONS;
  o.env = env;
});
