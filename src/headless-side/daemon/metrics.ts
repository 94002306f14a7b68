/**
 * Prometheus metrics of the daemon: a textfile for node_exporter's textfile
 * collector (`--metrics-file`, replaced atomically) and/or an HTTP endpoint
 * (`--metrics-listen [HOST:]PORT`, `/metrics`, on 127.0.0.1 unless a host is
 * given). Per credential: seconds until the access and refresh tokens
 * expire, refreshes and failures by reason, the state as a labelled gauge,
 * the time of the last refresh; for the process: the refresh queue and the
 * up time. Names, labels and values only: never a token.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CODES, HandoffError } from '../../errors.js';
import { message } from '../../i18n/index.js';
import { errorText } from './log.js';
import type { DaemonLog } from './log.js';
import type { DaemonObserver, DaemonView } from './runtime.js';
import { writeSinkFile } from './sinks.js';
import type { DaemonCredentialState } from './state-file.js';

export const METRIC_PREFIX = 'oauth_handoff_';
export const STATES: readonly DaemonCredentialState[] = ['scheduled', 'retrying', 'failing', 'reauthorization_required', 'client_rejected', 'not_refreshable', 'unreadable'];
/** How often the textfile is rewritten (besides after every change): the "seconds until" gauges move. */
const FILE_EVERY_MS = 10_000;
const FILE_DEBOUNCE_MS = 500;

export interface MetricsListen {
  host: string;
  port: number;
}

