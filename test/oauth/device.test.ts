import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import {
  createHttpClient,
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  GRANT_DEVICE_CODE,
  processDeviceAuthorizationResponse,
  processDeviceCodeResponse,
  type ClientConfig,
  type DeviceCodeOutcome,
} from '../../src/oauth/index.js';
import { json, startServer } from './helpers.js';

const CLIENT: ClientConfig = { id: 'tv', auth_method: 'none' };

test('the device grant: authorization, then pending, slow_down, and tokens, as typed outcomes (RFC 8628)', async (t) => {
  const polls: Record<string, number> = {};
  const script: Record<string, (n: number) => [number, unknown]> = {
    'dc-ok': (n) =>
      n === 1 ? [400, { error: 'authorization_pending' }] : n === 2 ? [400, { error: 'slow_down' }] : [200, { access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' }],
    'dc-expired': () => [400, { error: 'expired_token', error_description: 'too late' }],
    'dc-denied': () => [400, { error: 'access_denied' }],
    'dc-client': () => [401, { error: 'invalid_client' }],
  };
  const server = await startServer((req, res) => {
    if (req.path === '/device') {
      return json(res, 200, {
        device_code: 'dc-ok',
        user_code: 'WDJB-MJHT',
        verification_uri: 'https://as.example/device',
        verification_uri_complete: 'https://as.example/device?user_code=WDJB-MJHT',
        expires_in: 1800,
      });
    }
    const code = req.form.get('device_code') ?? '';
    polls[code] = (polls[code] ?? 0) + 1;
    const [status, body] = script[code]!(polls[code]!);
    return json(res, status, body);
  });
  t.teardown(() => server.close());
  const http = await createHttpClient();
  const endpoints = { token: `${server.url}/token`, device_authorization: `${server.url}/device` };

  const auth = processDeviceAuthorizationResponse(await deviceAuthorizationRequest(http, endpoints, CLIENT, { scope: 'read' }));
  t.is(server.seen[0]!.form.get('client_id'), 'tv');
  t.is(server.seen[0]!.form.get('scope'), 'read');
  t.is(auth.user_code, 'WDJB-MJHT');
  t.is(auth.interval, 5); // the RFC 8628 §3.2 default
  t.is(auth.expires_in, 1800);
  t.is(auth.verification_uri_complete, 'https://as.example/device?user_code=WDJB-MJHT');

  const outcomes: DeviceCodeOutcome['status'][] = [];
  for (let i = 0; i < 5; i++) {
    const outcome = processDeviceCodeResponse(await deviceCodeGrantRequest(http, endpoints, CLIENT, auth.device_code));
    outcomes.push(outcome.status);
    if (outcome.status === 'success') {
      t.is(outcome.tokens.access_token, 'at');
      t.is(outcome.tokens.refresh_token, 'rt');
      break;
    }
  }
  t.deepEqual(outcomes, ['authorization_pending', 'slow_down', 'success']);
  t.is(server.seen[1]!.form.get('grant_type'), GRANT_DEVICE_CODE);

  t.deepEqual(processDeviceCodeResponse(await deviceCodeGrantRequest(http, endpoints, CLIENT, 'dc-expired')), {
    status: 'expired_token',
    error_description: 'too late',
  });
  t.deepEqual(processDeviceCodeResponse(await deviceCodeGrantRequest(http, endpoints, CLIENT, 'dc-denied')), { status: 'access_denied' });
  const res = await deviceCodeGrantRequest(http, endpoints, CLIENT, 'dc-client');
  t.true(isHandoffError(t.throws(() => processDeviceCodeResponse(res)), 'PROVIDER_ERROR'));
});

test('a device authorization response missing its codes is a PROVIDER_ERROR', async (t) => {
  const server = await startServer((_req, res) => json(res, 200, { device_code: 'x', expires_in: 10 }));
  t.teardown(() => server.close());
  const http = await createHttpClient();
  const res = await deviceAuthorizationRequest(http, { token: `${server.url}/t`, device_authorization: `${server.url}/d` }, CLIENT);
  t.true(isHandoffError(t.throws(() => processDeviceAuthorizationResponse(res)), 'PROVIDER_ERROR'));
});
