import { HandoffError } from '../../src/errors.js';

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs `f` and reports what happened, without letting it throw. */
export async function outcome(f: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** "BAD_FILE", "DECRYPT_FAILED", … for a HandoffError; a description of anything else. */
export function describe(o: Outcome): string {
  if (o.ok) return 'ok';
  if (o.error instanceof HandoffError) return o.error.code;
  return `unexpected ${o.error instanceof Error ? `${o.error.name}: ${o.error.message}` : String(o.error)}`;
}

export function errorMessage(o: Outcome): string {
  return !o.ok && o.error instanceof Error ? o.error.message : '';
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
