import { readFile } from 'node:fs/promises';
import { CODES, HandoffError } from '../errors.js';
import { inputFileError } from '../fs-errors.js';
import type { Output } from './output.js';
import { promptSecret } from './prompt.js';

export interface SecretSource {
  /** what it is, for messages: "passphrase", "client secret" */
  what: string;
  /** given on the command line (visible in `ps` and shell history: warn) */
  argv?: string;
  /** --…-file: the first line of this file ("-" is not allowed: stdin may carry data) */
  file?: string;
  /** environment variable name to look at */
  envName?: string;
  env?: NodeJS.ProcessEnv;
  /** when nothing else gave it: prompt on the terminal (twice when confirm) */
  prompt?: { question: string; confirm?: boolean } | false;
  /** flag names, for the no-terminal message */
  flags: string;
}

/** Secrets never need to be in argv: file, env or prompt; argv works but warns. */
export async function resolveSecret(src: SecretSource, out: Output): Promise<string | undefined> {
  const env = src.env ?? process.env;
  if (src.argv !== undefined) {
    out.warn(`a ${src.what} given on the command line can be seen by other users (ps) and stays in shell history; prefer ${src.flags}`);
    return src.argv;
  }
  if (src.file !== undefined) {
    let text: string;
    try {
      text = await readFile(src.file, 'utf8');
    } catch (e) {
      throw inputFileError(e, src.file, `the ${src.what} file`);
    }
    const line = text.split(/\r?\n/)[0] ?? '';
    if (line.length === 0) throw new HandoffError(`the ${src.what} file ${src.file} is empty`, { code: CODES.USAGE });
    return line;
  }
  if (src.envName && env[src.envName]) return env[src.envName];
  if (src.prompt) {
    return promptSecret(src.prompt.question, { confirm: src.prompt.confirm, checkStrength: src.prompt.confirm === true, noTtyHint: `use ${src.flags}`, i18n: out.i18n });
  }
  return undefined;
}
