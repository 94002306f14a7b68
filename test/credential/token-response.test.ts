import test from 'ava';
import { freshSettings, foldTokenResponse } from '../../src/credential/index.js';
import { settingsFromTokens } from '../../src/authorization/index.js';
import { getProvider } from '../../src/oauth/index.js';
import { sendJson, storeFor, tokenEndpoint } from './helpers.js';

const T0 = Date.UTC(2030, 0, 1);

test('a zero or negative refresh_token_expires_in is no expiry at all, on refresh as on authorization (one fold for both)', async (t) => {
  for (const said of [0, -5]) {
    const ep = await tokenEndpoint(t, (_req, res) =>
      sendJson(res, 200, { access_token: 'new-access', token_type: 'Bearer', expires_in: 3600, refresh_token: 'new-refresh', refresh_token_expires_in: said }),
    );
    const { store } = await storeFor(t, ep);
    const r = await freshSettings(store, 'svc', { minValidSeconds: 0, force: true });
    t.true(r.refreshed);
    t.is(r.settings.token.refresh_token, 'new-refresh');
    t.is(r.settings.token.refresh_token_expires_at, undefined, `refresh_token_expires_in ${said} gives no expiry (a generic server's refresh token has none known)`);
    t.is((await store.read('svc')).token.refresh_token_expires_at, undefined);

    const made = settingsFromTokens({
      name: 'g',
      preset: getProvider('generic'),
      endpoints: { token: ep.url },
      client: { id: 'c', secret: 's', auth_method: 'client_secret_basic' },
      scopes: [],
      tokens: { access_token: 'a', token_type: 'Bearer', expires_in: 60, refresh_token: 'r', raw: { refresh_token_expires_in: said } },
      obtainedAt: T0,
      via: 'authorize',
    });
    t.is(made.token.refresh_token_expires_at, undefined);
  }
});

test('the fold keeps the old refresh token, its known expiry and scope when the response omits them (RFC 6749 §6)', (t) => {
  const prev = { access_token: 'a0', token_type: 'Bearer', obtained_at: new Date(T0).toISOString(), refresh_token: 'r0', refresh_token_expires_at: '2030-02-01T00:00:00.000Z', scope: 'read' };
  const kept = foldTokenResponse(prev, { access_token: 'a1', token_type: 'Bearer', expires_in: 60, raw: {} }, T0 + 1000, 30 * 86400);
  t.false(kept.rotated);
  t.is(kept.token.refresh_token, 'r0');
  t.is(kept.token.refresh_token_expires_at, '2030-02-01T00:00:00.000Z', 'not rotated: the preset lifetime does not restart');
  t.is(kept.token.scope, 'read');
  t.is(kept.token.expires_at, '2030-01-01T00:01:01.000Z');
  const rotated = foldTokenResponse(prev, { access_token: 'a1', token_type: 'Bearer', refresh_token: 'r1', raw: {} }, T0, 30 * 86400);
  t.true(rotated.rotated);
  t.is(rotated.token.refresh_token_expires_at, '2030-01-31T00:00:00.000Z', 'rotated: the preset lifetime counts from the new refresh token');
  t.is(rotated.token.expires_at, undefined);
  const said = foldTokenResponse(prev, { access_token: 'a1', token_type: 'Bearer', refresh_token: 'r1', raw: { refresh_token_expires_in: 60 } }, T0, 30 * 86400);
  t.is(said.token.refresh_token_expires_at, '2030-01-01T00:01:00.000Z', "the server's word first");
});
