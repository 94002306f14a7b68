import { openStore } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { createHttpClient, processRevocationResponse, revocationRequest } from '../oauth/index.js';
import { USER_AGENT } from '../version.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export interface ForgetOptions extends CommonOptions {
  name: string;
  /** revoke the grant at the provider first (RFC 7009), where it has an endpoint */
  revoke?: boolean;
  lockTimeoutMs?: number;
}

/** `oauth-handoff forget NAME [--revoke]` */
export async function forgetCommand(o: ForgetOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openStore(o);
  let revoked = false;
  await store.withWriteLock(
    o.name,
    async () => {
      const s = await store.read(o.name);
      if (o.revoke) {
        if (!s.endpoints.revocation) {
          throw new HandoffError(`the provider of "${o.name}" (${s.provider}) has no revocation endpoint; revoke the grant in its web interface, then forget without --revoke`, {
            code: CODES.USAGE,
            credential: o.name,
          });
        }
        const http = await createHttpClient({ userAgent: USER_AGENT });
        const token = s.token.refresh_token ?? s.token.access_token;
        const hint = s.token.refresh_token ? 'refresh_token' : 'access_token';
        processRevocationResponse(await revocationRequest(http, s.endpoints, s.client, token, hint));
        revoked = true;
      }
      await store.remove(o.name);
    },
    { timeoutMs: o.lockTimeoutMs },
  );
  if (o.json) out.json({ name: o.name, forgotten: true, revoked });
  else out.info(`forgot "${o.name}"${revoked ? ' and revoked its grant at the provider' : ''}`);
  return 0;
}
