/**
 * A real, certified authorization server for tests: oidc-provider 9 on
 * 127.0.0.1, with one confidential client, refresh tokens, rotation and
 * RFC 7009 revocation. `obtainTokens()` runs the whole authorization code
 * flow over HTTP (devInteractions' login and consent forms, driven with a
 * small cookie jar) and exchanges the code with src/oauth, so no browser is
 * needed.
 *
 * oidc-provider is strict where it matters to this project: replaying a
 * refresh token that was already used revokes the whole grant (the newest
 * refresh token dies too). With `rotateRefreshToken: true` (the default
 * here) every refresh returns a new refresh token.
 *
 * It prints a warning asking for Node 22 and one about devInteractions: both
 * expected.
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Page } from 'playwright-core';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authorizationCodeGrantRequest,
  buildAuthorizationUrl,
  createHttpClient,
  createPkce,
  createState,
  parseAuthorizationResponse,
  processTokenResponse,
  type ClientConfig,
  type Endpoints,
  type HttpClient,
  type TokenSet,
} from '../../src/oauth/index.js';

export interface OidcProviderOptions {
  /** how the client authenticates at the token and revocation endpoints; default client_secret_basic */
  clientAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** seconds; default 3600 */
  accessTokenTtl?: number;
  /** seconds; default 1 day */
  refreshTokenTtl?: number;
  /** default true: every refresh returns a new refresh token and consumes the old one */
  rotateRefreshToken?: boolean;
  /** extra scopes the server knows besides openid and offline_access */
  scopes?: string[];
  /** the account that signs in; default "user-1" */
  accountId?: string;
  /** enable the device authorization grant (RFC 8628): features.deviceFlow, the client may use it, endpoints.device_authorization is set */
  deviceFlow?: boolean;
  /** seconds a device code lives (oidc-provider's ttl.DeviceCode); default 600 */
  deviceCodeTtl?: number;
  /** RFC 7591 dynamic registration at /reg (open: no initial access token) and RFC 7592 management */
  registration?: boolean;
  /**
   * RFC 8707 resource indicators: each resource URL and the scopes it has;
   * access tokens for a resource are JWTs (RS256) whose audience is the resource
   */
  resourceServers?: Record<string, { scope: string; accessTokenTtl?: number }>;
}

export interface AuthorizedCode {
  code: string;
  redirectUri: string;
  codeVerifier: string;
  state: string;
}

export interface OidcServer {
  /** http://127.0.0.1:PORT */
  issuer: string;
  client: { id: string; secret: string; auth_method: ClientConfig['auth_method'] };
  /** the same client as src/oauth's ClientConfig */
  clientConfig: ClientConfig;
  endpoints: Endpoints;
  /** registered as http://127.0.0.1/callback (any port matches, RFC 8252 §7.3); this one carries a port */
  redirectUri: string;
  /** run the front channel (login + consent) and return the code, without exchanging it */
  authorize(scope?: string): Promise<AuthorizedCode>;
  /** the whole code flow: a fresh grant with an access token and a refresh token */
  obtainTokens(scope?: string): Promise<TokenSet>;
  /** the oidc-provider instance, for anything else */
  provider: unknown;
  /** the public key the JWT access tokens are signed with (RS256) */
  publicKey: KeyObject;
  close(): Promise<void>;
}

/** Default scope: openid + offline_access (with prompt=consent) so a refresh token is issued. */
export const DEFAULT_SCOPE = 'openid offline_access';

