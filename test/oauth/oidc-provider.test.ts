/**
 * src/oauth against oidc-provider 9, a certified and independent authorization
 * server: discovery, the code exchange, refresh with rotation, revocation.
 */
import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import {
  authorizationCodeGrantRequest,
  createHttpClient,
  discover,
  endpointsFromMetadata,
  processRevocationResponse,
  processTokenResponse,
  refreshTokenGrantRequest,
  revocationRequest,
} from '../../src/oauth/index.js';
import { startOidcProvider } from '../helpers/oidc-server.js';

test('discovery finds oidc-provider\'s RFC 8414 metadata and its endpoints', async (t) => {
  const op = await startOidcProvider();
  t.teardown(() => op.close());
  const meta = await discover(await createHttpClient(), op.issuer);
  t.is(meta.issuer, op.issuer);
  t.is(meta.metadataUrl, `${op.issuer}/.well-known/oauth-authorization-server`);
  t.true(meta.code_challenge_methods_supported?.includes('S256'));
  t.deepEqual(endpointsFromMetadata(meta), op.endpoints);
});

for (const auth of ['client_secret_basic', 'client_secret_post'] as const) {
  test(`code exchange and rotating refresh with a confidential client (${auth})`, async (t) => {
    const op = await startOidcProvider({ clientAuthMethod: auth });
    t.teardown(() => op.close());
    const http = await createHttpClient();
    const code = await op.authorize();
    const first = processTokenResponse(
      await authorizationCodeGrantRequest(http, op.endpoints, op.clientConfig, {
        code: code.code,
        redirectUri: code.redirectUri,
        codeVerifier: code.codeVerifier,
      }),
    );
    t.is(first.token_type, 'Bearer');
    t.truthy(first.access_token);
    t.truthy(first.refresh_token);
    t.is(first.expires_in, 3600);
    t.truthy(first.raw.id_token);

    const second = processTokenResponse(await refreshTokenGrantRequest(http, op.endpoints, op.clientConfig, first.refresh_token!));
    t.truthy(second.refresh_token);
    t.not(second.refresh_token, first.refresh_token);
    t.not(second.access_token, first.access_token);
    // the code is single-use: a second exchange is invalid_grant, and the server revokes the grant (RFC 6749 §4.1.2)
    const again = await authorizationCodeGrantRequest(http, op.endpoints, op.clientConfig, {
      code: code.code,
      redirectUri: code.redirectUri,
      codeVerifier: code.codeVerifier,
    });
    const reuse = t.throws(() => processTokenResponse(again));
    t.true(isHandoffError(reuse, 'REAUTH_REQUIRED'));
    t.regex(reuse!.message, /^the authorization code was rejected \(invalid_grant\)/);

    const dead = await refreshTokenGrantRequest(http, op.endpoints, op.clientConfig, second.refresh_token!);
    t.true(isHandoffError(t.throws(() => processTokenResponse(dead)), 'REAUTH_REQUIRED'));
  });
}

test('a wrong client secret is PROVIDER_ERROR invalid_client, not a re-authorization', async (t) => {
  const op = await startOidcProvider();
  t.teardown(() => op.close());
  const tokens = await op.obtainTokens();
  const http = await createHttpClient();
  const res = await refreshTokenGrantRequest(http, op.endpoints, { ...op.clientConfig, secret: 'wrong-secret' }, tokens.refresh_token!);
  const e = t.throws(() => processTokenResponse(res));
  t.true(isHandoffError(e, 'PROVIDER_ERROR'), String(e));
  t.is((e as { oauth?: { error?: string; status?: number } }).oauth?.error, 'invalid_client');
  t.is((e as { oauth?: { status?: number } }).oauth?.status, 401);
});

test('replaying a used refresh token revokes the whole grant: both old and new are invalid_grant', async (t) => {
  const op = await startOidcProvider();
  t.teardown(() => op.close());
  const http = await createHttpClient();
  const first = await op.obtainTokens();
  const second = processTokenResponse(await refreshTokenGrantRequest(http, op.endpoints, op.clientConfig, first.refresh_token!));
  const replay = await refreshTokenGrantRequest(http, op.endpoints, op.clientConfig, first.refresh_token!);
  t.true(isHandoffError(t.throws(() => processTokenResponse(replay)), 'REAUTH_REQUIRED'));
  const newest = await refreshTokenGrantRequest(http, op.endpoints, op.clientConfig, second.refresh_token!);
  const e = t.throws(() => processTokenResponse(newest));
  t.true(isHandoffError(e, 'REAUTH_REQUIRED'));
  t.regex(e!.message, /^the refresh token was rejected \(invalid_grant\)/);
});

test('RFC 7009 revocation of the refresh token ends it: the next refresh is REAUTH_REQUIRED', async (t) => {
  const op = await startOidcProvider({ clientAuthMethod: 'client_secret_post' });
  t.teardown(() => op.close());
  const http = await createHttpClient();
  const tokens = await op.obtainTokens();
  processRevocationResponse(await revocationRequest(http, op.endpoints, op.clientConfig, tokens.refresh_token!, { tokenTypeHint: 'refresh_token' }));
  // revoking an unknown or already revoked token is still 200 (RFC 7009 §2.2)
  processRevocationResponse(await revocationRequest(http, op.endpoints, op.clientConfig, tokens.refresh_token!));
  const res = await refreshTokenGrantRequest(http, op.endpoints, op.clientConfig, tokens.refresh_token!);
  t.true(isHandoffError(t.throws(() => processTokenResponse(res)), 'REAUTH_REQUIRED'));
});
