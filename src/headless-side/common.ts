import type { Output } from '../terminal/index.js';
import { createOutput } from '../terminal/index.js';

/** Options every headless command takes. */
export interface CommonOptions {
  /** --store DIR (else $OAUTH_HANDOFF_HOME, else the XDG config dir) */
  store?: string;
  /** --json: machine output on stdout */
  json?: boolean;
  out?: Output;
  env?: NodeJS.ProcessEnv;
  /** epoch ms, for tests */
  now?: () => number;
}

export function outputOf(o: CommonOptions): Output {
  return o.out ?? createOutput({ env: o.env });
}

/** "7 d", "2 h 5 min", "40 s", "250 ms": durations for people (status, daemon logs). */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 100_000) return `${Math.round(abs / 100) / 10} s`;
  const minutes = Math.round(abs / 60_000);
  if (minutes < 90) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.round(minutes / 1440)} d`;
}

/** "in 1 h 59 min", "3 min ago" */
export function relative(ms: number): string {
  return ms >= 0 ? `in ${formatDuration(ms)}` : `${formatDuration(ms)} ago`;
}
