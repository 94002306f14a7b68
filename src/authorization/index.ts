/**
 * What `authorize` (browser side) and `login` (headless side) share — and,
 * with `export`, who a settings file leaving this machine is sealed to: the
 * options → target resolution (preset, site, endpoints, client and its
 * secret, scopes, PKCE), the authorization request and the code exchange,
 * and the Settings made from a fresh grant. Below both sides: imports
 * oauth, settings-file, terminal and errors, never browser-side or
 * headless-side. How the answer comes back (listener, paste, device polling)
 * stays with each side.
 */
export { authorizationUrl, exchangeAuthorizationCode, newPendingAuthorization, scopeParameter } from './request.js';
export type { PendingAuthorization, RequestTarget } from './request.js';
export {
  checkOAuth21,
  chooseAuthorizationServer,
  registerClient,
  registeredClientName,
  registeredRedirectUri,
  DEFAULT_REGISTERED_REDIRECT_PATH,
} from './registration.js';
export type { ClientRegistration } from './registration.js';
export { probeAuthorizationUrl } from './probe.js';
export { resolveRecipients } from './recipients.js';
export type { RecipientDescription, RecipientOptions, ResolvedRecipients } from './recipients.js';
export { settingsFromTokens } from './settings.js';
export type { SettingsInput } from './settings.js';
export {
  checkSelection,
  CLIENT_SECRET_ENV,
  registerRedirectExample,
  resolveTarget,
  scopesFrom,
  shown,
} from './target.js';
export type { AuthorizationTarget, CheckedSelection, ProviderSelection, TargetDeps } from './target.js';
export { chooseRedirect, OOB_REDIRECT_URI, oobUriOf } from './redirect.js';
export type { RedirectChoice, RedirectRequest, RedirectSide } from './redirect.js';
