/**
 * `token` in full, for the fast path (src/fast-token.ts) when its fresh read does not serve the
 * call: a refresh due, a grant marked for re-authorization, a warning to give, a fleet store, any
 * error to report. Bundled on its own (dist/fast-token-full.cjs, scripts/bundle.mjs) and loaded
 * only then, so a fresh-token call compiles none of it.
 */
import { storeFromArgs } from './cli-args.js';
import { tokenCommand } from './headless-side/index.js';
import { createOutput, reportError } from './terminal/index.js';
import type { TokenArgs } from './fast-token.js';

export function fullToken(a: TokenArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const out = createOutput();
  let store: string | undefined;
  try {
    store = storeFromArgs({ store: a.store as string | undefined, redisPrefix: a['redis-prefix'] as string | undefined }, env, out);
  } catch (e) {
    return Promise.resolve(reportError(e, out, { json: a.json === true }));
  }
  return tokenCommand({
    name: a.name,
    store,
    json: a.json === true,
    minValid: a['min-valid'] as number,
    lockTimeoutMs: (a['lock-timeout'] as number) * 1000,
    out,
  }).catch((e: unknown) => reportError(e, out, { json: a.json === true }));
}
