/**
 * `login`: the redirect URI for a flow where someone pastes the result back.
 * What `authorize` shares — the preset, endpoints, client, scopes and PKCE —
 * is resolved in ../authorization; the names `login` has always exported for
 * it are kept here.
 */
import type { AuthorizationTarget } from '../authorization/index.js';

/** `resolveLoginTarget`: the shared target resolution, under the name `login` has always exported. */
export { CLIENT_SECRET_ENV, resolveTarget as resolveLoginTarget, scopesFrom } from '../authorization/index.js';
export type { ProviderSelection } from '../authorization/index.js';

/** What `login` authorizes against (the shared target). */
export type LoginTarget = AuthorizationTarget;

/** The redirect choice is the same rule on both sides (../authorization/redirect.ts). */
export { chooseRedirect, OOB_REDIRECT_URI } from '../authorization/index.js';
export type { RedirectChoice } from '../authorization/index.js';
