/**
 * `--on-failure CMD` / `--on-warning CMD`: a shell command run with the
 * credential's name, state and a message in environment variables, so an
 * admin gets a mail or a chat message. Never a token: the command sees none,
 * and secrets this process may have been given through the environment
 * (passphrase, key, settings) are removed from its environment.
 */
import { spawn } from 'node:child_process';
import { childEnv } from '../child-env.js';
import type { Translator } from '../../i18n/index.js';
import type { DaemonLog } from './log.js';

export const HOOK_ENV = {
  NAME: 'OAUTH_HANDOFF_NAME',
  STATE: 'OAUTH_HANDOFF_STATE',
  MESSAGE: 'OAUTH_HANDOFF_MESSAGE',
  EVENT: 'OAUTH_HANDOFF_EVENT',
} as const;

/** A hook that runs longer than this is killed. */
export const HOOK_TIMEOUT_MS = 60_000;
const MAX_MESSAGE_CHARS = 2000;

export interface HookEvent {
  name: string;
  /** the credential's state, e.g. reauthorization_required, failing, refresh_token_expiring */
  state: string;
  /** the daemon event that caused it */
  event: string;
  message: string;
}

export interface HookResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  error?: string;
}

export function hookEnv(base: NodeJS.ProcessEnv, e: HookEvent): NodeJS.ProcessEnv {
  // none of our secrets (the one rule for child processes)
  const env = childEnv(base);
  env[HOOK_ENV.NAME] = e.name;
  env[HOOK_ENV.STATE] = e.state;
  env[HOOK_ENV.MESSAGE] = e.message.slice(0, MAX_MESSAGE_CHARS);
  env[HOOK_ENV.EVENT] = e.event;
  return env;
}

/**
 * Run `command` with /bin/sh. Its output goes to our stderr (stdout is the
 * event log). Resolves when it ends or is killed; never rejects.
 */
export function runHook(command: string, e: HookEvent, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<HookResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('/bin/sh', ['-c', command], { env: hookEnv(opts.env ?? process.env, e), stdio: ['ignore', 2, 2] });
    } catch (err) {
      resolve({ code: null, signal: null, timedOut: false, error: (err as Error).message });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? HOOK_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut, error: err.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut });
    });
  });
}

/** Runs `--on-failure` / `--on-warning` for the daemon and logs how each run ended. */
export class HookRunner {
  private readonly running = new Set<Promise<void>>();
  private readonly o: { log: DaemonLog; env?: NodeJS.ProcessEnv; onFailure?: string; onWarning?: string };

  constructor(o: { log: DaemonLog; env?: NodeJS.ProcessEnv; onFailure?: string; onWarning?: string }) {
    this.o = o;
  }

  failure(ev: HookEvent): void {
    this.run(this.o.onFailure, ev);
  }

  warning(ev: HookEvent): void {
    this.run(this.o.onWarning, ev);
  }

  /** hooks still running */
  pending(): Promise<void>[] {
    return [...this.running];
  }

  private run(command: string | undefined, ev: HookEvent): void {
    if (!command) return;
    const log = this.o.log;
    const p = runHook(command, ev, { env: this.o.env ?? process.env }).then((r) => {
      const event = ev.event;
      if (r.code === 0) log('info', 'hook', (t) => t.t('daemon.hook_ran', { event }), { name: ev.name, state: ev.state });
      else {
        const { error, signal, code } = r;
        const why = (t: Translator): string =>
          r.timedOut
            ? t.t('daemon.hook_timed_out', { event })
            : error
              ? t.t('daemon.hook_not_started', { event, error: String(error) })
              : signal
                ? t.t('daemon.hook_killed', { event, signal: String(signal) })
                : t.t('daemon.hook_exited', { event, code: String(code) });
        log('warning', 'hook_failed', why, { name: ev.name, state: ev.state, exit_code: r.code });
      }
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}
