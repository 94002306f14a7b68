/** RFC 8628 §3.1 the device authorization endpoint, and §3.3 the page where a person enters the user code. */
import { authenticateClient, readClientCredentials } from './client-auth.js';
import { DEVICE_VERIFICATION_PATH, type SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { mediaType, parseParams, readBody, withParams } from './http-util.js';
import { approvePage, deviceDonePage, deviceEntryPage, pageTranslator } from './pages.js';
import { resourceParameter } from './resource-indicators.js';
import { fail, SANDBOX_USER } from './state.js';
import type { DeviceGrants, PendingDevice } from './device-grant.js';

/** POST /device_authorization */
export async function deviceAuthorization(ctx: SandboxContext, ex: Exchange): Promise<void> {
  const devices = ctx.devices!;
  const { params, duplicate } = parseParams(await readBody(ex.req));
  if (mediaType(ex.req) !== 'application/x-www-form-urlencoded') {
    return ex.oauthError(fail('invalid_request', 'the body must be application/x-www-form-urlencoded'));
  }
  if (duplicate !== undefined) return ex.oauthError(fail('invalid_request', `parameter "${duplicate}" was sent more than once`));
  const creds = readClientCredentials(ctx.profile, ex.req.headers.authorization, params);
  if (!creds.ok) return ex.oauthError(creds);
  if (creds.value.clientId !== undefined) ex.note({ clientId: creds.value.clientId });
  const auth = authenticateClient(ctx.profile, ctx.clients, creds.value, undefined, ctx.now());
  if (!auth.ok) return ex.oauthError(auth);
  const scope = ctx.state.resolveScope(auth.value, params.get('scope') ?? undefined);
  if (!scope.ok) return ex.oauthError(scope);
  const resource = resourceParameter(ctx, params.get('resource'));
  if (!resource.ok) return ex.oauthError(resource);
  const started = devices.begin(auth.value, scope.value, resource.value);
  const verification = ctx.url + DEVICE_VERIFICATION_PATH;
  ex.json(200, {
    ...started,
    verification_uri: verification,
    verification_uri_complete: withParams(verification, { user_code: started.user_code }),
  });
}

function showApproval(ctx: SandboxContext, ex: Exchange, p: PendingDevice): void {
  const client = ctx.clients.get(p.clientId);
  ex.html(
    200,
    approvePage({
      tr: pageTranslator(ex.req),
      profileTitle: ctx.profile.title,
      action: DEVICE_VERIFICATION_PATH,
      hidden: [['user_code', p.userCode]],
      clientName: client?.name ?? p.clientId,
      user: SANDBOX_USER.login,
      scopes: p.scope === '' ? [] : p.scope.split(' '),
      userCode: p.userCode,
      ...(p.resource !== undefined ? { resource: p.resource } : {}),
    }),
  );
}

function decide(ctx: SandboxContext, ex: Exchange, devices: DeviceGrants, userCode: string, approve: boolean): void {
  if (!devices.decide(userCode, approve)) return unknownCode(ctx, ex);
  ex.html(200, deviceDonePage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, approved: approve }));
}

function unknownCode(ctx: SandboxContext, ex: Exchange): void {
  ex.html(400, deviceEntryPage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, action: DEVICE_VERIFICATION_PATH, unknownCode: true }), 'invalid_request');
}

/** GET /device[?user_code=…]: the entry form, or the approval page for the code (approved at once with auto-approve). */
export function deviceVerificationGet(ctx: SandboxContext, ex: Exchange, u: URL): void {
  const devices = ctx.devices!;
  const userCode = u.searchParams.get('user_code');
  if (!userCode) return ex.html(200, deviceEntryPage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, action: DEVICE_VERIFICATION_PATH }));
  const p = devices.pending(userCode);
  if (!p) return unknownCode(ctx, ex);
  if (ctx.autoApprove) return decide(ctx, ex, devices, p.userCode, true);
  showApproval(ctx, ex, p);
}

/** POST /device: the entry form (user_code) or the approval form (user_code and decision). */
export async function deviceVerificationPost(ctx: SandboxContext, ex: Exchange): Promise<void> {
  const devices = ctx.devices!;
  const { params } = parseParams(await readBody(ex.req));
  const p = devices.pending(params.get('user_code') ?? '');
  if (!p) return unknownCode(ctx, ex);
  ex.note({ clientId: p.clientId });
  const decision = params.get('decision');
  if (decision === null) return ctx.autoApprove ? decide(ctx, ex, devices, p.userCode, true) : showApproval(ctx, ex, p);
  if (decision === 'approve' || decision === 'deny') return decide(ctx, ex, devices, p.userCode, decision === 'approve');
  ex.html(400, deviceEntryPage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, action: DEVICE_VERIFICATION_PATH }), 'invalid_request');
}
