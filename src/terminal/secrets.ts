import { readFile } from 'node:fs/promises';
import { CODES, HandoffError } from '../errors.js';
import { inputFileError } from '../fs-errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import type { Output } from './output.js';
import { promptSecret } from './prompt.js';
import type { PromptOptions } from './prompt.js';

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
  prompt?: { question: string; confirm?: boolean; check?: PromptOptions['check'] } | false;
  /** flag names, for the no-terminal message */
  flags: string;
}

/** The secret's name as a catalog noun (said in the user's language), or as given when it is not a known one. */
function secretName(what: string): Message | string {
  switch (what) {
    case 'passphrase':
      return message('terminal.what.passphrase');
    case 'client secret':
      return message('terminal.what.client_secret');
    case 'sandbox client secret':
      return message('terminal.what.sandbox_client_secret');
    default:
      return what;
  }
}

/** Secrets never need to be in argv: file, env or prompt; argv works but warns. */
export async function resolveSecret(src: SecretSource, out: Output): Promise<string | undefined> {
  const env = src.env ?? process.env;
  if (src.argv !== undefined) {
    out.warn(out.i18n.render('terminal.secret_in_argv', { what: secretName(src.what), flags: src.flags }));
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
    if (line.length === 0) throw new HandoffError(message('terminal.secret_file_empty', { what: secretName(src.what), file: src.file }), { code: CODES.USAGE });
    return line;
  }
  if (src.envName && env[src.envName]) return env[src.envName];
  if (src.prompt) {
    return promptSecret(src.prompt.question, {
      confirm: src.prompt.confirm,
      checkStrength: src.prompt.confirm === true,
      noTtyHint: `use ${src.flags}`,
      i18n: out.i18n,
      ...(src.prompt.check ? { check: src.prompt.check } : {}),
    });
  }
  return undefined;
}
