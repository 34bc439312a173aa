import type { Command } from 'commander';

// Sub-commands of this part are registered here (work in progress).
export function register(_program: Command): void {}
