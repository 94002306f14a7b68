import { Buffer } from 'node:buffer';
import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { createTranslator, detectLanguage } from '../i18n/index.js';
import { escapeControls, terminalSafeJson } from './escape.js';
import type { Lang, Translator } from '../i18n/index.js';

/**
 * Two channels (age's rule): machine output — the token, JSON, an armored
 * block — goes to stdout; human messages go to stderr with an
 * `oauth-handoff:` prefix. Colour only on a TTY and never with NO_COLOR.
 */
export interface Output {
  /** machine output (the token, an armored block, a table), with terminal controls escaped */
  data(text: string): void;
  /** one JSON document on stdout */
  json(value: unknown): void;
  /** whether a JSON document was printed already (an error after it adds none: stdout stays one document) */
  readonly jsonWritten: boolean;
  /** a human message on stderr */
  info(message: string): void;
  warn(message: string): void;
  /** plain text to stderr without a prefix (QR codes, boxes) */
  raw(text: string): void;
  readonly color: boolean;
  /** the language people are spoken to in (src/i18n); `t` renders a catalog message in it */
  readonly i18n: Translator;
  readonly t: Translator['t'];
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface OutputOptions {
  stdout?: Writable;
  stderr?: Writable;
  env?: NodeJS.ProcessEnv;
  /** --lang; otherwise the locale in `env` decides */
  lang?: Lang;
}

/** Set when a write would block and went to process.stdout/stderr instead (it drains later). */
let handedToStream = false;

/** True while everything this module wrote to fd 1 and 2 is written (none of it waits in process.stdout or process.stderr). */
export function everythingWritten(): boolean {
  return !handedToStream;
}

/**
 * Writes `text` to the process's own stdout (fd 1) or stderr (fd 2) directly. process.stdout and
 * process.stderr are made on first use, and for a pipe (`$(oauth-handoff token x)`) that loads the
 * net and stream machinery: ≈ 3.5 ms of CPU of a cold `token` for a 40-byte write. On Linux those
 * streams write synchronously anyway, so the order of output is the same. A descriptor that would
 * block (opened non-blocking by the parent) goes to the stream, which waits for it.
 */
function writeToFd(fd: 1 | 2, text: string): void {
  let bytes = Buffer.from(text, 'utf8');
  while (bytes.length > 0) {
    let n: number;
    try {
      n = writeSync(fd, bytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      handedToStream = true;
      (fd === 1 ? process.stdout : process.stderr).write(bytes);
      return;
    }
    bytes = bytes.subarray(n);
  }
}

/**
 * Whether stderr is a terminal. A terminal is a character device, so for the process's own stderr
 * going to a pipe or a file (`x=$(oauth-handoff token x)` in a script, `2>log`) the answer is no
 * without making process.stderr, which loads the net and stream machinery (≈ 2.5 ms of a cold
 * `token` that warns); only a character device is asked properly.
 */
function stderrIsTTY(stream: Writable | undefined): boolean {
  if (stream) return (stream as { isTTY?: boolean }).isTTY === true;
  try {
    if (!fstatSync(2).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.stderr.isTTY === true;
}

/** A JSON document went to this process's own stdout (through any Output: a command may make its own). */
let processJsonWritten = false;

export function createOutput(opts: OutputOptions = {}): Output {
  const env = opts.env ?? process.env;
  const toStdout = opts.stdout ? (text: string): void => void opts.stdout!.write(text) : (text: string): void => writeToFd(1, text);
  const toStderr = opts.stderr ? (text: string): void => void opts.stderr!.write(text) : (text: string): void => writeToFd(2, text);
  let color: boolean | undefined;
  // decided on first use: asking whether stderr is a TTY makes process.stderr
  const useColor = (): boolean => (color ??= !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb' && stderrIsTTY(opts.stderr));
  const paint = (code: string, s: string): string => (useColor() ? `\u001b[${code}m${s}\u001b[0m` : s);
  const i18n = createTranslator(opts.lang ?? detectLanguage(env));
  let jsonWritten = false;
  return {
    get jsonWritten() {
      return opts.stdout ? jsonWritten : processJsonWritten;
    },
    get color() {
      return useColor();
    },
    i18n,
    t: i18n.t,
    get stdout() {
      return opts.stdout ?? process.stdout;
    },
    get stderr() {
      return opts.stderr ?? process.stderr;
    },
    // Every channel escapes what a terminal would act on (escape.ts), so no value from a file or a
    // server can write to the clipboard or clear the screen, whoever prints it; our own colour is added after.
    data: (text) => toStdout(escapeControls(text)),
    json: (value) => {
      if (opts.stdout) jsonWritten = true;
      else processJsonWritten = true;
      toStdout(terminalSafeJson(JSON.stringify(value, null, 2)) + '\n');
    },
    info: (message) => toStderr(`oauth-handoff: ${escapeControls(message)}\n`),
    warn: (message) => toStderr(`oauth-handoff: ${paint('33', i18n.t('cli.warning'))} ${escapeControls(message)}\n`),
    raw: (text) => toStderr(escapeControls(text)),
  };
}

/** Show that a secret exists without showing it. */
export function redact(secret: string | undefined): string {
  if (!secret) return '(none)';
  return `(${secret.length} characters, hidden)`;
}
