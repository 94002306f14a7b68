/**
 * Every option table of the CLI, read by the two argv readers: yargs (every
 * command, src/cli.ts) and node's util.parseArgs (the `token` fast path,
 * src/fast-token.ts, which must not load yargs). One definition, two readers;
 * both apply the bounds declared here through src/cli-args.ts.
 * Data only: the one import is the defaults that decide behaviour (declared
 * once, for the library too).
 */
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_MIN_VALID_SECONDS } from './defaults.js';

export interface OptionSpec {
  /**
   * duration: a number of seconds, or a number with a unit (250ms, 30s, 15m,
   * 12h, 7d); both readers hand it on as seconds.
   */
  type: 'string' | 'boolean' | 'number' | 'duration';
  describe: string;
  default?: string | boolean | number;
  alias?: string;
  array?: boolean;
  /** numbers and durations (in seconds): the smallest value accepted */
  min?: number;
  /** numbers and durations: the value must be larger than `min`, not equal to it */
  exclusiveMin?: boolean;
  /** numbers: whole numbers only */
  integer?: boolean;
  /** the section of --help it is listed in (default: the command's own options) */
  group?: OptionGroup;
  /** an old name kept working, not listed in --help */
  hidden?: boolean;
}
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The sections of --help. */
export const GROUPS = {
  provider: 'Provider and client:',
  redirect: 'Redirect:',
  output: 'Output:',
  store: 'Store:',
  daemon: 'Daemon:',
  ci: 'CI mode:',
} as const;
export type OptionGroup = (typeof GROUPS)[keyof typeof GROUPS];

export const storeOptions = {
  store: {
    type: 'string',
    group: GROUPS.store,
    describe: 'store directory, or a fleet store redis://[user:pass@]host:port/db (default: $OAUTH_HANDOFF_STORE, else $OAUTH_HANDOFF_HOME, else ~/.config/oauth-handoff)',
  },
  'redis-prefix': { type: 'string', group: GROUPS.store, describe: 'key prefix in a redis:// fleet store (default oauth-handoff:)' },
} as const satisfies OptionTable;

export const lockOptions = {
  'lock-timeout': {
    type: 'duration',
    default: DEFAULT_LOCK_TIMEOUT_MS / 1000,
    min: 0,
    group: GROUPS.store,
    describe: 'how long to wait for another process refreshing the same credential: seconds, or 30s, 2m (then exit 6)',
  },
} as const satisfies OptionTable;

export const jsonOption = {
  json: { type: 'boolean', default: false, group: GROUPS.output, describe: 'machine-readable JSON on stdout' },
} as const satisfies OptionTable;

/** How long a token must still be valid: shared by `token` and `exec`. */
const minValidOption = {
  'min-valid': { type: 'number', default: DEFAULT_MIN_VALID_SECONDS, min: 0, describe: 'refresh first when the token expires within this many seconds' },
} as const satisfies OptionTable;

/**
 * CI mode (docs/ci.md). Deliberately not in `tokenOptions`: the `token` fast
 * path in bin.ts does not know them, so its strict parse fails and the call
 * goes to yargs, which does.
 */
export const fromEnvOption = {
  'from-env': {
    type: 'boolean',
    group: GROUPS.ci,
    describe: 'use the credential in $OAUTH_HANDOFF_SETTINGS (armored), opened with $OAUTH_HANDOFF_KEY or $OAUTH_HANDOFF_PASSPHRASE; no config dir needed',
  },
} as const satisfies OptionTable;

export const ciOptions = {
  ...fromEnvOption,
  'write-back': { type: 'string', group: GROUPS.ci, describe: 'with --from-env: after a refresh, write the updated armored settings to this file (store it back as the secret)' },
  'github-actions': { type: 'boolean', group: GROUPS.ci, describe: 'print ::add-mask:: for the token before anything prints it (default: on when GITHUB_ACTIONS=true)' },
  'github-output': { type: 'string', group: GROUPS.ci, describe: 'also write NAME=<access token> to $GITHUB_OUTPUT (a step output)' },
  /** the old name of --github-output: -o/--output names a file everywhere else */
  output: { type: 'string', hidden: true, describe: 'deprecated: use --github-output' },
} as const satisfies OptionTable;

export const execOptions = {
  ...storeOptions,
  ...lockOptions,
  ...ciOptions,
  'env-var': { type: 'string', default: 'OAUTH_ACCESS_TOKEN', describe: 'the environment variable that carries the access token' },
  ...minValidOption,
} as const satisfies OptionTable;

