import { CODES, EXIT, HandoffError } from '../errors.js';
import { hintFor } from './hints.js';
import type { Output } from './output.js';

export interface ReportOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * --json: also one JSON object on stdout, `{"error":{"code","message","exit","hint"}}`
   * (stable English; the human lines still go to stderr).
   */
  json?: boolean;
}

/** The `--json` form of an error (stable English): `{"code","message","exit","hint"}`. */
export function errorJson(e: unknown): { code: string; message: string; exit: number; hint: string | null } {
  if (e instanceof HandoffError) return { code: e.code, message: e.message, exit: e.exitCode, hint: hintFor(e) ?? null };
  return { code: CODES.INTERNAL, message: (e as Error)?.message ?? String(e), exit: EXIT.ERROR, hint: null };
}

/** Print an error for people (message, then what to do next) and return the exit code. */
export function reportError(e: unknown, out: Output, o: NodeJS.ProcessEnv | ReportOptions = {}): number {
  const opts: ReportOptions = 'json' in o || 'env' in o ? (o as ReportOptions) : { env: o as NodeJS.ProcessEnv };
  const env = opts.env ?? process.env;
  if (e instanceof HandoffError) {
    const text = e.key === undefined ? e.message : out.i18n.render(e.key, e.params);
    out.info(out.t('cli.error', { message: text }));
    const hint = hintFor(e, out.i18n);
    if (hint) out.info(hint);
    if (env.OAUTH_HANDOFF_DEBUG) out.raw(`${e.stack ?? ''}\n`);
    // a command that printed its JSON result already carries the error there (relay) or only in its exit code
    if (opts.json && !out.jsonWritten) out.json({ error: errorJson(e) });
    return e.exitCode;
  }
  out.info(out.t('cli.error', { message: (e as Error)?.message ?? String(e) }));
  out.info(out.t('cli.bug'));
  if (env.OAUTH_HANDOFF_DEBUG) out.raw(`${(e as Error)?.stack ?? ''}\n`);
  if (opts.json && !out.jsonWritten) out.json({ error: errorJson(e) });
  return EXIT.ERROR;
}
