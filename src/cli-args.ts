/**
 * What both argv readers (yargs in src/cli.ts, util.parseArgs in
 * src/fast-token.ts) do with the values they read, so they agree: the bounds
 * declared in the option tables (src/cli-options.ts), durations, and the
 * `--store` / `--redis-prefix` pair. Small on purpose: the `token` fast path
 * bundles it.
 */
import { durationSeconds } from './duration.js';
import { CODES, HandoffError } from './errors.js';
import { message } from './i18n/index.js';
import type { Message } from './i18n/index.js';
import type { OptionSpec, OptionTable } from './cli-options.js';
import type { Output } from './terminal/index.js';

const usage = (m: Message) => new HandoffError(m, { code: CODES.USAGE });

function printable(value: unknown): string {
  const text = String(value).replace(/[^\x20-\x7e]/g, '?');
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * One option's value, checked against its table entry: numbers and durations
 * must be finite and within bounds (durations come back in seconds); other
 * types pass unchanged. Throws USAGE naming the option.
 */
export function checkOptionValue(key: string, spec: OptionSpec, value: unknown): unknown {
  if (value === undefined || (spec.type !== 'number' && spec.type !== 'duration')) return value;
  if (Array.isArray(value)) return value.map((v) => checkOptionValue(key, spec, v));
  const n =
    spec.type === 'duration'
      ? durationSeconds(value)
      : typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : Number.NaN;
  const p = { option: key, value: printable(value) };
  if (n === undefined || !Number.isFinite(n)) {
    throw usage(spec.type === 'duration' ? message('cli.option.not_duration', p) : message('cli.option.not_number', p));
  }
  if (spec.integer && !Number.isInteger(n)) throw usage(message('cli.option.not_whole', p));
  if (spec.min !== undefined && (spec.exclusiveMin ? n <= spec.min : n < spec.min)) {
    throw usage(spec.exclusiveMin ? message('cli.option.not_above', { ...p, min: spec.min }) : message('cli.option.too_small', { ...p, min: spec.min }));
  }
  return n;
}

/** Every value of a table, checked (see checkOptionValue); keys not in the table pass unchanged. */
export function checkOptionValues<T extends Record<string, unknown>>(table: OptionTable, values: T): T {
  const checked: Record<string, unknown> = { ...values };
  for (const [key, spec] of Object.entries(table)) {
    if (checked[key] !== undefined) checked[key] = checkOptionValue(key, spec, checked[key]);
  }
  return checked as T;
}

const REDIS_URL = /^rediss?:\/\//i;
const REDIS_URL_WITH_PASSWORD = /^rediss?:\/\/[^/@]*:[^/@]*@/i;

/**
 * The store to open, from --store and --redis-prefix (which travels inside
 * the store URL as ?prefix=, so every command and the library take it the
 * same way). Warns when --store holds a Redis password (visible in ps).
 * Returns the --store value to pass on (undefined: the default store).
 */
export function storeFromArgs(
  a: { store?: string | undefined; redisPrefix?: string | undefined },
  env: NodeJS.ProcessEnv,
  out: Pick<Output, 'warn' | 't'>,
): string | undefined {
  if (a.store !== undefined && REDIS_URL_WITH_PASSWORD.test(a.store)) out.warn(out.t('cli.store.password_visible'));
  if (a.redisPrefix === undefined) return a.store;
  const store = a.store ?? env.OAUTH_HANDOFF_STORE;
  if (!store || !REDIS_URL.test(store)) {
    throw usage(message('cli.store.prefix_without_fleet'));
  }
  const url = new URL(store);
  url.searchParams.set('prefix', a.redisPrefix);
  return url.toString();
}
