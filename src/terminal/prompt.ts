import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { CODES, HandoffError } from '../errors.js';

/** Read all of stdin (for `import -`, piped passphrases, pasted blocks). */
export async function readStdin(maxBytes = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HandoffError(`standard input is larger than ${maxBytes} bytes`, { code: CODES.USAGE });
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
  /** ask twice and require the same answer */
  confirm?: boolean;
  /** what to tell the user when there is no terminal */
  noTtyHint: string;
  timeoutMs?: number;
}

/** Ask on the terminal without echo. Prompts only ever go to the TTY, never to stdout. */
export async function promptSecret(question: string, opts: PromptOptions): Promise<string> {
  const tty = openTty();
  if (!tty) throw new HandoffError(`no terminal to ask for ${question.replace(/:\s*$/, '')}; ${opts.noTtyHint}`, { code: CODES.USAGE });
  const { read } = await import('read');
  try {
    const ask = (prompt: string): Promise<string> =>
      read({ prompt, silent: true, replace: '', input: tty.input, output: tty.output, terminal: true, timeout: opts.timeoutMs }) as Promise<string>;
    const first = await ask(question);
    if (opts.confirm) {
      const second = await ask('again: ');
      if (first !== second) throw new HandoffError('the two entries did not match', { code: CODES.USAGE });
    }
    if (first.length === 0) throw new HandoffError('nothing was entered', { code: CODES.USAGE });
    return first;
  } catch (e) {
    if (e instanceof HandoffError) throw e;
    throw new HandoffError('the prompt was cancelled', { code: CODES.ABORTED, cause: e });
  } finally {
    tty.close();
  }
}

/** Ask for a line with echo (codes and URLs being pasted). */
export async function promptLine(question: string, opts: PromptOptions): Promise<string> {
  const tty = openTty();
  if (!tty) throw new HandoffError(`no terminal to ask for input; ${opts.noTtyHint}`, { code: CODES.USAGE });
  const { read } = await import('read');
  try {
    return ((await read({ prompt: question, input: tty.input, output: tty.output, terminal: true, timeout: opts.timeoutMs })) as string).trim();
  } catch (e) {
    throw new HandoffError('the prompt was cancelled or timed out', { code: CODES.ABORTED, cause: e });
  } finally {
    tty.close();
  }
}
