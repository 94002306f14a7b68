/** The control API for tests in other processes: log, faults, minted grants. Loopback only, never logged. */
import { endpointsOf, publicClient, type SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { faultProblem } from './faults.js';
import { isLoopbackAddress, readBody } from './http-util.js';
import type { Fault } from './types.js';

async function readJson(ex: Exchange): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    const text = await readBody(ex.req);
    return { ok: true, value: text.trim() === '' ? {} : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false };
  }
}

const notJson = (ex: Exchange) => ex.json(400, { error: 'invalid_request', error_description: 'body must be JSON' });

export async function control(ctx: SandboxContext, ex: Exchange, path: string): Promise<void> {
  if (!isLoopbackAddress(ex.req.socket.remoteAddress)) {
    return ex.json(403, { error: 'forbidden', error_description: 'the control API answers only on loopback' });
  }
  const route = `${ex.req.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /_sandbox/log':
      return ex.json(200, ctx.log.list());
    case 'POST /_sandbox/reset-log':
      ctx.log.reset();
      return ex.empty(204);
    case 'GET /_sandbox/info':
      return ex.json(200, {
        url: ctx.url,
        profile: ctx.profile.id,
        endpoints: endpointsOf(ctx.profile, ctx.url),
        client: publicClient(ctx.mainClient),
      });
    case 'POST /_sandbox/faults': {
      const body = await readJson(ex);
      if (!body.ok) return notJson(ex);
      const v = body.value;
      const list =
        Array.isArray(v) ? v
        : typeof v === 'object' && v !== null && Array.isArray((v as { faults?: unknown }).faults) ? (v as { faults: unknown[] }).faults
        : [v];
      for (const f of list) {
        const problem = faultProblem(f);
        if (problem) return ex.json(400, { error: 'invalid_request', error_description: problem });
      }
      for (const f of list) ctx.faults.push(f as Fault);
      return ex.json(200, { queued: ctx.faults.size });
    }
    case 'DELETE /_sandbox/faults':
      ctx.faults.clear();
      return ex.empty(204);
    case 'POST /_sandbox/grants': {
      const body = await readJson(ex);
      if (!body.ok) return notJson(ex);
      const b = (typeof body.value === 'object' && body.value !== null ? body.value : {}) as { clientId?: unknown; scope?: unknown };
      const clientId = typeof b.clientId === 'string' ? b.clientId : ctx.mainClient.id;
      const r = ctx.state.mintGrant(clientId, typeof b.scope === 'string' ? b.scope : undefined);
      if (!r.ok) return ex.oauthError(r);
      return ex.json(200, { token: r.value, client: publicClient(ctx.clients.get(clientId)!) });
    }
    default:
      return ex.json(404, { error: 'not_found', error_description: `no control route ${route}` });
  }
}
