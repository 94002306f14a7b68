/**
 * The OAuth 2.0 protocol: inputs in, HTTP requests out, responses in, typed
 * data (or a HandoffError) out. Never touches disk, never prompts or prints.
 * One protocol step = a `…Request` that sends and returns the RawResponse, and
 * a `process…Response` that validates it (oauth4webapi's shape).
 *
 * This module is on the `token` hot path: it loads three small modules and
 * node:crypto; axios is imported only when createHttpClient() is called.
 */
export type {
  ClientAuthMethod,
  ClientConfig,
  Endpoints,
  HttpClient,
  HttpClientOptions,
  RawResponse,
  RequestSummary,
  TokenSet,
} from './types.js';
export { createHttpClient, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT } from './http.js';
export {
  // client authentication (RFC 6749 §2.3)
  applyClientAuth,
  basicAuthorization,
  CLIENT_AUTH_METHODS,
  formUrlEncode,
  // token endpoint (RFC 6749 §4.1.3, §5, §6)
  authorizationCodeGrantRequest,
  GRANT_AUTHORIZATION_CODE,
  GRANT_REFRESH_TOKEN,
  processTokenResponse,
  refreshTokenGrantRequest,
  // revocation (RFC 7009)
  processRevocationResponse,
  revocationRequest,
  type TokenTypeHint,
  // discovery (RFC 8414, OpenID Connect Discovery 1.0)
  discover,
  discoveryRequest,
  endpointsFromMetadata,
  metadataUrl,
  processDiscoveryResponse,
  type MetadataKind,
  type ServerMetadata,
  // PKCE (RFC 7636) and state
  createPkce,
  createState,
  pkceChallenge,
  PKCE_VERIFIER_PATTERN,
  type Pkce,
  // front channel (RFC 6749 §4.1.1, §4.1.2)
  buildAuthorizationUrl,
  parseAuthorizationResponse,
  RESERVED_AUTHORIZATION_PARAMS,
  type AuthorizationResponse,
  type AuthorizationResponseExpectation,
  type AuthorizationUrlParams,
  // device grant (RFC 8628)
  DEFAULT_DEVICE_INTERVAL_SECONDS,
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  GRANT_DEVICE_CODE,
  processDeviceAuthorizationResponse,
  processDeviceCodeResponse,
  SLOW_DOWN_INCREMENT_SECONDS,
  type DeviceAuthorization,
  type DeviceCodeOutcome,
  // error mapping
  cleanServerText,
  errorFromResponse,
  isTransientStatus,
  retryAfterSeconds,
} from './protocol.js';
export {
  defaultRedirectUri,
  getProvider,
  PROVIDER_IDS,
  PROVIDERS,
  resolveEndpoints,
  usePkce,
  type ProviderId,
  type ProviderPreset,
} from './providers/index.js';
