export { attachTo } from './axios.js';
export type { AttachOptions } from './axios.js';
export { DEFAULT_MIN_VALID_SECONDS, openCredential } from './credential.js';
export type { AccessTokenOptions, Credential, CredentialSource, OpenCredentialOptions, RefreshOptions } from './credential.js';
