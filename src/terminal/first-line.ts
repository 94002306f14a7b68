/**
 * The first non-empty line of a stream: a code or redirect URL piped in by a
 * script or by `oauth-handoff relay` (login --paste, authorize without a
 * terminal).
 */
import { createInterface } from 'node:readline';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/** Longer lines are refused: no code or redirect URL comes near it. */
export const MAX_PASTE_CHARS = 16 * 1024;

export interface FirstLineOptions {
  timeoutMs: number;
  /** what to say when nothing came in time ("nothing was given within 10 min") */
  timedOut: Message;
  /** another way the answer may come (the loopback listener): abort to stop reading */
  signal?: AbortSignal;
}

/**
 * Resolves with the line, trimmed. USAGE when the stream ends first, a line is
 * too long or the stream cannot be read; ABORTED when the time runs out or
 * `signal` aborts. Reading stops either way, so the process can exit while the
 * writer is still running.
 */
export function readFirstLine(input: NodeJS.ReadableStream, o: FirstLineOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
    let done = false;
    const finish = (err: HandoffError | undefined, line?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      rl.close();
      input.pause();
      if (input === process.stdin) process.stdin.destroy();
      if (err) reject(err);
      else resolve(line as string);
    };
    const onAbort = () => finish(new HandoffError(message('browser.input.cancelled'), { code: CODES.ABORTED }));
    const timer = setTimeout(() => finish(new HandoffError(o.timedOut, { code: CODES.ABORTED })), o.timeoutMs);
    rl.on('line', (line) => {
      if (line.length > MAX_PASTE_CHARS) finish(new HandoffError(message('paste.line_too_long', { max: MAX_PASTE_CHARS }), { code: CODES.USAGE }));
      else if (line.trim() !== '') finish(undefined, line.trim());
    });
    rl.on('close', () => finish(new HandoffError(message('paste.stdin_ended'), { code: CODES.USAGE })));
    input.on('error', (e) => finish(new HandoffError(message('paste.stdin_unreadable'), { code: CODES.USAGE, cause: e })));
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
