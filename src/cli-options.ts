/**
 * Option tables shared by the two argv readers: yargs (every command) and
 * node's util.parseArgs (the `token` fast path in bin.ts, which must not load
 * yargs). One definition, two readers. Data only: nothing here imports.
 */
export interface OptionSpec {
  type: 'string' | 'boolean' | 'number';
  describe: string;
  default?: string | boolean | number;
  alias?: string;
  array?: boolean;
}
export type OptionTable = Readonly<Record<string, OptionSpec>>;

export const storeOptions = {
  store: { type: 'string', describe: 'store directory, or a fleet store redis://[user:pass@]host:port/db (default: $OAUTH_HANDOFF_STORE, else $OAUTH_HANDOFF_HOME, else ~/.config/oauth-handoff)' },
} as const satisfies OptionTable;

export const lockOptions = {
  'lock-timeout': { type: 'number', default: 60, describe: 'seconds to wait for another process refreshing the same credential (then exit 6)' },
} as const satisfies OptionTable;

export const jsonOption = {
  json: { type: 'boolean', default: false, describe: 'machine-readable JSON on stdout' },
} as const satisfies OptionTable;

/**
 * CI mode (docs/ci.md). Deliberately not in `tokenOptions`: the `token` fast
 * path in bin.ts does not know them, so its strict parse fails and the call
 * goes to yargs, which does.
 */
export const fromEnvOption = {
  'from-env': {
    type: 'boolean',
    describe: 'use the credential in $OAUTH_HANDOFF_SETTINGS (armored), opened with $OAUTH_HANDOFF_KEY or $OAUTH_HANDOFF_PASSPHRASE; no config dir needed',
  },
} as const satisfies OptionTable;

export const ciOptions = {
  ...fromEnvOption,
  'write-back': { type: 'string', describe: 'with --from-env: after a refresh, write the updated armored settings to this file (store it back as the secret)' },
  'github-actions': { type: 'boolean', describe: 'print ::add-mask:: for the token before anything prints it (default: on when GITHUB_ACTIONS=true)' },
  output: { type: 'string', describe: 'also write NAME=<access token> to $GITHUB_OUTPUT (a step output)' },
} as const satisfies OptionTable;

export const execOptions = {
  ...storeOptions,
  ...lockOptions,
  ...ciOptions,
  'env-var': { type: 'string', default: 'OAUTH_ACCESS_TOKEN', describe: 'the environment variable that carries the access token' },
  'min-valid': { type: 'number', default: 60, describe: 'refresh first when the token expires within this many seconds' },
} as const satisfies OptionTable;

export const tokenOptions = {
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
  'min-valid': { type: 'number', default: 60, describe: 'refresh first when the token expires within this many seconds' },
} as const satisfies OptionTable;

/**
 * Which server and which registered client: shared by `authorize` (laptop) and
 * `login` (headless). The secret is never required in argv: --client-secret
 * works but warns; prefer --client-secret-file or $OAUTH_HANDOFF_CLIENT_SECRET.
 */
export const providerOptions = {
  provider: { type: 'string', describe: 'preset: redmine, backlog, confluence, jira, questetra, generic (default: generic)' },
  site: { type: 'string', describe: 'the system\'s base URL (Redmine, Confluence, Jira) or space/context host (Backlog, Questetra)' },
  'client-id': { type: 'string', describe: 'the client ID registered on the system' },
  'client-secret': { type: 'string', describe: 'the client secret (visible to other users in ps: prefer --client-secret-file or $OAUTH_HANDOFF_CLIENT_SECRET)' },
  'client-secret-file': { type: 'string', describe: 'read the client secret from the first line of this file' },
  'client-auth': { type: 'string', describe: 'client_secret_basic, client_secret_post or none (default: the preset\'s)' },
  scope: { type: 'string', array: true, describe: 'scopes to ask for (default: the preset\'s); repeatable or space-separated' },
  name: { type: 'string', describe: 'the credential\'s name (default: the provider id)' },
  'redirect-uri': { type: 'string', describe: 'the redirect URI exactly as registered on the system' },
  redirect: { type: 'string', describe: 'loopback, or oob for the system\'s out-of-band code page (Redmine: urn:ietf:wg:oauth:2.0:oob)' },
  issuer: { type: 'string', describe: 'find the endpoints in this issuer\'s metadata (RFC 8414, then OpenID discovery); with --resource, which of its authorization servers' },
  resource: { type: 'string', describe: 'the protected resource\'s URL: find its authorization server (RFC 9728), register a client when no --client-id is given (RFC 7591), and ask for tokens for it (RFC 8707)' },
  'authorization-endpoint': { type: 'string', describe: 'the authorization endpoint (generic servers)' },
  'token-endpoint': { type: 'string', describe: 'the token endpoint (generic servers)' },
  'revocation-endpoint': { type: 'string', describe: 'the revocation endpoint, RFC 7009 (optional)' },
  'device-authorization-endpoint': { type: 'string', describe: 'the device authorization endpoint, RFC 8628 (optional; found by discovery too)' },
} as const satisfies OptionTable;

