import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';

// Expect: 100-continue. Node answers `100 Continue` as soon as the headers are
// in, unless the server takes the question itself: a sender was invited to
// send its body, then refused before content (403 by the policy) — what a
// refusal before content promises is that the body is never wanted (red team,
// 30 Nov). An upload (PUT) is now invited when its body is first read, after
// the checks and the decision before content; any other request at once.

const kExpects = Symbol('ferry.expectsContinue');

export function takeExpectContinue(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'PUT') (req as IncomingMessage & { [kExpects]?: boolean })[kExpects] = true;
    else res.writeContinue();
    server.emit('request', req, res);
  });
}

/** The upload's body, inviting the sender to send it (100 Continue) when it is first read. */
export async function* invitedBody(req: IncomingMessage, res: ServerResponse): AsyncGenerator<Buffer> {
  const r = req as IncomingMessage & { [kExpects]?: boolean };
  if (r[kExpects]) {
    r[kExpects] = false;
    res.writeContinue();
  }
  for await (const chunk of req) yield chunk as Buffer;
}
