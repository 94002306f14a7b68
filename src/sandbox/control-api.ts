/** The control API for tests in other processes: log, faults, minted grants. Loopback only, never logged. */
import { endpointsOf, type SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { faultProblem } from './faults.js';
import { isLoopbackAddress, readBody } from './http-util.js';
import type { Fault } from './types.js';
import { clientJson, endpointsJson, faultFromJson, logEntryJson } from './wire.js';

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
      return ex.json(200, ctx.log.list().map(logEntryJson));
    case 'POST /_sandbox/reset-log':
      ctx.log.reset();
      return ex.empty(204);
    case 'GET /_sandbox/info':
      return ex.json(200, {
        url: ctx.url,
        profile: ctx.profile.id,
        endpoints: endpointsJson(endpointsOf(ctx, ctx.url)),
        client: clientJson(ctx.mainClient),
      });
    case 'POST /_sandbox/faults': {
      const body = await readJson(ex);
      if (!body.ok) return notJson(ex);
      const v = body.value;
      const list = (
        Array.isArray(v) ? v
        : typeof v === 'object' && v !== null && Array.isArray((v as { faults?: unknown }).faults) ? (v as { faults: unknown[] }).faults
        : [v]
      ).map(faultFromJson);
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
      const b = (typeof body.value === 'object' && body.value !== null ? body.value : {}) as { client_id?: unknown; clientId?: unknown; scope?: unknown; resource?: unknown };
      const named = b.client_id ?? b.clientId;
      const clientId = typeof named === 'string' ? named : ctx.mainClient.id;
      const r = ctx.state.mintGrant(clientId, typeof b.scope === 'string' ? b.scope : undefined, typeof b.resource === 'string' ? b.resource : undefined);
      if (!r.ok) return ex.oauthError(r);
      return ex.json(200, { token: r.value, client: clientJson(ctx.clients.get(clientId)!) });
    }
    default:
      return ex.json(404, { error: 'not_found', error_description: `no control route ${route}` });
  }
}
