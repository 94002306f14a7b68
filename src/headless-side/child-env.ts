/**
 * The environment of a process we start (`exec`'s command, the daemon's
 * hooks). One rule for all of them: none of our variables passes except the
 * few below, which are never secret. Whatever secret variables exist now
 * (passphrase, key, settings, client secret, Redis password) or are added
 * later, a child never sees them, because they are all named OAUTH_HANDOFF_*.
 */

/** Our prefix: every variable of ours, secret or not, is named with it. */
export const OUR_ENV_PREFIX = 'OAUTH_HANDOFF_';

/** Ours, never secret, and useful to a child that runs oauth-handoff itself. */
export const CHILD_VISIBLE_ENV: ReadonlySet<string> = new Set(['OAUTH_HANDOFF_HOME', 'OAUTH_HANDOFF_LANG']);

/** The store's address passes only without a password in it (redis://user:PASSWORD@host…). */
const STORE_ENV = 'OAUTH_HANDOFF_STORE';
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]*@/i;

/** `base` without our secrets: what a child process may see. */
export function childEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (k.startsWith(OUR_ENV_PREFIX) && !CHILD_VISIBLE_ENV.has(k) && !(k === STORE_ENV && v !== undefined && !URL_WITH_PASSWORD.test(v))) continue;
    env[k] = v;
  }
  return env;
}
