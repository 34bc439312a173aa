// The Simplified Chinese catalogue. Typed as the English one, so a message that
// exists in one language only does not compile (test/i18n.test.ts checks it at run time too).
import type { en } from '../en/index.js';
import { consoleUi } from './console.js';
import { findings } from './findings.js';
import { errors } from './errors.js';
import { cli } from './cli.js';
import { sim } from './sim.js';
import { log } from './log.js';
import { certs } from './certs.js';
import { policy } from './policy.js';
import { admin } from './admin.js';
import { problems } from './problems.js';

export const zhCN: typeof en = { findings, errors, cli, console: consoleUi, sim, log, certs, policy, admin, problems };
