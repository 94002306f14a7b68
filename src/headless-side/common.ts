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

/** "in 1 h 59 min", "3 min ago" */
export function relative(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.round(abs / 1000);
  let text: string;
  if (s < 90) text = `${s} s`;
  else if (s < 90 * 60) text = `${Math.round(s / 60)} min`;
  else if (s < 48 * 3600) {
    const minutes = Math.round(s / 60);
    text = `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  else text = `${Math.round(s / 86400)} days`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
