import type { Writable } from 'node:stream';
import { createTranslator, detectLanguage } from '../i18n/index.js';
import type { Lang, Translator } from '../i18n/index.js';

/**
 * Two channels (age's rule): machine output — the token, JSON, an armored
 * block — goes to stdout; human messages go to stderr with an
 * `oauth-handoff:` prefix. Colour only on a TTY and never with NO_COLOR.
 */
export interface Output {
  /** machine output, written as is */
  data(text: string): void;
  /** one JSON document on stdout */
  json(value: unknown): void;
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

export function createOutput(opts: OutputOptions = {}): Output {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  const color = (stderr as { isTTY?: boolean }).isTTY === true && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const i18n = createTranslator(opts.lang ?? detectLanguage(env));
  return {
    color,
    i18n,
    t: i18n.t,
    stdout,
    stderr,
    data: (text) => void stdout.write(text),
    json: (value) => void stdout.write(JSON.stringify(value, null, 2) + '\n'),
    info: (message) => void stderr.write(`oauth-handoff: ${message}\n`),
    warn: (message) => void stderr.write(`oauth-handoff: ${paint('33', 'warning:')} ${message}\n`),
    raw: (text) => void stderr.write(text),
  };
}

/** Show that a secret exists without showing it. */
export function redact(secret: string | undefined): string {
  if (!secret) return '(none)';
  return `(${secret.length} characters, hidden)`;
}
