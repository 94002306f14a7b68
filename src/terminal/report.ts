import { EXIT, HandoffError } from '../errors.js';
import { hintFor } from './hints.js';
import type { Output } from './output.js';

/** Print an error for people (message, then what to do next) and return the exit code. */
export function reportError(e: unknown, out: Output, env: NodeJS.ProcessEnv = process.env): number {
  if (e instanceof HandoffError) {
    out.info(`error: ${e.message}`);
    const hint = hintFor(e);
    if (hint) out.info(hint);
    if (env.OAUTH_HANDOFF_DEBUG) out.raw(`${e.stack ?? ''}\n`);
    return e.exitCode;
  }
  out.info(`error: ${(e as Error)?.message ?? String(e)}`);
  out.info('this looks like a bug in oauth-handoff; run again with OAUTH_HANDOFF_DEBUG=1 and report what it prints (it never prints tokens)');
  if (env.OAUTH_HANDOFF_DEBUG) out.raw(`${(e as Error)?.stack ?? ''}\n`);
  return EXIT.ERROR;
}
