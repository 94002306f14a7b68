/**
 * The sandbox's objects as the JSON it prints (`sandbox --json`, the control
 * API): snake_case field names, like every JSON oauth-handoff prints. The
 * TypeScript objects keep their camelCase names.
 */
import type { LogEntry, SandboxClient, SandboxEndpoints } from './types.js';

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A flat object's keys in snake_case (values as they are; undefined left out). */
function snakeKeys(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[snake(k)] = Array.isArray(v) ? [...(v as unknown[])] : v;
  return out;
}

/** A client; its secret only when `withSecret` (the sandbox shows a secret it made up, never one it was given). */
export function clientJson(c: SandboxClient, withSecret = true): Record<string, unknown> {
  const j = snakeKeys(c);
  if (!withSecret && 'secret' in j) j.secret = null;
  return j;
}

export function endpointsJson(e: SandboxEndpoints): Record<string, unknown> {
  return snakeKeys(e);
}

export function logEntryJson(e: LogEntry): Record<string, unknown> {
  return snakeKeys(e);
}

/** A fault as the control API takes it: snake_case, or the camelCase of the TypeScript type. */
export function faultFromJson(x: unknown): unknown {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return x;
  const names: Record<string, string> = { grant_type: 'grantType', retry_after: 'retryAfter', delay_ms: 'delayMs', after_processing: 'afterProcessing' };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[names[k] ?? k] = v;
  return out;
}
