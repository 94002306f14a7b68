import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { CODES, HandoffError } from '../errors.js';
import { createTranslator, detectLanguage, message } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { minutesSeconds } from './countdown.js';

/** Read all of stdin (for `import -`, piped passphrases, pasted blocks). */
export async function readStdin(maxBytes = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HandoffError(message('terminal.stdin_too_large', { max: maxBytes }), { code: CODES.USAGE });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface Tty {
  input: ReadStream;
  output: WriteStream;
  close(): void;
}

/** The controlling terminal, even when stdin/stdout are pipes; undefined when there is none (CI, cron). */
export function openTty(): Tty | undefined {
  try {
    const inFd = openSync('/dev/tty', 'r');
    const outFd = openSync('/dev/tty', 'w');
    const input = new ReadStream(inFd);
    const output = new WriteStream(outFd);
    return {
      input,
      output,
      close: () => {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    return undefined;
  }
}

export interface PromptOptions {
  /** ask twice and require the same answer (a new secret); differing entries are asked again */
  confirm?: boolean;
  /** what to tell the user when there is no terminal */
  noTtyHint: string;
  timeoutMs?: number;
  /** the user's language for the retry lines and warnings (default: the locale's) */
  i18n?: Translator;
  /** with confirm: warn about a weak passphrase (and let the person choose another) */
  checkStrength?: boolean;
  /**
   * Try an answer (open the file with this passphrase): a returned error is a
   * wrong answer, said on its own line and asked again (PROMPT_ATTEMPTS in
   * all; the last one is thrown); a thrown error ends the prompt.
   */
  check?: (answer: string) => Promise<HandoffError | undefined>;
}

/** Tries at a prompt before giving up (empty entries, differing entries). */
export const PROMPT_ATTEMPTS = 3;
/** Shorter passphrases get a warning: Argon2id slows guessing, it does not make a short one strong. */
export const WEAK_PASSPHRASE_CHARS = 12;

/** `read` rejects with "canceled" on Ctrl-C and "timed out" on its timeout. */
function promptFailure(e: unknown, what: 'cancelled' | 'cancelled or timed out'): HandoffError {
  if (e instanceof HandoffError) return e;
  if ((e as Error)?.message === 'canceled') return new HandoffError(message('terminal.interrupted'), { code: CODES.INTERRUPTED, cause: e });
  return new HandoffError(what === 'cancelled' ? message('terminal.cancelled') : message('terminal.cancelled_or_timed_out'), { code: CODES.ABORTED, cause: e });
}

/** Whether a new passphrase is weak: short, or one repeated character. */
export function weakPassphrase(p: string): boolean {
  return [...p].length < WEAK_PASSPHRASE_CHARS || new Set(p).size <= 2;
}

/**
 * Ask on the terminal without echo. Prompts only ever go to the TTY, never to
 * stdout; what went wrong is said on a line of its own, and the question is
 * asked again (PROMPT_ATTEMPTS in all). Ctrl-C: INTERRUPTED (exit 130).
 */
export async function promptSecret(question: string, opts: PromptOptions): Promise<string> {
  const tty = openTty();
  if (!tty) throw new HandoffError(`no terminal to ask for ${question.replace(/:\s*$/, '')}; ${opts.noTtyHint}`, { code: CODES.USAGE });
  const { read } = await import('read');
  const tr = opts.i18n ?? createTranslator(detectLanguage(process.env));
  const say = (text: string) => void tty.output.write(`oauth-handoff: ${text}\n`);
  const spoken = (e: HandoffError) => (e.key === undefined ? e.message : tr.render(e.key, e.params));
  try {
    const ask = async (prompt: string): Promise<string> => {
      const answer = (await read({ prompt, silent: true, replace: '', input: tty.input, output: tty.output, terminal: true, timeout: opts.timeoutMs })) as string;
      // a silent read leaves the cursor after the prompt: what follows starts a line of its own
      tty.output.write('\n');
      return answer;
    };
    let problem: 'nothing was entered' | 'the two entries did not match' = 'nothing was entered';
    for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
      const first = await ask(question);
      if (first.length === 0) {
        problem = 'nothing was entered';
        say(attempt < PROMPT_ATTEMPTS ? tr.t('terminal.nothing_entered_retry') : tr.t('terminal.nothing_entered'));
        continue;
      } else if (!opts.confirm) {
        if (!opts.check) return first;
        const wrong = await opts.check(first);
        if (wrong === undefined) return first;
        if (attempt >= PROMPT_ATTEMPTS) throw wrong;
        const left = PROMPT_ATTEMPTS - attempt;
        say(left === 1 ? tr.t('terminal.wrong_secret_one', { error: spoken(wrong) }) : tr.t('terminal.wrong_secret_many', { error: spoken(wrong), count: left }));
        continue;
      } else {
        if (opts.checkStrength && weakPassphrase(first)) {
          say(tr.t('terminal.weak_passphrase', { min: WEAK_PASSPHRASE_CHARS }));
          const keep = await ask(tr.t('terminal.keep_or_stronger'));
          if (keep.length > 0) {
            const again = await ask(tr.t('terminal.again'));
            if (keep === again) return keep;
            problem = 'the two entries did not match';
            say(attempt < PROMPT_ATTEMPTS ? tr.t('terminal.mismatch_retry') : tr.t('terminal.mismatch'));
            continue;
          }
        }
        const second = await ask(tr.t('terminal.again'));
        if (first === second) return first;
        problem = 'the two entries did not match';
        say(attempt < PROMPT_ATTEMPTS ? tr.t('terminal.mismatch_retry') : tr.t('terminal.mismatch'));
      }
    }
    throw new HandoffError(problem === 'nothing was entered' ? message('terminal.nothing_entered_thrice') : message('terminal.mismatch_thrice'), { code: CODES.USAGE });
  } catch (e) {
    throw promptFailure(e, 'cancelled');
  } finally {
    tty.close();
  }
}

export interface PastePromptOptions {
  timeoutMs: number;
  /** another way the answer may come (the loopback listener): abort to stop asking */
  signal?: AbortSignal;
  /** the user's language for the time left (default: the locale's) */
  i18n?: Translator;
  now?: () => number;
}


/**
 * Ask on the terminal for a pasted line (a code, or the address a browser
 * landed on), with echo; an empty line is asked again. The wait is a
 * countdown: the prompt starts with the time left, redrawn every second by
 * readline, which knows how many rows the line being typed takes, so a long
 * pasted URL that wraps is redrawn whole. ABORTED when the time runs out or
 * `signal` aborts; INTERRUPTED on Ctrl-C (exit 130); USAGE without a terminal.
 */
export async function promptPasted(question: string, opts: PastePromptOptions): Promise<string> {
  const tty = openTty();
  if (!tty) throw new HandoffError(message('browser.input.no_tty'), { code: CODES.USAGE });
  const tr = opts.i18n ?? createTranslator(detectLanguage(process.env));
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.timeoutMs;
  const prompt = () => `${tr.t('terminal.time_left', { left: minutesSeconds(Math.max(0, Math.ceil((deadline - now()) / 1000))) })}${question}`;
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: tty.input, output: tty.output, terminal: true });
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const interrupted = new AbortController();
  rl.on('SIGINT', () => interrupted.abort()); // Ctrl+C at the prompt
  const signal = AbortSignal.any([interrupted.signal, timeout, ...(opts.signal ? [opts.signal] : [])]);
  const tick = setInterval(() => {
    // readline writes pasted text straight to the terminal without noting the row its cursor ended
    // on (`prevRows`, undocumented), and redraws from there: note it, before the prompt changes
    (rl as unknown as { prevRows: number }).prevRows = rl.getCursorPos().rows;
    rl.setPrompt(prompt());
    rl.prompt(true); // redraw the prompt and what was typed so far, the cursor where it was
  }, 1000);
  tick.unref();
  try {
    for (;;) {
      const answer = await new Promise<string>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        rl.question(prompt(), { signal }, resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      if (answer.trim() !== '') return answer.trim();
    }
  } catch (e) {
    const timedOut = timeout.aborted && !opts.signal?.aborted && !interrupted.signal.aborted;
    if (interrupted.signal.aborted) throw new HandoffError(message('browser.input.interrupted'), { code: CODES.INTERRUPTED, cause: e });
    throw new HandoffError(timedOut ? message('browser.input.nothing_pasted', { seconds: Math.round(opts.timeoutMs / 1000) }) : message('browser.input.prompt_cancelled'), {
      code: CODES.ABORTED,
      cause: e,
    });
  } finally {
    clearInterval(tick);
    // the line ends here: what follows (an error, the next step) starts a row of its own
    if (signal.aborted) tty.output.write('\n');
    rl.close();
    tty.close();
  }
}

/** Ask for a line with echo (a short answer: a choice, yes or no). Ctrl-C: INTERRUPTED (exit 130). */
export async function promptLine(question: string, opts: PromptOptions): Promise<string> {
  const tty = openTty();
  if (!tty) throw new HandoffError(`no terminal to ask for input; ${opts.noTtyHint}`, { code: CODES.USAGE });
  const { read } = await import('read');
  try {
    return ((await read({ prompt: question, input: tty.input, output: tty.output, terminal: true, timeout: opts.timeoutMs })) as string).trim();
  } catch (e) {
    throw promptFailure(e, 'cancelled or timed out');
  } finally {
    tty.close();
  }
}
