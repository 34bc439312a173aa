// Loaded first into every test process by `npm test` (tools/run-tests.ts puts
// it in NODE_OPTIONS, which node reads before tap's own --import flags).
// tap's process tracker (@tapjs/processinfo) registers a module loader in each
// test process: every import then goes through a loader thread, and each
// file is read again to look for a source map. That doubled the CPU of
// loading a test's modules (the gateway fixture's imports: 1.1 s alone, 2.2 s
// with the tracker), in each of the ~110 files. The loader only lists the
// files a test loaded, for `tap --changed` and coverage, and coverage is off
// (package.json). Its require() hook does the same for CommonJS files (and
// splits each into lines: pdfjs-dist alone is megabytes), in the test process
// and in each worker thread of an in-process gateway. The tracker itself
// still runs (tap's record of each test process, its spawn hook); only its
// loader and its require() hook are not installed.
import module from 'node:module';

const TRACKER_LOADER = /[\\/]@tapjs[\\/]processinfo[\\/].*loader/;
// The tracker installs its require() hook once per thread, unless this is set.
const REQUIRE_HOOKED = Symbol.for('@tapjs/processinfo.registerRequire');

// Test processes only (tap sets TAP_CHILD_ID for them), never the runner.
if (process.env.TAP_CHILD_ID) (globalThis as Record<symbol, unknown>)[REQUIRE_HOOKED] = true;
if (process.env.TAP_CHILD_ID && typeof module.register === 'function') {
  const register = module.register.bind(module) as (...args: unknown[]) => void;
  (module as unknown as { register: (...args: unknown[]) => void }).register = (...args: unknown[]) => {
    if (TRACKER_LOADER.test(String(args[0]))) return;
    register(...args);
  };
}
