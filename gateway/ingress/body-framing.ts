import type { IncomingMessage, ServerResponse } from 'node:http';
import { FerryError } from '../../protocol/errors.js';
import { sendProblem } from './problem.js';
import { unwatchFraming, watchFraming } from './trailing-bytes.js';

// Broken framing in a request's body (trailing-bytes.ts), watched from the
// first byte: a handler starts the watch before its first await, since the
// parser may meet broken framing in the very bytes that carried the headers,
// as soon as the handler yields to it (the relay handler reads the queue
// before the body; files-handler.ts checks policy and idempotency).

export interface FramingWatch {
  /** The broken framing met so far, or null. */
  readonly broken: FerryError | null;
  /** Once the sender stalled (the idle guard answered), a parse error is no longer broken framing. */
  stalled: FerryError | null;
  /** The checks before the body are done: broken framing met from now on is answered at once. */
  checked(): void;
  /** Answers broken framing met during the checks (400, and the connection closed). */
  answerIfBroken(): void;
  /** Stops watching: a refusal or a replay answers instead, whatever the body holds. */
  stop(): void;
}

export function watchBodyFraming(req: IncomingMessage, res: ServerResponse): FramingWatch {
  const socket = req.socket;
  let broken: FerryError | null = null;
  let checking = true;
  const answer = (err400: FerryError): void => {
    sendProblem(res, err400, { close: true });
    res.once('finish', () => req.destroy(err400));
  };
  const watch: FramingWatch = {
    get broken() { return broken; },
    stalled: null,
    checked() { checking = false; },
    answerIfBroken() { if (broken) answer(broken); },
    stop() { unwatchFraming(socket); },
  };
  watchFraming(socket, (err) => {
    // After the whole body, a parse error is bytes past it (trailing-bytes.ts), not broken framing.
    if (req.complete || broken || watch.stalled) return false;
    broken = new FerryError('FERRY_MALFORMED_REQUEST', `The body's framing is broken (${err.code ?? 'parse error'}); nothing was kept.`);
    if (!checking) answer(broken);
    return true;
  });
  res.once('close', () => unwatchFraming(socket));
  return watch;
}
