/**
 * `oauth-handoff daemon [NAME... | --all]`: the long-running refresh loop for
 * systemd. Logs one JSON line per event on stdout (human text on a terminal),
 * reloads on SIGHUP, stops cleanly on SIGTERM/SIGINT.
 */
import { isAbsolute } from 'node:path';
import { openStore } from '../../credential/index.js';
import { CODES, EXIT, HandoffError } from '../../errors.js';
import { message } from '../../i18n/index.js';
import type { Message } from '../../i18n/index.js';
import { assertValidName } from '../../settings-file/index.js';
import type { HttpClient } from '../../oauth/index.js';
import type { CommonOptions } from '../common.js';
import { outputOf } from '../common.js';
import { isRefusal } from './instance.js';
import { createDaemonLog, errorText } from './log.js';
import type { LogFormat } from './log.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../defaults.js';
import { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_POLL_MS } from './runtime.js';
import { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, DEFAULT_WARN_BEFORE_MS, parseDuration } from './schedule.js';
import { Metrics, parseListen } from './metrics.js';
import type { DaemonObserver } from './runtime.js';
import { Sinks, parseSinkSpec } from './sinks.js';
import { startDaemon } from './start.js';
import { SystemdNotifier } from './systemd.js';
import type { DaemonHandle } from './start.js';

type Duration = string | number;

export interface DaemonCommandOptions extends CommonOptions {
  /** the credentials to keep fresh */
  names?: string[];
  /** every credential in the store, including ones imported later */
  all?: boolean;
  onFailure?: string;
  onWarning?: string;
  /** durations ("7d", "1d", "12h"; a bare number is seconds); comma-separated lists are split */
  warnBefore?: Duration[];
  keepAliveBefore?: Duration;
  maxRate?: number;
  concurrency?: number;
  backoffBase?: Duration;
  backoffMax?: Duration;
  poll?: Duration;
  httpTimeout?: Duration;
  lockTimeout?: Duration;
  stopTimeout?: Duration;
  /** `NAME=PATH[,format=token|json|header|env][,mode=0640][,group=G][,var=V]`: write the access token there (sinks.ts) */
  sink?: string[];
  /** write Prometheus metrics to this file (node_exporter's textfile collector) */
  metricsFile?: string;
  /** serve Prometheus metrics on [HOST:]PORT (/metrics; 127.0.0.1 unless a host is given) */
  metricsListen?: string;
  /** json, text, or auto (text on a terminal, else json) */
  logFormat?: string;
  verbose?: boolean;
  /** listen to SIGTERM, SIGINT and SIGHUP (default true) */
  handleSignals?: boolean;
  /** stop when aborted (library and tests) */
  signal?: AbortSignal;
  /** called once the daemon runs (library and tests) */
  onStarted?: (d: DaemonHandle) => void;
  http?: HttpClient;
}

const usage = (m: Message) => new HandoffError(m, { code: CODES.USAGE });

function positive(n: number | undefined, what: string): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isFinite(n) || n <= 0) throw usage(message('daemon.error.positive', { option: what }));
  return n;
}

function durations(list: Duration[] | undefined, what: string): number[] | undefined {
  if (!list || list.length === 0) return undefined;
  const out: number[] = [];
  for (const item of list) {
    for (const part of typeof item === 'number' ? [item] : item.split(',')) {
      if (typeof part === 'string' && part.trim() === '') continue;
      out.push(parseDuration(part, what));
    }
  }
  return out;
}

function optDuration(d: Duration | undefined, what: string, fallback: number): number {
  if (d === undefined) return fallback;
  const ms = parseDuration(d, what);
  if (ms <= 0) throw usage(message('daemon.error.longer_than_zero', { option: what }));
  return ms;
}

