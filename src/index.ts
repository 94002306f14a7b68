/**
 * oauth-handoff as a library: a credential kept fresh with the same store,
 * lock and refresh rules as the CLI (so a CLI and an application on one
 * machine never refresh the same token twice), and an axios interceptor.
 * Named exports only; nothing runs on import.
 *
 * ```ts
 * import { openCredential, attachTo } from 'oauth-handoff';
 * const cred = await openCredential({ name: 'redmine' });
 * const token = await cred.accessToken();
 * ```
 */
export { attachTo, DEFAULT_MIN_VALID_SECONDS, openCredential } from './library/index.js';
export type { AccessTokenOptions, AttachOptions, Credential, CredentialSource, OpenCredentialOptions, RefreshOptions } from './library/index.js';
export { CODES, EXIT, HandoffError, isHandoffError } from './errors.js';
export type { ErrorCode, ExitCode, HandoffErrorOptions, OAuthErrorDetail } from './errors.js';
export type { CredentialStatus } from './credential/index.js';
export type { HttpClient } from './oauth/index.js';
