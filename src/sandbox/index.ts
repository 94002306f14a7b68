/**
 * The sandbox: a small local OAuth 2.0 authorization server on 127.0.0.1 with one
 * profile per preset, for `oauth-handoff demo`, `oauth-handoff sandbox` and the tests.
 */
export { startSandbox, DEFAULT_CLIENT_ID, API_PATH, MAX_LOG_ENTRIES } from './server.js';
export { runSandboxCommand } from './command.js';
export type { SandboxCommandOptions } from './command.js';
export { SANDBOX_PROFILES, DEFAULT_FIXED_REDIRECT_PORT } from './profiles.js';
export type { SandboxProfile, RotationMode, ClientAuthMethod, PkceMethod, RedirectRule, ApiRoute, ApiCaller, ProtectedResourceSpec, Playground } from './profiles.js';
export { refreshTokenId, SANDBOX_USER } from './state.js';
export {
  playgroundVariables,
  playgroundNext,
  DEFAULT_SANDBOX_CLIENT_SECRET,
  DOCS_SECRET_FILE,
  SANDBOX_SECRET_ENV,
} from './playground.js';
export { DEVICE_CODE_GRANT, normalizeUserCode } from './device-grant.js';
export { MAX_REGISTERED_CLIENTS } from './registration.js';
export { SANDBOX_PROFILE_IDS } from './types.js';
export type {
  SandboxProfileId,
  SandboxOptions,
  SandboxClient,
  Sandbox,
  SandboxEndpoints,
  TokenResponse,
  LogEntry,
  Fault,
  StatusFault,
  DelayFault,
  ResetFault,
  GarbageFault,
} from './types.js';
