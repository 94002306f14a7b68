/**
 * Durations as people write them in options: "7d", "12h", "30m", "45s",
 * "250ms", "1.5s"; a bare number is seconds. One reader for every option
 * that takes one (the CLI's tables, the daemon). Imports nothing.
 */

const SECONDS_PER: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds, or undefined when the value is not a duration (negative, NaN, unknown unit). */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)?\s*$/i.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (SECONDS_PER[(m[2] ?? 's').toLowerCase()] as number);
}
