import { EXIT, HandoffError } from '../errors.js';
import { hintFor } from './hints.js';
import type { Output } from './output.js';

/** Print an error for people (message, then what to do next) and return the exit code. */
export function reportError(e: unknown, out: Output, env: NodeJS.ProcessEnv = process.env): number {
  if (e instanceof HandoffError) {
    const text = e.key === undefined ? e.message : out.i18n.render(e.key, e.params);
    out.info(out.t('cli.error', { message: text }));
    const hint = hintFor(e, out.i18n);
    if (hint) out.info(hint);
    if (env.OAUTH_HANDOFF_DEBUG) out.raw(`${e.stack ?? ''}\n`);
    return e.exitCode;
  }
  out.info(out.t('cli.error', { message: (e as Error)?.message ?? String(e) }));
  out.info(out.t('cli.bug'));
  if (env.OAUTH_HANDOFF_DEBUG) out.raw(`${(e as Error)?.stack ?? ''}\n`);
  return EXIT.ERROR;
}
