/**
 * The OAuth 2.0 protocol: inputs in, HTTP requests out, responses in, typed
 * data (or a HandoffError) out. Never touches disk, never prompts or prints.
 * One protocol step = a `…Request` that sends and returns the RawResponse, and
 * a `process…Response` that validates it (oauth4webapi's shape).
 *
 * One module per protocol step, each citing its RFC; this file is the face
 * (other folders import only it). The `token` command reaches it through one
 * bundle, dist/fast-oauth.cjs (scripts/bundle.mjs), loaded only when a refresh
 * is due, so the number of modules here costs nothing on that path; axios is
 * imported only when createHttpClient() is called.
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
export { applyClientAuth, basicAuthorization, CLIENT_AUTH_METHODS, formUrlEncode } from './client-auth.js';
export {
  authorizationCodeGrantRequest,
  GRANT_AUTHORIZATION_CODE,
  GRANT_REFRESH_TOKEN,
  processTokenResponse,
  refreshTokenGrantRequest,
} from './token.js';
export { processRevocationResponse, revocationRequest, type TokenTypeHint } from './revocation.js';
export {
  discover,
  discoveryRequest,
  endpointsFromMetadata,
  metadataUrl,
  processDiscoveryResponse,
  type MetadataKind,
  type ServerMetadata,
} from './discovery.js';
export { createPkce, createState, pkceChallenge, PKCE_VERIFIER_PATTERN, type Pkce } from './pkce.js';
export {
  buildAuthorizationUrl,
  parseAuthorizationResponse,
  RESERVED_AUTHORIZATION_PARAMS,
  type AuthorizationResponse,
  type AuthorizationResponseExpectation,
  type AuthorizationUrlParams,
} from './front-channel.js';
export {
  DEFAULT_DEVICE_INTERVAL_SECONDS,
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  GRANT_DEVICE_CODE,
  processDeviceAuthorizationResponse,
  processDeviceCodeResponse,
  SLOW_DOWN_INCREMENT_SECONDS,
  type DeviceAuthorization,
  type DeviceCodeOutcome,
} from './device.js';
export { cleanServerText, errorFromResponse, isTransientStatus, retryAfterSeconds } from './error-mapping.js';
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
export {
  discoverResource,
  parseBearerChallenge,
  parseResourceUrl,
  processResourceMetadataResponse,
  RESOURCE_METADATA_SUFFIX,
  resourceMetadataFromChallenge,
  resourceMetadataRequest,
  resourceMetadataUrls,
  sameResource,
  type ResourceMetadata,
} from './resource-metadata.js';
export {
  clientDeleteRequest,
  processClientDeleteResponse,
  processRegistrationResponse,
  registrationAuthMethod,
  registrationRequest,
  type ClientMetadata,
  type RegisteredClient,
} from './registration.js';
