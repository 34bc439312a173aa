// The console's routes, on the admin API listener (mutual TLS): the caller
// is already an administrator named by certificate when a request gets here.
// Pages are rendered on the server; a change is a POST from a page of this
// console (same origin and the form token); every view of personal data,
// every export and every change is an audit record naming the administrator,
// written before the answer.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLocale, DEFAULT_LOCALE, type Locale } from '../../../i18n/locale.js';
import type { CompiledPolicy } from '../../../policies/policy-engine.js';
import { FerryError } from '../../../protocol/errors.js';
import { localizedProblem } from '../../../i18n/refusal.js';
import { maskText } from '../../log/mask.js';
import { UUID_RE } from '../../../protocol/ids.js';
import type { AuditRecord } from '../../audit/read-records.js';
import { parseVkey } from '../../audit/signed-note.js';
import { verifyLogFile } from '../../audit/verify.js';
import type { GatewayContext } from '../../context.js';
import { settleFinal } from '../../delivery/settle.js';
import { requestWithdrawal } from '../../delivery/withdraw.js';
import type { HealthReport } from '../health-checks.js';
import type { Administrator } from '../administrator.js';
import type { ReloadAsker, ReloadReport } from '../reload.js';
import { PolicyDeployError, type PolicyControl } from '../policy-deploy.js';
import type { PreparedPolicy } from '../../../policies/load-policy.js';
import { CSS, JS } from './console-assets.js';
import { CsrfTokens, crossSiteRefused, mayDo, mayOpen, sameOrigin, type ConsoleAction, type Page } from './console-access.js';
import { ConsoleJobs, JobCancelled } from './console-jobs.js';
import type { Checked } from './jobs-worker.js';
import { ADMIN_ACTIONS_PAGE, ConsoleQueries, type Page as RecordPage } from './console-queries.js';
import { parseCursor } from './log-pages.js';
import { ConsoleStats } from './console-stats.js';
import { layout, makeView, type View } from './console-view.js';
import { exportRange } from './console-evidence.js';
import { html, type Html } from './html.js';
import { auditPage, type LastVerify } from './page-audit.js';
import { overviewLive, overviewPage, type OverviewData } from './page-overview.js';
import { MAX_SHOWN, policyPage, type Candidate, type Notice } from './page-policy.js';
import { systemPage, type Listeners } from './page-system.js';
import { checkReceipt, toFilter, transferPage, transfersPage } from './page-transfers.js';
import { hopsSection, type ReportedHop } from './page-transfer-hops.js';
import { hopsOf } from '../../audit/trace-hops.js';
import type { Receipt } from '../../../protocol/receipt.js';

export interface ConsoleDeps {
  ctx: GatewayContext;
  health(): Promise<HealthReport>;
  reload(by: string, asker?: ReloadAsker): Promise<ReloadReport>;
  policy(): PolicyControl | null;
  ports(): Listeners;
  /** A refusal of an administrator's request (role, origin, token): an audit record (admin-refusals.ts), durable when it resolves. */
  refused?(req: IncomingMessage, who: Administrator, refusal: FerryError): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;
/** Live overview streams last at most an hour each; how many at once is admin.streams_per_admin and admin.streams. */
const STREAM_EVERY_MS = 5000;
const STREAM_MAX_SENDS = 720;

function sendHtml(res: ServerResponse, status: number, page: Html): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Only this console's own files; no inline script, no frames, no form sent elsewhere.
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-content-type-options': 'nosniff',
    // Not no-referrer: with it Chromium sends "Origin: null" on a form POST, and the same-origin check needs the origin.
    'referrer-policy': 'same-origin',
  }).end(page.text);
}