export const tokenOptions = {
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
  ...minValidOption,
} as const satisfies OptionTable;

/**
 * Which server and which registered client: shared by `authorize` (laptop) and
 * `login` (headless). The secret is never required in argv: --client-secret
 * works but warns; prefer --client-secret-file or $OAUTH_HANDOFF_CLIENT_SECRET.
 */
export const providerOptions = {
  provider: { type: 'string', group: GROUPS.provider, describe: 'preset: redmine, backlog, confluence, jira, questetra, generic (default: generic)' },
  site: { type: 'string', group: GROUPS.provider, describe: "the system's base URL (Redmine, Confluence, Jira) or space/context host (Backlog, Questetra)" },
  'client-id': { type: 'string', group: GROUPS.provider, describe: 'the client ID registered on the system' },
  'client-secret': {
    type: 'string',
    group: GROUPS.provider,
    describe: 'the client secret (visible to other users in ps: prefer --client-secret-file or $OAUTH_HANDOFF_CLIENT_SECRET); without a value: ask',
  },
  'client-secret-file': { type: 'string', group: GROUPS.provider, describe: 'read the client secret from the first line of this file' },
  'client-auth': { type: 'string', group: GROUPS.provider, describe: "client_secret_basic, client_secret_post or none (default: the preset's)" },
  scope: { type: 'string', array: true, group: GROUPS.provider, describe: "scopes to ask for (default: the preset's); repeatable or space-separated" },
  issuer: {
    type: 'string',
    group: GROUPS.provider,
    describe: "find the endpoints in this issuer's metadata (RFC 8414, then OpenID discovery); with --resource, which of the authorization servers it names",
  },
  resource: {
    type: 'string',
    group: GROUPS.provider,
    describe: "the protected resource's URL: find its authorization server (RFC 9728), register a client when no --client-id is given (RFC 7591), and ask for tokens for it (RFC 8707)",
  },
  'authorization-endpoint': { type: 'string', group: GROUPS.provider, describe: 'the authorization endpoint (generic servers)' },
  'token-endpoint': { type: 'string', group: GROUPS.provider, describe: 'the token endpoint (generic servers)' },
  'revocation-endpoint': { type: 'string', group: GROUPS.provider, describe: 'the revocation endpoint, RFC 7009 (optional)' },
} as const satisfies OptionTable;

/** How the answer comes back: the same rule for `authorize` and `login` (src/authorization/redirect.ts). */
export const redirectOptions = {
  'redirect-uri': {
    type: 'string',
    group: GROUPS.redirect,
    describe: 'the redirect URI exactly as registered on the system: a loopback http URL (no port: a free one) or urn:ietf:wg:oauth:2.0:oob',
  },
  redirect: { type: 'string', group: GROUPS.redirect, describe: "loopback, or oob for the system's out-of-band code page (Redmine: urn:ietf:wg:oauth:2.0:oob)" },
} as const satisfies OptionTable;

const nameOption = {
  name: { type: 'string', describe: "the credential's name (default: the provider id)" },
} as const satisfies OptionTable;

const qrOption = {
  qr: { type: 'boolean', default: true, group: GROUPS.output, describe: 'draw QR codes when they fit the terminal (--no-qr to leave them out)' },
} as const satisfies OptionTable;

/** `login` (headless): authorize here, paste the code back or approve on another device. */
export const loginOptions = {
  ...providerOptions,
  'device-authorization-endpoint': {
    type: 'string',
    group: GROUPS.provider,
    describe: 'the device authorization endpoint, RFC 8628 (optional; found by discovery too)',
  },
  ...redirectOptions,
  ...nameOption,
  paste: { type: 'boolean', describe: 'print the authorization URL (and QR code), then read the code or the redirect URL on stdin' },
  device: { type: 'boolean', describe: 'use the device authorization grant (RFC 8628); default when the server offers it' },
  force: { type: 'boolean', default: false, describe: 'replace a credential of the same name' },
  timeout: { type: 'duration', default: 600, min: 0, exclusiveMin: true, describe: 'how long to wait for the code or the approval: seconds, or 10m' },
  ...qrOption,
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
} as const satisfies OptionTable;

