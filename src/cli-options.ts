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
  store: { type: 'string', describe: 'store directory (default: $OAUTH_HANDOFF_HOME, else ~/.config/oauth-handoff)' },
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
  issuer: { type: 'string', describe: 'find the endpoints in this issuer\'s metadata (RFC 8414, then OpenID discovery)' },
  'authorization-endpoint': { type: 'string', describe: 'the authorization endpoint (generic servers)' },
  'token-endpoint': { type: 'string', describe: 'the token endpoint (generic servers)' },
  'revocation-endpoint': { type: 'string', describe: 'the revocation endpoint, RFC 7009 (optional)' },
  'device-authorization-endpoint': { type: 'string', describe: 'the device authorization endpoint, RFC 8628 (optional; found by discovery too)' },
} as const satisfies OptionTable;

/** The environment variable that may hold the client secret. */
export const CLIENT_SECRET_ENV = 'OAUTH_HANDOFF_CLIENT_SECRET';
