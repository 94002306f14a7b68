/** A per-minute request budget in Backlog's style: 429 beyond it, X-RateLimit-* headers always. */
import type { Exchange } from './exchange.js';

export class RateLimit {
  private window = 0;
  private count = 0;

  constructor(
    /** undefined = no limit */
    private readonly perMinute: number | undefined,
    private readonly now: () => number,
  ) {}

  /** true when the request was answered with 429 */
  exceeded(ex: Exchange): boolean {
    const limit = this.perMinute;
    if (limit === undefined) return false;
    const t = this.now();
    const window = Math.floor(t / 60_000) * 60_000;
    if (window !== this.window) {
      this.window = window;
      this.count = 0;
    }
    const reset = Math.floor((window + 60_000) / 1000);
    if (this.count >= limit) {
      ex.json(
        429,
        { error: 'too_many_requests', error_description: 'rate limit exceeded' },
        {
          'X-RateLimit-Limit': limit,
          'X-RateLimit-Remaining': 0,
          'X-RateLimit-Reset': reset,
          'Retry-After': Math.max(1, Math.ceil((window + 60_000 - t) / 1000)),
        },
      );
      return true;
    }
    this.count += 1;
    ex.headers['X-RateLimit-Limit'] = limit;
    ex.headers['X-RateLimit-Remaining'] = limit - this.count;
    ex.headers['X-RateLimit-Reset'] = reset;
    return false;
  }
}