function redirect(res: ServerResponse, to: string): void {
  res.writeHead(303, { location: to, 'cache-control': 'no-store' }).end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new FerryError('FERRY_QUERY_INVALID', 'a console form is sent as application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new FerryError('FERRY_QUERY_INVALID', 'the form is larger than 2 MiB');
    chunks.push(c);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function localeOf(req: IncomingMessage): Locale {
  // A preference, not authority: the only cookie the console reads.
  const m = /(?:^|;\s*)ferry_lang=([A-Za-z-]+)/.exec(req.headers.cookie ?? '');
  return m && isLocale(m[1]!) ? m[1] : DEFAULT_LOCALE;
}

/** Decisions a console replay reads at most (on its worker thread, within its time limit). `ferry policy replay` reads them all. */
export const REPLAY_WINDOW = 200_000;

/** Aborts when the browser goes away before the answer is written. */
function goneSignal(res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) ac.abort();
  });
  return ac.signal;
}

export class Console {
  #d: ConsoleDeps;
  #q: ConsoleQueries;
  #csrf = new CsrfTokens();
  #lastVerify: LastVerify | null = null;
  #verifying: Promise<void> | null = null;
  #progress: { done: number; total: number; by: string } | null = null;
  #streams = 0;
  #streamsBy = new Map<string, number>();
  #jobs: ConsoleJobs;
  #timers = new Set<NodeJS.Timeout>();
  #candidates = new Map<string, Candidate>();
  #stats: ConsoleStats;

  constructor(deps: ConsoleDeps) {
    this.#d = deps;
    this.#q = new ConsoleQueries(join(deps.ctx.config.dataDir, 'audit.db'));
    this.#stats = new ConsoleStats(join(deps.ctx.config.dataDir, 'audit.db'));
    this.#jobs = new ConsoleJobs(join(deps.ctx.config.dataDir, 'audit.db'));
  }

  close(): void {
    for (const t of this.#timers) clearInterval(t);
    void this.#q.close();
    void this.#stats.close();
    void this.#jobs.close();
  }

  async handle(req: IncomingMessage, res: ServerResponse, who: Administrator): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://console.invalid');
    const path = url.pathname;
    if (crossSiteRefused(req, path)) {
      await this.#d.refused?.(req, who, new FerryError('FERRY_FORBIDDEN', `The request came from another site (Sec-Fetch-Site: ${req.headers['sec-fetch-site']}).`));
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Refused: this request came from another site; open the console from its own address.\n');
      return;
    }
    if (path === '/console/assets/console.css') return this.#asset(res, 'text/css', CSS);
    if (path === '/console/assets/console.js') return this.#asset(res, 'text/javascript', JS);
    const locale = localeOf(req);
    const v = makeView(locale, who, this.#csrf.tokenFor(who.uri), this.#d.ctx.config.admin?.timeZone ?? 'UTC', this.#d.ctx.config.name, path + url.search);
    try {
      if (req.method === 'GET') return await this.#get(req, res, v, path, url.searchParams);
      if (req.method === 'POST') {
        const form = await readForm(req);
        const origin = sameOrigin(req);
        if (!origin || !this.#csrf.check(who.uri, form.get('csrf') ?? undefined)) {
          await this.#d.refused?.(req, who, new FerryError('FERRY_FORBIDDEN', origin ? 'The form carried no valid token of this administrator.' : 'The change did not come from a page of this console (Origin, Sec-Fetch-Site).'));
          return sendHtml(res, 403, layout(v, null, v.m.badRequest.title, html`<p class="bad">${v.m.badRequest.origin}</p>`));
        }
        return await this.#post(res, v, path, form);
      }
      res.writeHead(405, { allow: 'GET, POST' }).end();
    } catch (err) {
      if (err instanceof Forbidden) {
        await this.#d.refused?.(req, who, new FerryError('FERRY_FORBIDDEN', `The role ${who.role} may not ${err.message}.`));
        return sendHtml(res, 403, layout(v, null, v.m.forbidden.title, html`<p class="bad">${v.t('forbidden.body', { role: v.m.roles[who.role] })}</p>`));
      }
      // Nobody is waiting for the answer.
      if (err instanceof JobCancelled) return void res.destroy();
      if (err instanceof FerryError && !res.headersSent) {
        // Recorded as refused unless the action's own record said so already (a busy job, a stream refused).
        if (!RECORDED.has(err)) await this.#d.refused?.(req, who, err);
        return this.#refusal(res, v, err);
      }
      throw err;
    }
  }

  /** A refusal as a page in the reader's language, its stable code beside the sentence. */
  #refusal(res: ServerResponse, v: View, err: FerryError): void {
    const p = localizedProblem(err, v.locale);
    if (typeof err.extra.retry_after === 'number') res.setHeader('retry-after', Math.max(1, Math.ceil(err.extra.retry_after)));
    res.setHeader('ferry-code', err.code);
    const detail = String(p.detail) === String(p.title) ? '' : html`<p>${maskText(String(p.detail))}</p>`;
    sendHtml(res, err.status, layout(v, null, String(p.title), html`<p class="bad" id="refusal">${String(p.title)} <code>${err.code}</code></p>${detail}<p>${String(p.action)}</p>`));
  }