export async function daemonCommand(o: DaemonCommandOptions): Promise<number> {
  const out = outputOf(o);
  const names = (o.names ?? []).map((n) => assertValidName(n));
  if (names.length > 0 && o.all) throw usage(message('daemon.error.names_and_all'));
  if (names.length === 0 && !o.all) throw usage(message('daemon.error.no_names'));
  const format = o.logFormat ?? 'auto';
  if (format !== 'auto' && format !== 'json' && format !== 'text') throw usage(message('daemon.error.log_format', { value: format }));
  const logFormat: LogFormat = format === 'auto' ? ((out.stdout as { isTTY?: boolean }).isTTY === true ? 'text' : 'json') : format;
  const warnBeforeMs = durations(o.warnBefore, '--warn-before') ?? [...DEFAULT_WARN_BEFORE_MS];
  const options = {
    names: names.length > 0 ? names : undefined,
    onFailure: o.onFailure || undefined,
    onWarning: o.onWarning || undefined,
    warnBeforeMs,
    keepAliveBeforeMs: o.keepAliveBefore === undefined ? undefined : parseDuration(o.keepAliveBefore, '--keep-alive-before'),
    maxRate: positive(o.maxRate, '--max-rate'),
    concurrency: positive(o.concurrency, '--concurrency'),
    backoffBaseMs: optDuration(o.backoffBase, '--backoff-base', DEFAULT_BACKOFF_BASE_MS),
    backoffMaxMs: optDuration(o.backoffMax, '--backoff-max', DEFAULT_BACKOFF_MAX_MS),
    pollMs: optDuration(o.poll, '--poll', DEFAULT_POLL_MS),
    httpTimeoutMs: optDuration(o.httpTimeout, '--http-timeout', DEFAULT_HTTP_TIMEOUT_MS),
    lockTimeoutMs: optDuration(o.lockTimeout, '--lock-timeout', DEFAULT_LOCK_TIMEOUT_MS),
    stopTimeoutMs: o.stopTimeout === undefined ? undefined : parseDuration(o.stopTimeout, '--stop-timeout'),
  };
  if (options.backoffMaxMs < options.backoffBaseMs) throw usage(message('daemon.error.backoff'));

  const sinkSpecs = (o.sink ?? []).map(parseSinkSpec);
  for (const spec of sinkSpecs) {
    if (names.length > 0 && !names.includes(spec.name)) throw usage(message('daemon.error.sink_not_kept', { name: spec.name, names: names.join(', ') }));
  }
  const listen = o.metricsListen === undefined || o.metricsListen === '' ? undefined : parseListen(o.metricsListen);
  if (o.metricsFile !== undefined && !isAbsolute(o.metricsFile)) throw usage(message('daemon.error.metrics_file_relative', { value: o.metricsFile.slice(0, 80) }));

  const store = await openStore(o);
  const log = createDaemonLog({ format: logFormat, stream: out.stdout, verbose: o.verbose === true, i18n: out.i18n });
  const env = o.env ?? process.env;
  const sinks = sinkSpecs.length > 0 ? await Sinks.prepare(sinkSpecs, log) : undefined;
  const metrics = listen || o.metricsFile ? await Metrics.start({ log, listen, file: o.metricsFile || undefined }) : undefined;
  const notifier = SystemdNotifier.fromEnv({ env, log });
  const observers = [sinks, metrics, notifier].filter((x): x is NonNullable<typeof x> => x !== undefined) satisfies DaemonObserver[];
  const settle = async () => {
    await Promise.allSettled([...(sinks?.pending() ?? []), notifier?.pending(), metrics?.close()]);
  };
  let d: DaemonHandle;
  try {
    d = await startDaemon({ ...options, store, home: store.layout.home, log, http: o.http, env: o.env, observers });
  } catch (e) {
    await settle();
    if (!isRefusal(e)) throw e;
    out.info(out.t('cli.error', { message: errorText(e, out.i18n) }));
    out.info(out.t('daemon.refused_hint'));
    return (e as HandoffError).exitCode;
  }

  const handlers: [NodeJS.Signals, () => void][] = [];
  if (o.handleSignals !== false) {
    let signals = 0;
    const stop = () => {
      signals += 1;
      if (signals === 1) void d.stop();
      else {
        // a second SIGTERM/SIGINT: do not wait any longer
        out.info(out.t('daemon.second_signal'));
        process.exit(EXIT.ERROR);
      }
    };
    handlers.push(['SIGTERM', stop], ['SIGINT', stop], ['SIGHUP', () => d.reload()]);
    for (const [sig, h] of handlers) process.on(sig, h);
  }
  const abort = () => void d.stop();
  o.signal?.addEventListener('abort', abort, { once: true });
  if (o.signal?.aborted) abort();
  o.onStarted?.(d);
  try {
    return await d.done;
  } finally {
    await settle();
    for (const [sig, h] of handlers) process.off(sig, h);
    o.signal?.removeEventListener('abort', abort);
  }
}
