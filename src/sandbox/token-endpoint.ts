/** RFC 6749 §3.2 the token endpoint: §4.1.3 code exchange and §6 refresh, with injected faults first. */
import { authenticateClient, readClientCredentials } from './client-auth.js';
import type { SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { mediaType, parseParams, readBody, sleep } from './http-util.js';
import { DEVICE_CODE_GRANT } from './device-grant.js';
import { resourceParameter } from './resource-indicators.js';
import { fail, refreshTokenId, type Failure } from './state.js';
import type { Fault, TokenResponse } from './types.js';

const FAULT_DEFAULTS = {
  500: { error: 'server_error', error_description: 'injected fault: internal error' },
  503: { error: 'temporarily_unavailable', error_description: 'injected fault: unavailable' },
  429: { error: 'too_many_requests', error_description: 'injected fault: too many requests' },
} as const;
const GARBAGE_PAGE = '<html><body><h1>200 OK</h1>upstream proxy page</body></html>';

function sendFault(ex: Exchange, f: Fault): void {
  ex.note({ fault: 'garbage' in f ? 'garbage' : 'status' });
  if ('garbage' in f) {
    ex.text(200, 'text/html; charset=utf-8', f.body ?? GARBAGE_PAGE);
    return;
  }
  const s = f as Extract<Fault, { status: 500 | 503 | 429 }>;
  const headers: Record<string, string | number> = {};
  if (s.retryAfter !== undefined) headers['Retry-After'] = Math.ceil(s.retryAfter);
  if (typeof s.body === 'string') {
    ex.text(s.status, s.body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', s.body, headers);
    return;
  }
  ex.json(s.status, s.body ?? FAULT_DEFAULTS[s.status], headers);
}

export async function token(ctx: SandboxContext, ex: Exchange): Promise<void> {
  const { profile, state } = ctx;
  const body = await readBody(ex.req);
  const { params, duplicate } = parseParams(body);
  const grantType = params.get('grant_type') ?? undefined;
  const creds = readClientCredentials(profile, ex.req.headers.authorization, params);
  if (grantType !== undefined) ex.note({ grantType });
  const cid = creds.ok ? creds.value.clientId : (params.get('client_id') ?? undefined);
  if (cid !== undefined) ex.note({ clientId: cid });
  const resourceSent = params.get('resource');
  if (resourceSent !== null) ex.note({ resource: resourceSent });
  const rt = params.get('refresh_token');
  if (grantType === 'refresh_token' && rt !== null) ex.note({ refreshTokenId: refreshTokenId(rt) });

  let resetAfter = false;
  const f = ctx.faults.take(grantType);
  if (f) {
    if ('delayMs' in f) {
      ex.note({ fault: 'delay' });
      await sleep(f.delayMs, ctx.closing);
      if (ctx.closing.aborted || ex.res.destroyed) return;
    } else if ('reset' in f) {
      ex.note({ fault: 'reset' });
      if (f.afterProcessing !== true) return ex.reset();
      resetAfter = true;
    } else {
      return sendFault(ex, f);
    }
  }
  if (ctx.rateLimit.exceeded(ex)) return;

  const answer = (r: { ok: true; value: TokenResponse } | Failure, extra: Record<string, string> = {}) => {
    if (resetAfter) return ex.reset();
    if (r.ok) return ex.json(200, r.value);
    return ex.oauthError(r, extra);
  };

  if (mediaType(ex.req) !== 'application/x-www-form-urlencoded') {
    return answer(fail('invalid_request', 'the body must be application/x-www-form-urlencoded'));
  }
  if (duplicate !== undefined) return answer(fail('invalid_request', `parameter "${duplicate}" was sent more than once`));
  if (grantType === undefined) return answer(fail('invalid_request', 'missing "grant_type"'));
  const device = grantType === DEVICE_CODE_GRANT ? ctx.devices : undefined;
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token' && !device) {
    return answer(fail('unsupported_grant_type', `grant_type "${grantType}" is not supported`));
  }
  if (!creds.ok) return answer(creds);
  const auth = authenticateClient(profile, ctx.clients, creds.value, grantType, ctx.now());
  if (!auth.ok) {
    const extra: Record<string, string> = auth.status === 401 && creds.value.basic ? { 'WWW-Authenticate': 'Basic realm="sandbox"' } : {};
    return answer(auth, extra);
  }
  if (device) return answer(device.poll(auth.value, params.get('device_code') ?? undefined));
  const resource = resourceParameter(ctx, params.get('resource'));
  if (!resource.ok) return answer(resource);
  if (grantType === 'authorization_code') {
    return answer(
      state.exchangeCode(auth.value, {
        code: params.get('code') ?? undefined,
        redirectUri: params.get('redirect_uri') ?? undefined,
        codeVerifier: params.get('code_verifier') ?? undefined,
        resource: resource.value,
      }),
    );
  }
  const r = state.refresh(auth.value, {
    refreshToken: params.get('refresh_token') ?? undefined,
    scope: params.get('scope') ?? undefined,
    resource: resource.value,
  });
  ex.note({ replay: r.replay });
  return answer(r.outcome);
}