/** `authorize` (browser side): which server and client, how the redirect is caught, who can open the file. */
export const authorizeOptions = {
  provider: providerOptions.provider,
  site: providerOptions.site,
  'client-id': providerOptions['client-id'],
  'client-secret': { type: 'string', describe: 'the client secret (visible to other users in ps: prefer --client-secret-file or $OAUTH_HANDOFF_CLIENT_SECRET); without a value: ask' },
  'client-secret-file': providerOptions['client-secret-file'],
  'client-auth': providerOptions['client-auth'],
  scope: providerOptions.scope,
  name: providerOptions.name,
  'redirect-uri': { type: 'string', describe: 'the loopback redirect URI exactly as registered (no port or port 0: a random free port)' },
  redirect: providerOptions.redirect,
  issuer: providerOptions.issuer,
  resource: providerOptions.resource,
  'authorization-endpoint': providerOptions['authorization-endpoint'],
  'token-endpoint': providerOptions['token-endpoint'],
  'revocation-endpoint': providerOptions['revocation-endpoint'],
  param: { type: 'string', array: true, describe: 'an extra authorization request parameter KEY=VALUE (e.g. prompt=consent); repeatable' },
  browser: { type: 'boolean', default: true, describe: 'open a browser (--no-browser: print the URL and a QR code only)' },
  timeout: { type: 'number', default: 300, describe: 'seconds to wait for the approval' },
  to: { type: 'string', array: true, describe: "seal to this machine's public key (`oauth-handoff keygen` prints it there); repeatable" },
  passphrase: { type: 'boolean', default: false, describe: 'also seal to a passphrase (asked twice; or --passphrase-file, $OAUTH_HANDOFF_PASSPHRASE)' },
  'passphrase-file': { type: 'string', describe: 'read that passphrase from the first line of this file' },
  output: { type: 'string', alias: 'o', describe: 'write the sealed settings file here (mode 0600)' },
  armor: { type: 'boolean', default: false, describe: 'print the pasteable text block on stdout (the default without -o)' },
  copy: { type: 'boolean', default: false, describe: "also put the text block on the terminal's clipboard (OSC 52; works over SSH)" },
  force: { type: 'boolean', default: false, describe: 'replace an existing -o file' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `forget NAME`. */
export const forgetOptions = {
  revoke: { type: 'boolean', default: false, describe: 'revoke the grant at the provider first (RFC 7009)' },
  'delete-client': {
    type: 'boolean',
    describe: 'also delete the client oauth-handoff registered at the server (RFC 7592); with --revoke and no choice given, asked on a terminal',
  },
} as const satisfies OptionTable;

/** `relay URL` (the laptop half of `login --paste`). */
export const relayOptions = {
  browser: { type: 'boolean', default: true, describe: 'open a browser (--no-browser: print the URL only)' },
  timeout: { type: 'number', default: 300, describe: 'seconds to wait for the redirect' },
  copy: { type: 'boolean', default: false, describe: "also put the redirect URL on the terminal's clipboard (OSC 52)" },
  ...jsonOption,
} as const satisfies OptionTable;

/** `sandbox`: a local authorization server to try things against. */
export const sandboxOptions = {
  profile: { type: 'string', default: 'generic', describe: 'generic, redmine, backlog, confluence, jira or questetra' },
  port: { type: 'number', default: 0, describe: 'port on 127.0.0.1 (0: a free one)' },
  'auto-approve': { type: 'boolean', default: false, describe: 'approve every authorization request without showing the page' },
  'access-token-ttl': { type: 'number', describe: "seconds an access token lives (default: the profile's)" },
  'refresh-token-ttl': { type: 'number', describe: "seconds a refresh token lives (default: the profile's)" },
  'code-ttl': { type: 'number', describe: "seconds an authorization code lives (default: the profile's)" },
  verbose: { type: 'boolean', default: false, describe: 'print one line per request on stderr (never tokens)' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `fleet …`: the member hosts of a fleet store (docs/fleet.md). */
export const fleetOptions = {
  ...storeOptions,
  'lock-timeout': { type: 'number', default: 60, describe: 'seconds to wait for a host refreshing a credential while sealing it again (then exit 6)' },
  ...jsonOption,
} as const satisfies OptionTable;

/** --redis-prefix, for every command that opens a store (folded into the store URL as ?prefix=). */
export const redisPrefixOption = {
  'redis-prefix': { type: 'string', describe: 'key prefix in a redis:// fleet store (default oauth-handoff:)' },
} as const satisfies OptionTable;
