/**
 * The daemon's public face. headless-side/index.ts is loaded by the `token`
 * fast path, so this module is only thin wrappers: the daemon itself (and
 * everything it imports) is loaded when one of these is called.
 */
import type { DaemonCommandOptions } from './daemon/command.js';
import type { DaemonOptions } from './daemon/runtime.js';
import type { DaemonHandle } from './daemon/start.js';
import type { DaemonStateRecord } from './daemon/state-file.js';

export type { DaemonCommandOptions } from './daemon/command.js';
export type { HookEvent } from './daemon/hooks.js';
export type { DaemonEvent, DaemonLog, LogFormat, LogLevel } from './daemon/log.js';
export type { DaemonCredentialSnapshot, DaemonObserver, DaemonOptions, DaemonView, RunningDaemon } from './daemon/runtime.js';
export type { SinkFormat, SinkSpec } from './daemon/sinks.js';
export type { DaemonHandle } from './daemon/start.js';
export type { DaemonCredentialState, DaemonErrorRecord, DaemonInfo, DaemonStateRecord, DaemonStatusView, NextAttemptReason } from './daemon/state-file.js';

/** `oauth-handoff daemon [NAME... | --all]`; resolves with the exit code when it stops. */
export async function daemonCommand(o: DaemonCommandOptions): Promise<number> {
  return (await import('./daemon/command.js')).daemonCommand(o);
}

/** Start the refresh loop in this process (library use); refuses when another daemon holds the store. */
export async function startDaemon(o: DaemonOptions): Promise<DaemonHandle> {
  return (await import('./daemon/start.js')).startDaemon(o);
}

/** The daemon's last word on one credential (`<home>/state/NAME.json`), if it has one. */
export async function readDaemonState(home: string, name: string): Promise<DaemonStateRecord | undefined> {
  return (await import('./daemon/state-file.js')).readDaemonState(home, name);
}