/** `PORT`, `HOST:PORT` or `[IPv6]:PORT`; the host defaults to 127.0.0.1. */
export function parseListen(text: string): MetricsListen {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw new HandoffError(message('daemon.error.bad_listen', { value: text.slice(0, 60) }), { code: CODES.USAGE });
  const host = m[1] === undefined ? '127.0.0.1' : m[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

export interface MetricsOptions {
  log: DaemonLog;
  file?: string;
  listen?: MetricsListen;
}

type PromClient = typeof import('prom-client');

export class Metrics implements DaemonObserver {
  private readonly o: MetricsOptions;
  private readonly registry: InstanceType<PromClient['Registry']>;
  private readonly refreshes: InstanceType<PromClient['Counter']>;
  private readonly failures: InstanceType<PromClient['Counter']>;
  private readonly known = new Set<string>();
  /** the label sets each counter has, per credential (to remove them when it is forgotten) */
  private readonly labelsSeen = new Map<InstanceType<PromClient['Counter']>, Map<string, Set<string>>>();
  private readonly startedAt = Date.now();
  private view?: DaemonView;
  private server?: Server;
  private fileTimer?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(prom: PromClient, o: MetricsOptions) {
    this.o = o;
    const registry = new prom.Registry();
    this.registry = registry;
    const entries = () => [...(this.view?.entries() ?? [])];
    const perCredential = (name: string, help: string, value: (e: ReturnType<typeof entries>[number], now: number) => number | undefined) =>
      new prom.Gauge({
        name: METRIC_PREFIX + name,
        help,
        labelNames: ['credential'],
        registers: [registry],
        collect() {
          this.reset();
          const now = Date.now();
          for (const e of entries()) {
            if (!e.loaded) continue;
            const v = value(e, now);
            if (v !== undefined) this.set({ credential: e.name }, v);
          }
        },
      });
    perCredential('access_token_expires_in_seconds', 'Seconds until the stored access token expires (negative once expired).', (e, now) =>
      e.expiresAt === undefined ? undefined : (e.expiresAt - now) / 1000,
    );
    perCredential('refresh_token_expires_in_seconds', 'Seconds until the refresh token expires, where the provider says when.', (e, now) =>
      e.rtExpiresAt === undefined || !e.hasRefreshToken ? undefined : (e.rtExpiresAt - now) / 1000,
    );
    perCredential('last_refresh_timestamp_seconds', 'When the stored access token was obtained (the last refresh, by this daemon or another process), in Unix time.', (e) =>
      e.obtainedAtMs > 0 ? e.obtainedAtMs / 1000 : undefined,
    );
    new prom.Gauge({
      name: `${METRIC_PREFIX}credential_state`,
      help: 'The daemon state of each credential: 1 for the current state, 0 for the others.',
      labelNames: ['credential', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const e of entries()) {
          if (!e.loaded) continue;
          for (const s of STATES) this.set({ credential: e.name, state: s }, e.status === s ? 1 : 0);
        }
      },
    });
    this.refreshes = new prom.Counter({
      name: `${METRIC_PREFIX}refreshes_total`,
      help: 'Refreshes made by this daemon, by reason (refresh, keep_alive, retry).',
      labelNames: ['credential', 'reason'],
      registers: [registry],
    });
    this.failures = new prom.Counter({
      name: `${METRIC_PREFIX}refresh_failures_total`,
      help: 'Failed refresh attempts, by reason (the OAuth error, e.g. invalid_grant, or the error code, e.g. provider_unavailable).',
      labelNames: ['credential', 'reason'],
      registers: [registry],
    });
    const view = () => this.view;
    new prom.Gauge({
      name: `${METRIC_PREFIX}daemon_queue_length`,
      help: 'Refreshes that are due and waiting for --max-rate or --concurrency.',
      registers: [registry],
      collect() {
        this.set(view()?.queueLength() ?? 0);
      },
    });
    const startedAt = this.startedAt;
    new prom.Gauge({
      name: `${METRIC_PREFIX}daemon_uptime_seconds`,
      help: 'Seconds since the daemon started.',
      registers: [registry],
      collect() {
        this.set((Date.now() - startedAt) / 1000);
      },
    });
    new prom.Gauge({ name: `${METRIC_PREFIX}daemon_start_time_seconds`, help: 'When the daemon started, in Unix time.', registers: [registry] }).set(startedAt / 1000);
  }

  /** Loads prom-client and, with `listen`, starts serving `/metrics` (fails when the port is taken). */
  static async start(o: MetricsOptions): Promise<Metrics> {
    const m = new Metrics(await import('prom-client'), o);
    if (o.listen) await m.listen(o.listen);
    return m;
  }

  private listen(l: MetricsListen): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('see /metrics\n');
        return;
      }
      this.render().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
        () => res.writeHead(500).end(),
      );
    });
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new HandoffError(e.code === 'EADDRINUSE' ? message('daemon.error.port_in_use', { host: l.host, port: l.port }) : message('daemon.error.cannot_listen', { host: l.host, port: l.port, error: e.message }), { code: CODES.USAGE, cause: e })),
      );
      server.listen(l.port, l.host, () => {
        this.server = server;
        const a = server.address() as AddressInfo;
        const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/metrics`;
        this.o.log('info', 'metrics', (t) => t.t('daemon.metrics_serving', { url }), { address: a.address, port: a.port });
        if (!isLoopback(l.host)) this.o.log('warning', 'metrics', (t) => t.t('daemon.metrics_exposed', { host: l.host }));
        resolve();
      });
    });
  }

  /** The address actually listened on (port 0 picks one). */
  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  attach(view: DaemonView): void {
    this.view = view;
  }

  ready(): void {
    this.seen();
    if (this.o.file) {
      this.scheduleFile(0);
      this.fileTimer = setInterval(() => this.scheduleFile(0), FILE_EVERY_MS);
      this.fileTimer.unref();
    }
  }

  changed(): void {
    this.seen();
    this.scheduleFile(FILE_DEBOUNCE_MS);
  }

  refreshed(name: string, reason: string): void {
    this.count(this.refreshes, name, reason.replaceAll('-', '_'));
  }

  failed(name: string, reason: string): void {
    this.count(this.failures, name, reason);
  }

  /** A forgotten credential's counters go too (its gauges go at the next scrape). */
  withdraw(name: string, why: string): void {
    if (why !== 'removed') return;
    for (const [counter, byName] of this.labelsSeen) {
      for (const reason of byName.get(name) ?? []) counter.remove({ credential: name, reason });
      byName.delete(name);
    }
    this.known.delete(name);
  }

  private count(counter: InstanceType<PromClient['Counter']>, name: string, reason: string, by = 1): void {
    counter.inc({ credential: name, reason }, by);
    let byName = this.labelsSeen.get(counter);
    if (!byName) this.labelsSeen.set(counter, (byName = new Map()));
    const reasons = byName.get(name) ?? new Set<string>();
    reasons.add(reason);
    byName.set(name, reasons);
  }

  /** Counters start at 0 for every credential (so `rate()` and `increase()` see the first one). */
  private seen(): void {
    for (const e of this.view?.entries() ?? []) {
      if (this.known.has(e.name) || !e.loaded) continue;
      this.known.add(e.name);
      this.count(this.refreshes, e.name, 'refresh', 0);
    }
  }

  private scheduleFile(ms: number): void {
    const file = this.o.file;
    if (!file || this.closed || (this.debounce && ms > 0)) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.writing = this.writing
        .then(async () => writeSinkFile(file, await this.render(), 0o644))
        .catch((e: unknown) => this.o.log('warning', 'metrics', (t) => t.t('daemon.metrics_file_failed', { file, error: errorText(e, t) })));
    }, ms);
  }

  /** Stop serving; write the file a last time. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.fileTimer) clearInterval(this.fileTimer);
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    if (this.o.file) {
      const file = this.o.file;
      this.writing = this.writing.then(async () => writeSinkFile(file, await this.render(), 0o644)).catch(() => undefined);
    }
    this.closed = true;
    await this.writing;
    const server = this.server;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
