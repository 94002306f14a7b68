/** The fault queue: injected failures consumed by the next matching token-endpoint requests. */
import type { Fault } from './types.js';

interface Queued {
  fault: Fault;
  remaining: number;
}

/** Why a value is not a Fault, or undefined when it is one. */
export function faultProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'a fault must be an object';
  const f = x as Record<string, unknown>;
  if (f.count !== undefined && !(Number.isInteger(f.count) && (f.count as number) >= 1)) {
    return '"count" must be a positive integer';
  }
  if (f.grantType !== undefined && f.grantType !== 'authorization_code' && f.grantType !== 'refresh_token') {
    return '"grantType" must be authorization_code or refresh_token';
  }
  if (f.garbage === true) {
    if (f.status !== 200) return 'a garbage fault has status 200';
    if (f.body !== undefined && typeof f.body !== 'string') return '"body" of a garbage fault must be a string';
    return undefined;
  }
  if (f.reset === true) {
    if (f.afterProcessing !== undefined && typeof f.afterProcessing !== 'boolean') return '"afterProcessing" must be a boolean';
    return undefined;
  }
  if (f.delayMs !== undefined) {
    if (typeof f.delayMs !== 'number' || !Number.isFinite(f.delayMs) || f.delayMs < 0 || f.delayMs > 600_000) {
      return '"delayMs" must be a number of milliseconds up to 600000';
    }
    return undefined;
  }
  if (f.status === 500 || f.status === 503 || f.status === 429) {
    if (f.retryAfter !== undefined && !(typeof f.retryAfter === 'number' && f.retryAfter >= 0)) {
      return '"retryAfter" must be a number of seconds';
    }
    return undefined;
  }
  return 'unknown fault: expected {status: 500|503|429}, {delayMs}, {reset: true} or {status: 200, garbage: true}';
}

export class FaultQueue {
  private readonly queue: Queued[] = [];

  push(f: Fault): void {
    this.queue.push({ fault: { ...f }, remaining: f.count ?? 1 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  get size(): number {
    return this.queue.length;
  }

  /** the first queued fault matching this request, consumed once */
  take(grantType: string | undefined): Fault | undefined {
    const i = this.queue.findIndex((q) => q.fault.grantType === undefined || q.fault.grantType === grantType);
    const q = this.queue[i];
    if (!q) return undefined;
    q.remaining -= 1;
    if (q.remaining <= 0) this.queue.splice(i, 1);
    return q.fault;
  }
}
