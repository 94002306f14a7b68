/** The package version (a test checks it equals package.json's). */
export const VERSION = '0.2.0';
export const USER_AGENT = `oauth-handoff/${VERSION}`;
