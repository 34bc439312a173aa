// The English catalogue: one object, one namespace per part of the product.
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

export const en = { findings, errors, cli, console: consoleUi, sim, log, certs, policy, admin, problems };