/** Who can open a sealed settings file, and where it goes: `authorize` and `export`. */
const sealOptions = {
  to: { type: 'string', array: true, group: GROUPS.output, describe: "seal to this machine's public key (`oauth-handoff keygen` prints it there); repeatable" },
  passphrase: {
    type: 'boolean',
    default: false,
    group: GROUPS.output,
    describe: 'also seal to a passphrase (asked twice; or --passphrase-file, $OAUTH_HANDOFF_PASSPHRASE)',
  },
  'passphrase-file': { type: 'string', group: GROUPS.output, describe: 'read that passphrase from the first line of this file' },
  output: { type: 'string', alias: 'o', group: GROUPS.output, describe: 'write the sealed settings file here (mode 0600)' },
  armor: { type: 'boolean', default: false, group: GROUPS.output, describe: 'print the pasteable text block on stdout (the default without -o)' },
  copy: { type: 'boolean', default: false, group: GROUPS.output, describe: "also put the text block on the terminal's clipboard (OSC 52; works over SSH)" },
} as const satisfies OptionTable;

/** `authorize` (browser side): which server and client, how the redirect is caught, who can open the file. */
export const authorizeOptions = {
  ...providerOptions,
  ...redirectOptions,
  ...nameOption,
  param: { type: 'string', array: true, describe: 'an extra authorization request parameter KEY=VALUE (e.g. prompt=consent); repeatable' },
  browser: { type: 'boolean', default: true, describe: 'open a browser (--no-browser: print the URL and a QR code only)' },
  timeout: { type: 'duration', default: 300, min: 0, exclusiveMin: true, describe: 'how long to wait for the approval: seconds, or 5m' },
  ...qrOption,
  ...sealOptions,
  force: { type: 'boolean', default: false, describe: 'replace an existing -o file' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `export NAME`: seal a stored credential for another machine. */
export const exportOptions = {
  ...storeOptions,
  ...sealOptions,
  output: { type: 'string', alias: 'o', group: GROUPS.output, describe: 'write to this file (default: armored text on stdout)' },
  armor: { type: 'boolean', default: false, group: GROUPS.output, describe: 'write the pasteable text form' },
} as const satisfies OptionTable;

/** `relay URL` (the laptop half of `login --paste`). */
export const relayOptions = {
  browser: { type: 'boolean', default: true, describe: 'open a browser (--no-browser: print the URL only)' },
  timeout: { type: 'duration', default: 300, min: 0, exclusiveMin: true, describe: 'how long to wait for the redirect: seconds, or 5m' },
  copy: { type: 'boolean', default: false, group: GROUPS.output, describe: "also put the redirect URL on the terminal's clipboard (OSC 52)" },
  ...jsonOption,
} as const satisfies OptionTable;

/** `sandbox`: a local authorization server to try things against. */
export const sandboxOptions = {
  profile: { type: 'string', default: 'generic', describe: 'generic, redmine, backlog, confluence, jira, questetra, or oauth21 (an OAuth 2.1 server with a protected resource and client registration)' },
  port: { type: 'number', default: 0, min: 0, integer: true, describe: 'port on 127.0.0.1 (0: a free one)' },
  'auto-approve': { type: 'boolean', default: false, describe: 'approve every authorization request without showing the page' },
  'access-token-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: "seconds an access token lives (default: the profile's)" },
  'refresh-token-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: "seconds a refresh token lives (default: the profile's)" },
  'code-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: "seconds an authorization code lives (default: the profile's)" },
  'client-secret-file': { type: 'string', describe: 'the client secret to use: the first line of this file (else $OAUTH_HANDOFF_SANDBOX_CLIENT_SECRET, else the fixed sandbox-secret)' },
  'client-secret': { type: 'string', describe: 'the client secret to use (visible in ps: prefer --client-secret-file)' },
  'device-grant': { type: 'boolean', default: false, describe: 'also serve the device grant, RFC 8628 (generic and oauth21 profiles), to try `login --device`' },
  'registered-secret-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: 'seconds the secret of a dynamically registered client lives (oauth21; default: forever)' },
  verbose: { type: 'boolean', default: false, describe: 'print one line per request on stderr (never tokens)' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `keygen`: this machine's key pair. */
export const keygenOptions = {
  ...storeOptions,
  ...jsonOption,
  force: { type: 'boolean', default: false, describe: 'replace an existing key (credentials sealed to the old key become unreadable)' },
  show: { type: 'boolean', default: false, describe: 'print the existing public key instead of making one' },
  'export-private': { type: 'boolean', default: false, describe: 'print the secret key, to store as a CI secret (OAUTH_HANDOFF_KEY)' },
  qr: { type: 'boolean', group: GROUPS.output, describe: 'draw the public key as a QR code (default: on a terminal, when it fits)' },
} as const satisfies OptionTable;

/** `import FILE`. */
export const importOptions = {
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
  name: { type: 'string', describe: 'store it under this name instead of the one in the file' },
  force: { type: 'boolean', default: false, describe: 'replace a credential of the same name' },
  verify: { type: 'boolean', default: false, describe: 'refresh once to prove the grant works' },
  'passphrase-file': { type: 'string', describe: 'read the passphrase from this file (else $OAUTH_HANDOFF_PASSPHRASE, else a prompt)' },
} as const satisfies OptionTable;

/** `refresh NAME`. */
export const refreshOptions = { ...storeOptions, ...lockOptions, ...jsonOption } as const satisfies OptionTable;

/** `status [NAME]`. */
export const statusOptions = { ...storeOptions, ...jsonOption, ...fromEnvOption } as const satisfies OptionTable;

/** `forget NAME`. */
export const forgetOptions = {
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
  revoke: { type: 'boolean', default: false, describe: 'revoke the grant at the provider first (RFC 7009)' },
  'delete-client': {
    type: 'boolean',
    describe: 'also delete the client oauth-handoff registered at the server (RFC 7592); with --revoke and neither this nor --no-delete-client, asked on a terminal',
  },
} as const satisfies OptionTable;

/** `daemon [NAME...]`: the refresh loop (docs/operations.md). */
export const daemonOptions = {
  ...storeOptions,
  all: { type: 'boolean', default: false, describe: 'every credential in the store, including ones imported later' },
  'on-failure': {
    type: 'string',
    group: GROUPS.daemon,
    describe: 'shell command run once per failure, with OAUTH_HANDOFF_NAME, OAUTH_HANDOFF_STATE, OAUTH_HANDOFF_MESSAGE set (never a token)',
  },
  'on-warning': { type: 'string', group: GROUPS.daemon, describe: 'shell command run once per warning (a refresh token nearing its expiry), same variables' },
  'warn-before': {
    type: 'string',
    array: true,
    group: GROUPS.daemon,
    describe: 'warn this long before a refresh token expires; repeatable or comma-separated (default 7d,1d)',
  },
  'keep-alive-before': {
    type: 'duration',
    min: 0,
    group: GROUPS.daemon,
    describe: 'refresh an idle grant this long before its refresh token expires (default: twice the longest --warn-before)',
  },
  'max-rate': { type: 'number', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'start at most this many refreshes per second (default 10)' },
  concurrency: { type: 'number', min: 1, integer: true, group: GROUPS.daemon, describe: 'refreshes in flight at once (default 4)' },
  'backoff-base': { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'first retry delay after a passing failure, e.g. 2s (default 2s)' },
  'backoff-max': { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'longest retry delay (default 5m)' },
  poll: { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'how often to look for imported or removed credentials (default 5s)' },
  'http-timeout': { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'give up on a token request after this long (default 30s)' },
  'lock-timeout': {
    type: 'duration',
    min: 0,
    exclusiveMin: true,
    group: GROUPS.store,
    describe: 'how long a refresh waits for another process holding the credential: seconds, or 30s, 2m (default 60s)',
  },
  'stop-timeout': { type: 'duration', min: 0, group: GROUPS.daemon, describe: 'on SIGTERM, how long to let refreshes in flight finish (default 30s)' },
  'log-format': { type: 'string', group: GROUPS.daemon, describe: 'json (one line per event) or text (default: text on a terminal, else json)' },
  verbose: { type: 'boolean', default: false, group: GROUPS.daemon, describe: 'also log every planned refresh' },
} as const satisfies OptionTable;

/** `fleet …`: the member hosts of a fleet store (docs/fleet.md). */
export const fleetOptions = {
  ...storeOptions,
  'lock-timeout': {
    type: 'duration',
    default: DEFAULT_LOCK_TIMEOUT_MS / 1000,
    min: 0,
    group: GROUPS.store,
    describe: 'how long to wait for a host refreshing a credential while sealing it again: seconds, or 2m (then exit 6)',
  },
  ...jsonOption,
} as const satisfies OptionTable;

export const fleetAddMemberOptions = {
  ...fleetOptions,
  label: { type: 'string', describe: 'a name for the host in `fleet members`' },
} as const satisfies OptionTable;

export const fleetRemoveMemberOptions = {
  ...fleetOptions,
  force: { type: 'boolean', default: false, describe: "also when it is this host's own key" },
} as const satisfies OptionTable;

export const fleetRestoreOptions = {
  ...fleetOptions,
  force: { type: 'boolean', default: false, describe: 'also when the store holds a newer or different copy' },
} as const satisfies OptionTable;
