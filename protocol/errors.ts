// The one table of refusal codes. Every answer a sender gets that is not a
// success carries one of these codes, its HTTP status, and a sentence; docs/errors.md
// is written from this table (see test/errors-doc.test.ts, which keeps them in step).

export interface ErrorSpec {
  status: number;
  title: string;
  /** What the sender should do about it. */
  action: string;
}

export const ERROR_CODES = {
  FERRY_NO_CLIENT_CERT: { status: 401, title: 'No client certificate was presented.', action: 'Connect with the certificate and key issued to your system (mutual TLS).' },
  FERRY_CERT_UNTRUSTED: { status: 401, title: 'The client certificate is not trusted.', action: 'Use a certificate issued by this gateway\'s CA that is neither expired nor revoked.' },
  FERRY_CERT_REVOKED: { status: 401, title: 'The client certificate has been revoked.', action: 'Stop using this certificate; ask the operator for a new one (ferry certs issue or renew).' },
  FERRY_CRL_STALE: { status: 503, title: 'The gateway\'s revocation list is out of date, so it accepts no certificate.', action: 'Try again later; the operator must publish a fresh CRL (ferry certs crl).' },
  FERRY_IDENTITY_INVALID: { status: 403, title: 'The certificate carries no valid ferry:// identity.', action: 'Ask the operator for a certificate with a URI SAN ferry://<network>/<system>.' },
  FERRY_WRONG_NETWORK: { status: 403, title: 'This listener serves another network than the certificate names.', action: 'Connect to the gateway listener of your own network.' },
  FERRY_FORBIDDEN: { status: 403, title: 'This principal may not use this endpoint.', action: 'Use the endpoint meant for your kind of principal.' },
  FERRY_DESTINATION_MISSING: { status: 400, title: 'The ferry-to header is missing.', action: 'Name the destination as ferry-to: <network>/<system>.' },
  FERRY_DESTINATION_INVALID: { status: 400, title: 'The ferry-to header is not of the form <network>/<system>.', action: 'Use lower-case names of letters, digits, - and _, such as extranet/archive.' },
  FERRY_DESTINATION_UNKNOWN: { status: 404, title: 'No route or delivery is configured for this destination.', action: 'Check the destination name with the operator.' },
  FERRY_ROUTE_UNKNOWN: { status: 404, title: 'This gateway has no route to the destination network.', action: 'Check the destination network with the operator; this gateway reaches only the networks it borders and those in its routes.' },
  FERRY_PEER_UNKNOWN: { status: 403, title: 'This gateway is not a listed peer of the receiving gateway.', action: 'Ask the operator of the receiving gateway to list your gateway under peers, with its networks and key.' },
  FERRY_PEER_SOURCE_FORBIDDEN: { status: 403, title: 'The peer names a source on a network it may not speak for.', action: 'A peer may relay only from the networks listed for it under peers; check the route and the peer entry.' },
  FERRY_ENVELOPE_INVALID: { status: 403, title: 'The signed transfer envelope is missing, malformed, or its signature does not verify with the peer\'s key.', action: 'Relay with the gateway\'s own key; check that the receiving gateway lists the current key of this peer.' },
  FERRY_ENVELOPE_MISMATCH: { status: 422, title: 'The body does not match the hash or size in the signed envelope.', action: 'Relay the content the envelope was signed for; nothing was kept.' },
  FERRY_ROUTE_LOOP: { status: 409, title: 'The transfer has already passed through this gateway: the routes form a loop.', action: 'Correct the routes of the gateways on the path; the transfer was not accepted.' },
  FERRY_HOP_LIMIT: { status: 409, title: 'The transfer has crossed as many gateways as max_hops allows.', action: 'Shorten the route, or raise max_hops on this gateway.' },
  FERRY_WITHDRAWAL_INVALID: { status: 403, title: 'The signed withdrawal is missing, malformed, not for this transfer, or its signature does not verify with the peer\'s key.', action: 'Withdraw with the gateway\'s own key, naming the transfer in the path; check that the receiving gateway lists the current key of this peer.' },
  FERRY_HOP_UNVERIFIED: { status: 502, title: 'The next gateway refused a relay or a withdrawal with an answer that is not signed with its key (or not about this transfer), so it was not taken as that gateway\'s verdict.', action: 'Nothing for the sender: the gateway tries again, and the transfer expires if the next gateway never answers in a way it can verify. Operators: check the next gateway\'s key under peers.<name>.key and its version.' },
  FERRY_TRANSFER_BUSY: { status: 409, title: 'The transfer is being delivered or handed on right now, so it cannot be withdrawn yet.', action: 'Ask again shortly: the answer will then say whether it was withdrawn or delivered.' },
  FERRY_ID_CONFLICT: { status: 409, title: 'This gateway already holds a transfer with this id from another upstream, or with other content.', action: 'A transfer id is chosen once, at the first gateway, for one content; do not reuse it.' },
  FERRY_SAME_NETWORK: { status: 400, title: 'The destination is on the sender\'s own network.', action: 'Ferry carries data between networks; send within your network directly.' },
  FERRY_LABEL_MISSING: { status: 400, title: 'The ferry-label header is missing and the policy names no default label.', action: 'Set ferry-label to public, internal or sensitive.' },
  FERRY_LABEL_INVALID: { status: 400, title: 'The ferry-label header is not one of public, internal, sensitive.', action: 'Set ferry-label to public, internal or sensitive.' },
  FERRY_CLASSIFIED_LABEL: { status: 403, title: 'Classified (涉密) data never crosses this gateway.', action: 'Classified material must use the classified network; do not send it here.' },
  FERRY_FILENAME_INVALID: { status: 400, title: 'The ferry-filename header is not a valid file name.', action: 'Send a plain name (no path, no control characters, at most 255 bytes), percent-encoded UTF-8.' },
  FERRY_ADMIN_CONFLICT: { status: 409, title: 'The transfer is not in a state this action applies to.', action: 'List the transfer again (ferry admin transfers) and act on what is still to deliver.' },
  FERRY_KEY_ROTATION_BUSY: { status: 409, title: 'A rotation of the gateway\'s keys is already under way.', action: 'Wait for it to finish (ferry keys rotate prints the new key); one rotation is enough.' },
  FERRY_QUERY_INVALID: { status: 400, title: 'A query parameter has an invalid value.', action: 'Correct the parameter named in the detail (see the API reference in the README).' },
  FERRY_CONSOLE_BUSY: { status: 503, title: 'The console is already running as many searches, policy replays or deploy checks as it may at once.', action: 'Try again in a few seconds, when the running one has finished.' },
  FERRY_CONSOLE_TIMEOUT: { status: 503, title: 'The search or policy replay ran longer than the console allows, and was stopped.', action: 'Narrow it (a shorter time range, a source, a rule) and try again; ferry log query and ferry policy replay have no such limit.' },
  FERRY_CONSOLE_STREAMS_PER_ADMIN: { status: 429, title: 'This administrator already holds as many live console streams as allowed.', action: 'Close other console tabs or windows; pages still load, only live updates wait.' },
  FERRY_CONSOLE_STREAMS_FULL: { status: 503, title: 'The console holds as many live streams as it may for all administrators.', action: 'Try again later; pages still load, only live updates wait.' },
  FERRY_POLICY_CHANGED: { status: 409, title: 'The policy in force changed after the candidate was edited from it: another deploy or reload came first.', action: 'Open the policy page again, compare your candidate with the policy now in force, and deploy again.' },
  FERRY_POLICY_DEPLOY_FAILED: { status: 409, title: 'The candidate policy was not deployed.', action: 'Read the reason given; correct the candidate and deploy again.' },
  FERRY_HEADER_INVALID: { status: 400, title: 'A request header has an invalid value.', action: 'Correct the header named in the detail.' },
  FERRY_MALFORMED_REQUEST: { status: 400, title: 'The request could not be parsed as HTTP.', action: 'Send a well-formed HTTP/1.1 request.' },
  FERRY_TOO_MANY_CONNECTIONS: { status: 503, title: 'The gateway holds as many connections as it may from this address or on this listener.', action: 'Close idle connections and finish TLS handshakes promptly; try again shortly.' },
  FERRY_TOO_MANY_HEADERS: { status: 431, title: 'The request has more header fields than the gateway reads.', action: 'Send only the headers the API uses (see the README); the limit is limits.max_headers.' },
  FERRY_MISDIRECTED_REQUEST: { status: 421, title: 'The Host header names neither this admin listener\'s address nor one of its configured names.', action: 'Address the admin plane by its configured name or address (admin.listen, admin.hosts).' },
  FERRY_HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large.', action: 'Send fewer or shorter headers.' },
  FERRY_MESSAGE_INVALID: { status: 400, title: 'The message is not a valid Ferry message envelope.', action: 'Send one JSON object per text frame: {"to": "<network>/<system>", "body": "…"} (see the README, Messages).' },
  FERRY_LENGTH_REQUIRED: { status: 411, title: 'The request has neither content-length nor chunked transfer-encoding.', action: 'Declare the body length, or send it chunked.' },
  FERRY_TOO_LARGE: { status: 413, title: 'The body exceeds the size limit for its label.', action: 'Send a smaller file or ask the operator about the limit.' },
  FERRY_BODY_INCOMPLETE: { status: 400, title: 'The body ended before its declared length, or the connection broke during the upload.', action: 'Send the file again; nothing was kept.' },
  FERRY_BODY_TOO_LONG: { status: 400, title: 'More bytes followed the body than content-length declared.', action: 'Send a content-length that matches the body; nothing was kept.' },
  FERRY_IDLE_TIMEOUT: { status: 408, title: 'The upload stalled longer than the idle timeout.', action: 'Send the file again over a working link; nothing was kept.' },
  FERRY_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The declared content type is not acceptable.', action: 'Declare type/subtype with no parameter but charset (and header for text/csv, format and delsp for text/plain, boundary for multipart/*), or a type the policy allows.' },
  FERRY_IDEMPOTENCY_CONFLICT: { status: 409, title: 'This idempotency key was used before for different content or a different destination.', action: 'Use a new idempotency key for a new transfer.' },
  FERRY_UPLOAD_IN_PROGRESS: { status: 409, title: 'An upload with this idempotency key is in progress.', action: 'Wait for it to finish, then ask for its status.' },
  FERRY_POLICY_DENIED: { status: 403, title: 'The policy does not allow this transfer.', action: 'See the rule named in the answer; ask the operator if you think it is wrong.' },
  FERRY_CONTENT_DENIED: { status: 422, title: 'The content was inspected and the policy refused it.', action: 'See the rule and the findings in the answer; remove what was found or ask the operator.' },
  FERRY_RATE_LIMITED: { status: 429, title: 'A rate or volume limit of the policy was reached.', action: 'Wait for the time given in retry-after, then send again.' },
  FERRY_TOO_MANY_UPLOADS: { status: 429, title: 'Too many uploads from this principal are in progress.', action: 'Wait for one of your uploads to finish, then send again.' },
  FERRY_DOWNLOAD_LIMIT: { status: 429, title: 'This transfer has been handed out (downloaded from the inbox, or sent to a subscriber) as many times as the gateway allows.', action: 'Acknowledge the copy you hold (DELETE /v1/inbox/<id>, or an ack frame on the subscription); if it was lost, ask the operator, who can raise delivery.max_downloads or cancel the transfer.' },
  FERRY_BACKLOG_FULL: { status: 429, title: 'The destination\'s backlog on this channel is full: its subscriber is not keeping up.', action: 'Wait for the time given in retry-after, then publish again; nothing was kept.' },
  FERRY_SUBSCRIPTION_UNAVAILABLE: { status: 409, title: 'Messages to this system are not delivered by subscription.', action: 'Ask the operator to set delivery: subscribe for your system in gateway.yaml, or take your messages by push or from the inbox.' },
  FERRY_FRAME_INVALID: { status: 400, title: 'A subscription frame is not valid (close code 4400).', action: 'Send one JSON object per text frame: {"type": "ack", "seq": N} (see docs/channels.md).' },
  FERRY_ACK_AHEAD: { status: 400, title: 'An acknowledgement is past what the gateway sent, or a resume point past the end of the stream (close code 4416).', action: 'Acknowledge only sequences you received; resume with from= at most one past the last sequence you received.' },
  FERRY_SUBSCRIPTION_SUPERSEDED: { status: 409, title: 'A newer subscription to the same channel took over (close code 4409).', action: 'Run one subscriber per system and channel; the newer one receives from the first unacknowledged message.' },
  FERRY_HEARTBEAT_TIMEOUT: { status: 408, title: 'The subscriber did not answer a ping in time (close code 4408).', action: 'Reconnect; unacknowledged messages are sent again from the first unacknowledged sequence.' },
  FERRY_NOT_READY: { status: 503, title: 'The gateway is not ready to accept transfers.', action: 'Try again later; the gateway\'s health endpoint says why.' },
  FERRY_STORAGE_UNAVAILABLE: { status: 503, title: 'The gateway could not store the transfer durably.', action: 'Try again later; nothing was kept.' },
  FERRY_NOT_FOUND: { status: 404, title: 'No such transfer is visible to you.', action: 'Check the transfer id; you can see only your own transfers.' },
  FERRY_ROUTE_NOT_FOUND: { status: 404, title: 'There is no such endpoint.', action: 'See the API reference in the README.' },
  FERRY_METHOD_NOT_ALLOWED: { status: 405, title: 'This method is not allowed on this endpoint.', action: 'See the API reference in the README.' },
  FERRY_INTERNAL: { status: 500, title: 'The gateway failed while handling the request.', action: 'Try again; if it persists, give the operator the transfer id or the time.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A refusal: a stable code, the HTTP status, and a sentence for a person. */
export class FerryError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra members for the problem-details body (rule, findings, retry_after…). */
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'FerryError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.extra = extra;
  }

  /** RFC 9457 problem details. */
  toProblem(instance?: string): Record<string, unknown> {
    const spec = ERROR_CODES[this.code];
    return {
      type: `https://ferry.invalid/errors/${this.code}`,
      title: spec.title,
      status: this.status,
      code: this.code,
      detail: this.message,
      action: spec.action,
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}
