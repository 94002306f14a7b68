/** RFC 7009 §2 Token Revocation. */
import { authenticateClient, readClientCredentials } from './client-auth.js';
import type { SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { parseParams, readBody } from './http-util.js';
import { fail } from './state.js';

export async function revoke(ctx: SandboxContext, ex: Exchange): Promise<void> {
  const { params } = parseParams(await readBody(ex.req));
  const creds = readClientCredentials(ctx.profile, ex.req.headers.authorization, params);
  if (!creds.ok) return ex.oauthError(creds);
  if (creds.value.clientId !== undefined) ex.note({ clientId: creds.value.clientId });
  const auth = authenticateClient(ctx.profile, ctx.clients, creds.value, undefined, ctx.now());
  if (!auth.ok) return ex.oauthError(auth);
  const t = params.get('token');
  if (t === null) return ex.oauthError(fail('invalid_request', 'missing "token"'));
  ctx.state.revoke(auth.value, t);
  ex.empty(200);
}