  /** A page of the administrators' actions, for the admin API (the auditor's; the caller checks the role). */
  adminActions(limit: number, before?: string): Promise<{ rows: AuditRecord[]; next: string | null }> {
    return this.#q.adminActions(limit, before);
  }

  #asset(res: ServerResponse, type: string, body: string): void {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).end(body);
  }

  async #record(v: View, action: ConsoleAction | 'view-transfer' | 'events', details: Record<string, unknown> = {}, transferId?: string): Promise<void> {
    await this.#d.ctx.audit.append({ event: 'admin-action', principal: v.who.uri, ...(transferId ? { transferId } : {}), details: { action, role: v.who.role, via: 'console', ...details } });
  }

  async #get(req: IncomingMessage, res: ServerResponse, v: View, path: string, q: URLSearchParams): Promise<void> {
    if (path === '/' || path === '/console') return redirect(res, '/console/');
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (path === '/console/lang') {
      const to = q.get('to') ?? '';
      const back = q.get('back') ?? '/console/';
      // Only back into the console: never an open redirect.
      const safe = back.startsWith('/console/') && !back.startsWith('//') ? back : '/console/';
      res.writeHead(303, { location: safe, 'set-cookie': `ferry_lang=${isLocale(to) ? to : DEFAULT_LOCALE}; Path=/console; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000`, 'cache-control': 'no-store' }).end();
      return;
    }
    if (path === '/console/') return sendHtml(res, 200, layout(v, 'overview', v.m.overview.title, overviewPage(v, await this.#overview())));
    if (path === '/console/events') return await this.#events(req, res, v);
    if (path === '/console/transfers') {
      this.#need(v, 'transfers', 'view-transfers');
      const { form, filter, bad } = toFilter(q, v.who.role === 'auditor');
      const before = q.get('before') ?? '';
      const query = new URLSearchParams(Object.entries(form) as [string, string][]).toString();
      await this.#record(v, 'view-transfers', { query });
      // On a worker thread: a search by code or finding walks records the index cannot skip.
      const page = await this.#refusedRecorded(v, 'view-transfers', { query }, () => this.#jobs.run<RecordPage>({ op: 'search', filter, ...(parseCursor(before) ? { before } : {}) }, goneSignal(res)));
      return sendHtml(res, 200, layout(v, 'transfers', v.m.transfers.title, transfersPage(v, form, bad, page)));
    }
    const t = /^\/console\/transfers\/([^/]+)$/.exec(path);
    if (t) {
      this.#need(v, 'transfers', 'view-transfers');
      const id = t[1]!;
      const records = UUID_RE.test(id) ? await this.#q.transfer(id, v.who.role !== 'auditor') : [];
      if (!records.length) return sendHtml(res, 404, layout(v, 'transfers', v.m.notFound.title, html`<p>${v.m.notFound.body}</p>`));
      await this.#record(v, 'view-transfer', {}, id);
      const row = await this.#d.ctx.queue.get(id);
      // Receipts signed before a key rotation check with the retired key.
      const key = [this.#d.ctx.keys.signingPublicKey, ...this.#d.ctx.keys.retiredSigning];
      // A relayed transfer's delivered receipt is the last gateway's: checked with that peer's keys.
      const keysFor = (r: Receipt | null) => {
        const signer = r?.gateway;
        const name = typeof signer === 'string' && signer.startsWith('ferry://gateway/') ? signer.slice('ferry://gateway/'.length) : undefined;
        const peer = name && name !== this.#d.ctx.config.name ? this.#d.ctx.config.routing.peers.get(name) : undefined;
        return peer ? this.#d.ctx.peerKeys.keysOf(peer.name, peer.keys, peer.followRotation) : key;
      };
      const receipts = { accepted: checkReceipt(row?.receiptAccepted ?? null, key), delivered: checkReceipt(row?.receiptDelivered ?? null, keysFor(row?.receiptDelivered ?? null)) };
      // The path across gateways, read as `ferry log trace` reads it, from this gateway's records.
      const here = this.#d.ctx.config.name;
      const steps = hopsOf(records.map((record) => ({ time: record.time, gateway: here, db: 'audit.db', record })));
      const reported = new Map<string, ReportedHop>((row?.hops ?? []).map((h) => [h.gateway.replace(/^ferry:\/\/gateway\//, ''), { state: h.state, time: h.time }]));
      return sendHtml(res, 200, layout(v, 'transfers', v.t('transfers.timeline', { id: id.slice(0, 8) }), transferPage(v, id, records, receipts, hopsSection(v, steps, reported, here))));
    }
    if (path === '/console/audit') {
      this.#need(v, 'audit', 'view-admin-actions');
      const before = cursor(q.get('before'));
      await this.#record(v, 'view-admin-actions', before ? { before } : {});
      return sendHtml(res, 200, layout(v, 'audit', v.m.audit.title, auditPage(v, await this.#q.latestCheckpoint(), this.#lastVerify, await this.#q.adminActions(ADMIN_ACTIONS_PAGE, before), before !== undefined, this.#progress)));
    }
    if (path === '/console/policy') {
      this.#need(v, 'policy');
      const c = q.get('candidate');
      const candidate = c ? this.#candidates.get(`${v.who.uri} ${c}`) ?? null : null;
      return await this.#policy(res, v, candidate, null);
    }
    if (path === '/console/system') {
      this.#need(v, 'system');
      return await this.#system(res, v, null);
    }
    return sendHtml(res, 404, layout(v, null, v.m.notFound.title, html`<p>${v.m.notFound.body}</p>`));
  }

  async #post(res: ServerResponse, v: View, path: string, form: URLSearchParams): Promise<void> {
    const by = v.who.uri;
    if (path === '/console/audit/verify') {
      this.#need(v, 'audit', 'verify');
      await this.#record(v, 'verify');
      // A small log is verified before the answer; a big one goes on, and the page shows its progress.
      const run = this.#verify(by);
      run.catch(() => undefined); // logged where it runs
      await Promise.race([run, new Promise((r) => setTimeout(r, 3000).unref())]);
      return redirect(res, '/console/audit');
    }
    if (path === '/console/audit/export') {
      this.#need(v, 'audit', 'export');
      const { filter, bad } = toFilter(new URLSearchParams({ since: form.get('since') ?? '', until: form.get('until') ?? '' }), v.who.role === 'auditor');
      if (bad.length || !filter.since) throw new FerryError('FERRY_QUERY_INVALID', `'since' (and 'until', if given) must be times: ISO 8601, or 24h, 7d`);
      const range = { since: filter.since, ...(filter.until ? { until: filter.until } : {}) };
      await this.#record(v, 'export', range);
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-disposition': `attachment; filename="ferry-${this.#d.ctx.config.name}-evidence.jsonl"`, 'cache-control': 'no-store' });
      // One line at a time, waiting for the socket: a large range is never held whole.
      for await (const line of exportRange(await this.#q.log(), range, by)) if (!res.write(line)) await new Promise((r) => res.once('drain', r));
      res.end();
      return;
    }
    if (path === '/console/policy/replay') {
      this.#need(v, 'policy', 'replay');
      const text = (form.get('text') ?? '').replace(/\r\n/g, '\n');
      const control = this.#d.policy();
      const file = control?.holder.path ?? 'candidate.yaml';
      // The policy in force when the candidate was edited: its deploy names it.
      const base = form.get('base') ?? '';
      // On a worker thread: checked, then replayed over at most REPLAY_WINDOW decisions, within
      // a time limit; stopped if the browser goes away.
      const checked = await this.#refusedRecorded(v, 'replay', {}, () => this.#jobs.run<Checked>({ op: 'replay', text, path: file, last: REPLAY_WINDOW, keep: MAX_SHOWN }, goneSignal(res)));
      const { hash, problems, replay } = checked;
      await this.#record(v, 'replay', { hash, valid: Boolean(replay), ...(replay ? { counts: replay.counts } : {}) });
      const candidate: Candidate = { text, hash, base, problems, replay };
      // Kept for the redirect's page; one per administrator.
      for (const k of this.#candidates.keys()) if (k.startsWith(`${by} `)) this.#candidates.delete(k);
      this.#candidates.set(`${by} ${hash}`, candidate);
      return redirect(res, `/console/policy?candidate=${hash}`);
    }
    if (path === '/console/policy/deploy') {
      this.#need(v, 'policy', 'deploy');
      const control = this.#d.policy();
      const text = (form.get('text') ?? '').replace(/\r\n/g, '\n');
      const base = (form.get('base') ?? '').trim();
      // Why, in the administrator's words: free text, so masked like every other.
      const note = maskText((form.get('note') ?? '').trim().slice(0, 500));
      const why = { base, ...(note ? { note } : {}) };
      let notice: Notice;
      try {
        if (!control) throw new PolicyDeployError(v.m.policy.noPolicy);
        if (!base) throw new FerryError('FERRY_QUERY_INVALID', "A deploy names the policy its candidate was edited from ('base', the hash shown on the policy page).");
        // Checked on a worker thread: the event loop keeps answering uploads and probes meanwhile.
        const gone = goneSignal(res);
        const r = await control.deploy(text, by, base, (t, p) => this.#jobs.run<PreparedPolicy>({ op: 'check', text: t, path: p }, gone));
        await this.#record(v, 'deploy', { hash: r.hash, kept: r.kept, ...why });
        notice = { ok: true, text: v.t('policy.deployed', { hash: r.hash.slice(0, 16), kept: r.kept }) };
      } catch (err) {
        // Every attempt is recorded, the refused and the failed too, with who and why.
        if (err instanceof JobCancelled) {
          await this.#record(v, 'deploy', { cancelled: true, ...why });
          throw err;
        }
        const code = err instanceof FerryError ? err.code : 'FERRY_POLICY_DEPLOY_FAILED';
        if (!(err instanceof FerryError) && !(err instanceof PolicyDeployError)) this.#d.ctx.log.error({ err }, 'console: a policy deploy failed');
        const reason = err instanceof FerryError || err instanceof PolicyDeployError ? err.message : `the gateway could not write or load the policy (${(err as Error).message})`;
        await this.#record(v, 'deploy', { refused: reason, code, ...why });
        notice = { ok: false, code, text: v.t('policy.deployFailed', { reason: err instanceof FerryError ? String(localizedProblem(err, v.locale).title) + ' ' + reason : reason }) };
      }
      return await this.#policy(res, v, null, notice);
    }
    if (path === '/console/reload') {
      this.#need(v, 'policy', 'reload');
      // reloadGateway writes its own admin-action record naming who.
      const r = await this.#d.reload(by, { role: v.who.role, via: 'console' });
      const list = (a: string[]) => (a.length ? a.join(', ') : v.m.none);
      return await this.#policy(res, v, null, { ok: r.ok, text: r.applied ? v.t('policy.reloaded', { changed: list(r.changed), restart: list(r.restart_needed), problems: list(r.problems) }) : v.t('policy.reloadRefused', { problems: list(r.problems) }) });
    }
    const act = /^\/console\/system\/(retry|cancel)$/.exec(path);
    if (act) {
      const action = act[1] as 'retry' | 'cancel';
      this.#need(v, 'system', action);
      return await this.#system(res, v, await this.#act(v, action, form.get('id') ?? ''));
    }
    return sendHtml(res, 404, layout(v, null, v.m.notFound.title, html`<p>${v.m.notFound.body}</p>`));
  }

  /** A job's refusal (busy, too long) is an audit record too, then the answer. */
  async #refusedRecorded<T>(v: View, action: ConsoleAction, details: Record<string, unknown>, job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } catch (err) {
      if (err instanceof FerryError) {
        await this.#record(v, action, { ...details, refused: err.code });
        RECORDED.add(err);
      }
      else if (err instanceof JobCancelled) await this.#record(v, action, { ...details, cancelled: true });
      throw err;
    }
  }

  #need(v: View, page: Page, action?: ConsoleAction): void {
    if (!mayOpen(v.who.role, page)) throw new Forbidden(`open the page ${page}`);
    if (action && !mayDo(v.who.role, action)) throw new Forbidden(action);
  }

  async #overview(): Promise<OverviewData> {
    const health = await this.#d.health();
    return { stats: await this.#stats.overview(), queue: await this.#d.ctx.queue.countsByState(), health, expiries: this.#d.ctx.trust.expiries(), now: Date.now() };
  }

  async #events(req: IncomingMessage, res: ServerResponse, v: View): Promise<void> {
    const uri = v.who.uri;
    const perAdmin = this.#d.ctx.config.admin?.streamsPerAdmin ?? 4;
    const total = this.#d.ctx.config.admin?.streams ?? 16;
    const mine = this.#streamsBy.get(uri) ?? 0;
    const refusal = mine >= perAdmin
      ? new FerryError('FERRY_CONSOLE_STREAMS_PER_ADMIN', `${uri} already holds ${mine} live streams (admin.streams_per_admin: ${perAdmin}).`, { retry_after: 30 })
      : this.#streams >= total ? new FerryError('FERRY_CONSOLE_STREAMS_FULL', `The console already holds ${this.#streams} live streams (admin.streams: ${total}).`, { retry_after: 30 }) : null;
    if (refusal) {
      await this.#record(v, 'events', { refused: refusal.code });
      RECORDED.add(refusal);
      throw refusal;
    }
    this.#streamsBy.set(uri, mine + 1);
    this.#streams++;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    let sends = 0;
    const send = async () => {
      const fragment = overviewLive(v, await this.#overview());
      res.write(`event: overview\ndata: ${JSON.stringify({ html: fragment.text })}\n\n`);
      if (++sends >= STREAM_MAX_SENDS) stop();
    };
    const timer = setInterval(() => void send().catch(() => stop()), STREAM_EVERY_MS);
    this.#timers.add(timer);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      this.#timers.delete(timer);
      this.#streams--;
      const left = (this.#streamsBy.get(uri) ?? 1) - 1;
      if (left > 0) this.#streamsBy.set(uri, left);
      else this.#streamsBy.delete(uri);
      res.end();
    };
    // The response's close, not the request's: a request's 'close' comes once its (empty) body is read.
    res.on('close', stop);
    res.write('retry: 10000\n\n');
    void send().catch(() => stop());
  }

  async #verify(by: string): Promise<void> {
    // One run at a time; a second request waits for the same run.
    if (!this.#verifying) {
      this.#verifying = (async () => {
        const dir = this.#d.ctx.config.dataDir;
        const verifiers = readFileSync(join(dir, 'keys', 'audit.vkey'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => parseVkey(l.trim()));
        this.#progress = { done: 0, total: 0, by };
        const report = await verifyLogFile(join(dir, 'audit.db'), { verifiers, onProgress: (done, total) => { this.#progress = { done, total, by }; } });
        this.#lastVerify = { report, at: new Date().toISOString(), by };
      })().finally(() => {
        this.#verifying = null;
        this.#progress = null;
      });
      // Nobody may be waiting (the page went on): a failure to run is kept as the result's absence, and logged.
      this.#verifying.catch((err: unknown) => this.#d.ctx.log.error({ err }, 'console: the audit log verification could not run'));
    }
    await this.#verifying;
  }

  async #policy(res: ServerResponse, v: View, candidate: Candidate | null, notice: Notice | null): Promise<void> {
    const control = this.#d.policy();
    const current = control?.holder.current as CompiledPolicy | undefined;
    const rules = current?.rules ?? [];
    const [hits, shadow] = await Promise.all([this.#stats.ruleHits(), rules.some((r) => r.mode === 'shadow') ? this.#stats.shadowHits() : new Map<string, Record<string, number>>()]);
    const state = {
      name: current?.name ?? null, hash: current?.hash ?? this.#d.ctx.policy.current.hash, file: control?.holder.path ?? null,
      rules, hits, shadow,
    };
    sendHtml(res, notice && !notice.ok ? 409 : 200, layout(v, 'policy', v.m.policy.title, policyPage(v, state, candidate, notice)));
  }

  async #system(res: ServerResponse, v: View, notice: Notice | null): Promise<void> {
    const waiting = await this.#d.ctx.queue.list({ principal: null, states: ['queued', 'forwarding'], limit: 200 });
    sendHtml(res, notice && !notice.ok ? 409 : 200, layout(v, 'system', v.m.system.title, systemPage(v, this.#d.ctx.config, this.#d.ports(), waiting, notice)));
  }

  async #act(v: View, action: 'retry' | 'cancel', id: string): Promise<Notice> {
    const ctx = this.#d.ctx;
    const row = UUID_RE.test(id) ? await ctx.queue.get(id) : undefined;
    const base = row && { event: 'admin-action' as const, transferId: id, principal: v.who.uri, source: row.source, destination: row.destination };
    // Relayed: cancelled by withdrawing it from the next gateway (delivery/withdraw.ts), as in the admin API.
    if (row && base && action === 'cancel' && row.state === 'relayed' && !row.withdrawal) {
      await ctx.audit.append({ ...base, details: { action, role: v.who.role, via: 'console' } });
      await requestWithdrawal(ctx, row, 'failed', `cancelled by the administrator ${v.who.uri}`, { cancelled_by: v.who.uri });
      return { ok: true, text: v.t('system.cancelled', { id }) };
    }
    if (!row || !base || (row.state !== 'queued' && row.state !== 'forwarding')) return { ok: false, text: v.t('system.refused', { reason: `${id}: ${row?.state ?? v.m.notFound.title}` }) };
    if (action === 'retry') {
      if (!(await ctx.queue.retryNow(id))) return { ok: false, text: v.t('system.refused', { reason: `${id}: ${v.m.states.forwarding}` }) };
      await ctx.audit.append({ ...base, details: { action, role: v.who.role, via: 'console' } });
      ctx.wakeForwarder();
      return { ok: true, text: v.t('system.retried', { id }) };
    }
    // Being handed to the next gateway now: it could still be delivered there (as in the admin API).
    if (row.state === 'forwarding' && row.nextHop) return { ok: false, text: v.t('system.refused', { reason: `${id}: ${v.m.states.forwarding}` }) };
    await ctx.audit.append({ ...base, details: { action, role: v.who.role, via: 'console' } });
    await settleFinal(ctx, row, 'failed', `cancelled by the administrator ${v.who.uri}`, { cancelled_by: v.who.uri });
    return { ok: true, text: v.t('system.cancelled', { id }) };
  }
}

class Forbidden extends Error {}
/** Refusals an action's own admin-action record names already: not recorded again as a refusal. */
const RECORDED = new WeakSet<FerryError>();

/** A page cursor: the seq the previous page ended at. */
function cursor(text: string | null): string | undefined {
  if (text === null || text === '') return undefined;
  if (!parseCursor(text)) throw new FerryError('FERRY_QUERY_INVALID', "'before' must be the cursor of a page (a record's sequence number, or segment:sequence in a sealed segment).");
  return text;
}
