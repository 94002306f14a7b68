import test from 'ava';
import { freshSettings } from '../../src/credential/index.js';
import { openCredential } from '../../src/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { sendJson, storeFor, tokenEndpoint } from './helpers.js';
import type { TokenEndpoint } from './helpers.js';

/** Answers every refresh with a new access token of `lifetime` seconds. */
function rotating(lifetime: number) {
  let n = 0;
  return (_req: unknown, res: Parameters<typeof sendJson>[0]) => {
    n += 1;
    sendJson(res, 200, { access_token: `access-${n}`, token_type: 'Bearer', expires_in: lifetime, refresh_token: `refresh-${n}` });
  };
}

const count = (ep: TokenEndpoint) => ep.refreshes.length;

test('a token living less than twice --min-valid is not refreshed on every call: the margin is capped at half its lifetime', async (t) => {
  // 60 s of life, 59 s left: under the default --min-valid 60, but more than half its life (30 s) is left
  const ep = await tokenEndpoint(t, rotating(60));
  const { home, base } = await storeFor(t, ep, { lifetime: 60, secondsLeft: 59 });
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  for (let i = 0; i < 3; i++) {
    const r = await runCli(['token', 'svc'], { env });
    t.is(r.code, 0, r.stderr);
    t.is(r.stdout, 'old-access\n');
  }
  t.is(count(ep), 0, 'token: no refresh while more than half the lifetime is left');

  const cred = await openCredential({ name: 'svc' }, { store: home, env });
  for (let i = 0; i < 3; i++) t.is(await cred.accessToken(), 'old-access');
  t.is(count(ep), 0, 'library: the same rule');
  await cred.close();

  const status = await runCli(['status', 'svc', '--json'], { env });
  t.is(status.code, 0, status.stderr);
  t.is(JSON.parse(status.stdout).refresh_margin_seconds, 30, 'status says which margin is in use');
});

test('the capped margin still refreshes once the token is past half its lifetime, once per lifetime', async (t) => {
  const ep = await tokenEndpoint(t, rotating(10));
  const { store } = await storeFor(t, ep, { lifetime: 10, secondsLeft: 10 });
  const start = Date.parse((await store.read('svc')).token.obtained_at);
  // a clock the test moves: 64 calls over one lifetime
  let now = start;
  const tokens = new Set<string>();
  for (let i = 0; i < 64; i++) {
    now = start + Math.floor((i * 10_000) / 64);
    const r = await freshSettings(store, 'svc', { now: () => now });
    tokens.add(r.settings.token.access_token);
  }
  t.is(count(ep), 1, '64 calls over one 10 s lifetime: one refresh (at half of it)');
  t.deepEqual([...tokens], ['old-access', 'access-1']);
  // --min-valid below half the lifetime is used as it is
  const expiresAt = Date.parse((await store.read('svc')).token.expires_at as string);
  const r = await freshSettings(store, 'svc', { now: () => expiresAt - 3_000, minValidSeconds: 2 });
  t.false(r.refreshed);
});
