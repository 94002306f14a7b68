/**
 * A wait that says what it waits for and how long is left: on a terminal one
 * line redrawn every second; without one (a log, a pipe) a plain line now and
 * then, so a log still shows the wait going on.
 */
import type { Writable } from 'node:stream';
import type { Translator } from '../i18n/index.js';

/** A one-line countdown on stderr, redrawn every second, only on a TTY. */
export interface Countdown {
  /** print something (a warning) without garbling the countdown line */
  note(print: () => void): void;
  stop(): void;
}

/** Without a terminal, a plain line this often (at most every quarter of the wait). */
export const PLAIN_COUNTDOWN_EVERY_MS = 60_000;

/** "9:58": minutes and seconds. */
export function minutesSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * `label` says what is awaited ("oauth-handoff: waiting for the approval:");
 * the time left follows it in the user's language ("4:59 left (Ctrl-C to cancel)").
 */
export function startCountdown(stream: Writable, deadline: number, label: string, o: { now?: () => number; i18n: Translator }): Countdown {
  const now = o.now ?? Date.now;
  const left = (s: number) => o.i18n.t('wait.left', { time: minutesSeconds(s) });
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  if (!tty) {
    const every = Math.max(5000, Math.min(PLAIN_COUNTDOWN_EVERY_MS, Math.floor((deadline - now()) / 4)));
    const plain = setInterval(() => {
      const s = Math.max(0, Math.ceil((deadline - now()) / 1000));
      if (s > 0) stream.write(`${label} ${left(s)}\n`);
    }, every);
    plain.unref();
    return { note: (print) => print(), stop: () => clearInterval(plain) };
  }
  const draw = () => {
    const s = Math.max(0, Math.ceil((deadline - now()) / 1000));
    stream.write(`\r\x1b[2K${label} ${left(s)}`);
  };
  const clear = () => void stream.write('\r\x1b[2K');
  draw();
  const timer = setInterval(draw, 1000);
  timer.unref();
  let stopped = false;
  return {
    note(print) {
      if (stopped) return print();
      clear();
      print();
      draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clear();
    },
  };
}


/** A clock time people can read beside a limit ("14:05", local time). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
