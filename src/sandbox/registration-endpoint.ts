/** RFC 7591 §3 the client registration endpoint; RFC 7592 §2 the client configuration endpoint (read, delete). */
import { REGISTRATION_PATH, type SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { mediaType, readBody } from './http-util.js';

/** POST /register */
export async function register(ctx: SandboxContext, ex: Exchange): Promise<void> {
  const reg = ctx.registrations!;
  const text = await readBody(ex.req);
  if (mediaType(ex.req) !== 'application/json') {
    return ex.json(400, { error: 'invalid_client_metadata', error_description: 'the body must be application/json (RFC 7591 §3.1)' });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return ex.json(400, { error: 'invalid_client_metadata', error_description: 'the body is not JSON' });
  }
  const m = reg.check(body);
  if (!m.ok) return ex.oauthError(m);
  const r = reg.register(m.value, ctx.url);
  if (!r.ok) return ex.oauthError(r);
  ex.note({ clientId: r.value.client_id as string });
  ex.json(201, r.value);
}

/** RFC 6750 §3: the registration access token was missing or is not this client's. */
function challenge(ex: Exchange, presented: boolean): void {
  const body = presented
    ? { error: 'invalid_token', error_description: 'the registration access token is not valid for this client' }
    : { error: 'invalid_request', error_description: 'a Bearer registration access token is required' };
  const header = presented ? 'Bearer error="invalid_token"' : 'Bearer realm="sandbox"';
  ex.json(401, body, { 'WWW-Authenticate': header });
}

/** GET / DELETE /register/{client_id} */
export function clientConfiguration(ctx: SandboxContext, ex: Exchange, u: URL): void {
  const reg = ctx.registrations!;
  let clientId: string;
  try {
    clientId = decodeURIComponent(u.pathname.slice(REGISTRATION_PATH.length + 1));
  } catch {
    return challenge(ex, true);
  }
  ex.note({ clientId });
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(ex.req.headers.authorization ?? '');
  if (!m?.[1]) return challenge(ex, false);
  // RFC 7592 §2: an unknown client and a wrong token both answer 401
  const client = reg.authorize(clientId, m[1]);
  if (!client) return challenge(ex, true);
  if (ex.req.method === 'DELETE') {
    reg.remove(clientId);
    ctx.state.forgetClient(clientId);
    return ex.empty(204);
  }
  ex.json(200, reg.describe(clientId, ctx.url));
}
