import { openStore } from '../credential/index.js';
import type { RefreshDeps } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Output } from '../terminal/index.js';
import type { CiOptions } from './ci.js';
import { childEnv } from './child-env.js';
import { ciSession, reportingForCi } from './ci.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';
import { usableToken } from './token.js';

export const DEFAULT_TOKEN_ENV_VAR = 'OAUTH_ACCESS_TOKEN';
/** forwarded to the child; anything else keeps its default meaning for oauth-handoff */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ExecOptions extends CommonOptions, CiOptions, RefreshDeps {
  name: string;
  /** the command and its arguments (everything after `--`) */
  command: string[];
  /** the variable that carries the access token (default OAUTH_ACCESS_TOKEN) */
  envVar?: string;
  /** refresh first when the token expires within this many seconds */
  minValid?: number;
  lockTimeoutMs?: number;
}

/**
 * `oauth-handoff exec NAME [--env-var VAR] -- cmd args…`: refreshes first when
 * needed, then runs cmd with the access token in VAR. Forwards SIGINT,
 * SIGTERM and SIGHUP; exits with the command's code (128 + n when a signal
 * ended it, as a shell reports it). The command gets the access token and
 * none of our secret variables (child-env.ts), with or without --from-env.
 */
export async function execCommand(o: ExecOptions): Promise<number> {
  const out = outputOf(o);
  return reportingForCi(o, out, () => execWith(o, out));
}

async function execWith(o: ExecOptions, out: Output): Promise<number> {
  const envVar = o.envVar ?? DEFAULT_TOKEN_ENV_VAR;
  if (!ENV_NAME.test(envVar)) throw new HandoffError(message('exec.bad_env_name', { name: envVar }), { code: CODES.USAGE });
  if (o.command.length === 0 || o.command[0] === '') {
    throw new HandoffError(message('exec.no_command'), { code: CODES.USAGE });
  }
  const ci = ciSession(o, out);
  const store = await openStore({ store: o.store, env: o.env, ...ci.storeOptions });
  const r = await usableToken(store, o, out, 'exec.serving_valid');
  await ci.finish();

  // the token and nothing secret of ours, with or without --from-env
  const env = childEnv(o.env ?? process.env);
  env[envVar] = r.settings.token.access_token;
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  return runChild(o.command, env, out, spawn, constants.signals);
}

/** Runs the command to its end, forwarding signals; its exit code, shell style. */
export function runChild(
  command: string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  spawn: typeof import('node:child_process').spawn,
  signals: typeof import('node:os').constants.signals,
): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const s of FORWARDED_SIGNALS) process.on(s, forward);
    let finished = false;
    const done = (code: number): void => {
      if (finished) return;
      finished = true;
      for (const s of FORWARDED_SIGNALS) process.off(s, forward);
      resolve(code);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      // spawn failed (no process): the codes a shell uses
      const notFound = e.code === 'ENOENT';
      out.info(out.t('cli.error', { message: notFound ? out.t('exec.not_found', { file }) : out.t('exec.cannot_run', { file, error: e.message }) }));
      done(notFound ? 127 : 126);
    });
    child.on('exit', (code, signal) => {
      if (code !== null) done(code);
      else done(128 + (signal ? (signals[signal] ?? 0) : 0));
    });
  });
}
