import { pino, type DestinationStream, type Logger } from 'pino';

// Operational logs: JSON lines to stdout (or a given stream), one per event.
// They are not the audit trail. Key material and request bodies never reach
// them; anything a sender chose (file names) is masked before it is logged.

export type { Logger };

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'ferry',
      level: opts.level ?? process.env.FERRY_LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      redact: {
        paths: ['key', '*.key', 'privateKey', '*.privateKey', 'secret', '*.secret', 'passphrase', '*.passphrase', 'headers.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (opts.destination ?? process.stdout) as DestinationStream,
  );
}