export async function startOidcProvider(opts: OidcProviderOptions = {}): Promise<OidcServer> {
  const specifier: string = 'oidc-provider';
  // oidc-provider ships no types for its configuration; it is driven through its documented options only
  const { default: Provider, errors } = (await import(specifier)) as {
    default: new (issuer: string, config: unknown) => any;
    errors: { InvalidTarget: new (description?: string) => Error };
  };

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const authMethod = opts.clientAuthMethod ?? 'client_secret_basic';
  const client = { id: `client-${randomBytes(4).toString('hex')}`, secret: randomBytes(24).toString('base64url'), auth_method: authMethod };
  const keyPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = keyPair.privateKey.export({ format: 'jwk' });
  const resourceServers = opts.resourceServers ?? {};
  const accountId = opts.accountId ?? 'user-1';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token', ...(opts.deviceFlow ? ['urn:ietf:params:oauth:grant-type:device_code'] : [])],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: authMethod,
      },
    ],
    jwks: { keys: [{ ...jwk, kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    scopes: ['openid', 'offline_access', ...(opts.scopes ?? [])],
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: opts.deviceFlow === true },
      registration: { enabled: opts.registration === true, initialAccessToken: false, issueRegistrationAccessToken: true },
      registrationManagement: { enabled: opts.registration === true, rotateRegistrationAccessToken: false },
      resourceIndicators: {
        enabled: Object.keys(resourceServers).length > 0,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? undefined,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          const info = resourceServers[resource];
          if (!info) throw new errors.InvalidTarget('unknown resource');
          return {
            scope: info.scope,
            audience: resource,
            accessTokenTTL: info.accessTokenTtl ?? opts.accessTokenTtl ?? 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, c: { clientId: string }, token: { clientId: string }) => token.clientId === c.clientId,
      },
    },
    clientBasedCORS: () => false,
    // a refresh token whenever the client may use the grant, offline_access or not
    issueRefreshToken: async (_ctx: unknown, c: { grantTypeAllowed(g: string): boolean }) => c.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: opts.rotateRefreshToken ?? true,
    ttl: {
      AccessToken: opts.accessTokenTtl ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 86400,
      Grant: 86400 * 30,
      RefreshToken: opts.refreshTokenTtl ?? 86400,
      DeviceCode: opts.deviceCodeTtl ?? 600,
    },
  });
  server.on('request', provider.callback());

  const endpoints: Endpoints = {
    issuer,
    authorization: `${issuer}/auth`,
    token: `${issuer}/token`,
    revocation: `${issuer}/token/revocation`,
    ...(opts.deviceFlow ? { device_authorization: `${issuer}/device/auth` } : {}),
  };
  const clientConfig: ClientConfig = { id: client.id, secret: client.secret, auth_method: authMethod };
  const redirectUri = 'http://127.0.0.1:8123/callback';
  let httpClient: HttpClient | undefined;

  async function authorize(scope = DEFAULT_SCOPE): Promise<AuthorizedCode> {
    const pkce = createPkce();
    const state = createState();
    const url = buildAuthorizationUrl(endpoints, {
      clientId: client.id,
      redirectUri,
      scope,
      state,
      pkce,
      ...(scope.split(' ').includes('offline_access') ? { extra: { prompt: 'consent' } } : {}),
    });
    const location = await driveInteractions(issuer, url, redirectUri, accountId);
    const { code } = parseAuthorizationResponse(location, { state, allowMissingState: false, redirectUri, issuer });
    return { code, redirectUri, codeVerifier: pkce.verifier, state };
  }

  return {
    issuer,
    client,
    clientConfig,
    endpoints,
    redirectUri,
    provider,
    publicKey: createPublicKey(keyPair.privateKey),
    authorize,
    async obtainTokens(scope?: string) {
      const auth = await authorize(scope);
      httpClient ??= await createHttpClient({ timeoutMs: 10_000 });
      const res = await authorizationCodeGrantRequest(httpClient, endpoints, clientConfig, {
        code: auth.code,
        redirectUri: auth.redirectUri,
        codeVerifier: auth.codeVerifier,
      });
      return processTokenResponse(res);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Follow the authorization request through devInteractions like a browser
 * would: redirects, the login form, the consent form. Returns the final
 * redirect to the client (the Location carrying code or error). Bounded.
 */
export async function driveInteractions(issuer: string, startUrl: string, redirectUri: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  };
  const redirectTarget = redirectUri.split('?')[0]!;
  let url = startUrl;
  let method: 'GET' | 'POST' = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: cookieHeader(),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    remember(res);
    if (res.status >= 300 && res.status <= 399) {
      await res.arrayBuffer();
      const location = new URL(res.headers.get('location') ?? '', url).toString();
      if (location.startsWith(redirectTarget)) return location;
      url = location;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`oidc-provider answered ${res.status} at ${url}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error(`unexpected page at ${url}: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), issuer).toString();
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }).toString();
  }
  throw new Error('the authorization flow did not reach the redirect URI within 20 hops');
}

/**
 * A person at oidc-provider's device pages in a real browser: enter the user
 * code, confirm, sign in, consent; resolves on the success page.
 */
export async function approveDeviceCode(page: Page, verificationUri: string, userCode: string): Promise<void> {
  await page.goto(verificationUri, { waitUntil: 'domcontentloaded' });
  await page.fill('input[name=user_code]', userCode);
  await page.click('button[form="op.deviceInputForm"]', { noWaitAfter: true });
  await page.waitForSelector('text=Confirm Device');
  await page.click('button[autofocus]', { noWaitAfter: true });
  await page.waitForSelector('input[name=login]');
  await page.fill('input[name=login]', 'user-1');
  await page.fill('input[name=password]', 'any');
  await page.click('button[type=submit]', { noWaitAfter: true });
  await page.waitForSelector('input[name=prompt][value=consent]', { state: 'attached' });
  await page.click('button[type=submit]', { noWaitAfter: true });
  await page.waitForSelector('text=Sign-in Success');
}
