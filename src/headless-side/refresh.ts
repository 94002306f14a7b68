import { freshSettings, openStore } from '../credential/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';
import { describeCredential, printStatus } from './status.js';

export interface RefreshOptions extends CommonOptions {
  name: string;
  lockTimeoutMs?: number;
}

/** `oauth-handoff refresh NAME`: refresh now, whatever the expiry. */
export async function refreshCommand(o: RefreshOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openStore(o);
  const r = await freshSettings(store, o.name, { minValidSeconds: 0, force: true, lockTimeoutMs: o.lockTimeoutMs, now: o.now });
  const d = describeCredential(r.settings, store.description, (o.now ?? Date.now)());
  if (o.json) out.json({ ...d, rotated: r.rotated });
  else {
    out.info(out.t(r.rotated ? 'refresh.done_rotated' : 'refresh.done', { name: o.name }));
    printStatus(out, [d], (o.now ?? Date.now)(), 'stderr', store.label);
  }
  return 0;
}
