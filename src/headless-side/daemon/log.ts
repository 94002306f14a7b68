/**
 * The daemon's event log: one JSON object per line on stdout (journald keeps
 * each line as one entry), or one human line per event when stdout is a
 * terminal. Fields are names, states, times, codes and messages; never a
 * token, secret or passphrase (messages come from HandoffError, whose texts
 * carry none).
 */
import type { Writable } from 'node:stream';
import { english } from '../../i18n/index.js';
import type { Translator } from '../../i18n/index.js';
import { escapeControls, escapeLine, terminalSafeJson } from '../../terminal/index.js';
import { formatDuration } from '../common.js';

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

/**
 * A log line's text: English as given, or rendered by a translator — English
 * for JSON lines (what programs read), the user's language for text lines.
 */
export type LogText = string | ((t: Translator) => string);

/** A field may be a `LogText` (a hint): JSON lines carry its English. */
export type LogFields = Record<string, string | number | boolean | undefined | null | string[] | ((t: Translator) => string)>;

export interface DaemonLog {
  (level: LogLevel, event: DaemonEvent, message: LogText, fields?: LogFields): void;
}

/** The text of a log line in one language. */
export function logText(text: LogText, t: Translator): string {
  return typeof text === 'string' ? text : text(t);
}

export interface LogOptions {
  format: LogFormat;
  stream: Writable;
  /** log `debug` events too */
  verbose?: boolean;
  now?: () => number;
  /** the language of text lines (JSON lines are English); English by default */
  i18n?: Translator;
}

export function createDaemonLog(o: LogOptions): DaemonLog {
  const now = o.now ?? Date.now;
  const tr = o.i18n ?? english;
  return (level, event, message, fields = {}) => {
    if (level === 'debug' && !o.verbose) return;
    const time = new Date(now()).toISOString();
    if (o.format === 'json') {
      const line: Record<string, unknown> = { time, level, event };
      for (const [k, v] of Object.entries(fields)) {
        const value = typeof v === 'function' ? v(english) || undefined : v;
        if (value !== undefined && value !== null) line[k] = value;
      }
      line.message = logText(message, english);
      o.stream.write(terminalSafeJson(JSON.stringify(line)) + '\n');
      return;
    }
    const name = typeof fields.name === 'string' ? `${fields.name}: ` : '';
    const hintText = typeof fields.hint === 'function' ? fields.hint(tr) : fields.hint;
    const hint = typeof hintText === 'string' && hintText !== '' ? `\n${' '.repeat(17)}${hintText}` : '';
    // data from files and servers (names, messages) never acts on the terminal, and one event stays one line
    o.stream.write(escapeControls(`${time.slice(11, 19)} ${level.padEnd(7)} ${escapeLine(name)}${escapeLine(logText(message, tr))}${hint}\n`));
  };
}

/** An error's message in one language (its catalog key when it has one). */
export function errorText(err: unknown, t: Translator): string {
  const e = err as { key?: Parameters<Translator['render']>[0]; params?: Parameters<Translator['render']>[1]; message?: string } | undefined;
  if (e?.key !== undefined) return t.render(e.key, e.params);
  return e?.message ?? String(err);
}

/** A duration for a log line: the daemon's compact English form, or the translator's ("2 時間 5 分"). */
export function logDuration(t: Translator, ms: number): string {
  return t.lang === 'en' ? formatDuration(ms) : t.duration(ms);
}

/** Clauses that are each a whole sentence, joined the way the language joins them ("; " / "。"). */
export function clauses(t: Translator, parts: string[]): string {
  return parts.join(t.t('daemon.clause_separator'));
}
