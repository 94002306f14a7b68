/**
 * The daemon's event log: one JSON object per line on stdout (journald keeps
 * each line as one entry), or one human line per event when stdout is a
 * terminal. Fields are names, states, times, codes and messages; never a
 * token, secret or passphrase (messages come from HandoffError, whose texts
 * carry none).
 */
import type { Writable } from 'node:stream';
import { escapeControls, escapeLine, terminalSafeJson } from '../../terminal/index.js';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
export type LogFormat = 'json' | 'text';

/** Every event the daemon logs, by `event`. */
export type DaemonEvent =
  | 'started'
  | 'ready'
  | 'added'
  | 'removed'
  | 'changed'
  | 'missing'
  | 'scheduled'
  | 'refreshed'
  | 'skipped'
  | 'retrying'
  | 'recovered'
  | 'failing'
  | 'reauthorization_required'
  | 'client_rejected'
  | 'not_refreshable'
  | 'unreadable'
  | 'refresh_token_expiring'
  | 'client_secret_expiring'
  | 'keep_alive'
  | 'behind'
  | 'hook'
  | 'hook_failed'
  | 'reloading'
  | 'stopping'
  | 'stopped'
  | 'lock_lost'
  | 'sink_written'
  | 'sink_removed'
  | 'sink_failed'
  | 'metrics'
  | 'notify_failed';

export type LogFields = Record<string, string | number | boolean | undefined | null | string[]>;

export interface DaemonLog {
  (level: LogLevel, event: DaemonEvent, message: string, fields?: LogFields): void;
}

export interface LogOptions {
  format: LogFormat;
  stream: Writable;
  /** log `debug` events too */
  verbose?: boolean;
  now?: () => number;
}

export function createDaemonLog(o: LogOptions): DaemonLog {
  const now = o.now ?? Date.now;
  return (level, event, message, fields = {}) => {
    if (level === 'debug' && !o.verbose) return;
    const time = new Date(now()).toISOString();
    if (o.format === 'json') {
      const line: Record<string, unknown> = { time, level, event };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) line[k] = v;
      line.message = message;
      o.stream.write(terminalSafeJson(JSON.stringify(line)) + '\n');
      return;
    }
    const name = typeof fields.name === 'string' ? `${fields.name}: ` : '';
    const hint = typeof fields.hint === 'string' ? `\n${' '.repeat(17)}${fields.hint}` : '';
    // data from files and servers (names, messages) never acts on the terminal, and one event stays one line
    o.stream.write(escapeControls(`${time.slice(11, 19)} ${level.padEnd(7)} ${escapeLine(name)}${escapeLine(message)}${hint}\n`));
  };
}
