/**
 * Every option table of the CLI, read by the two argv readers: yargs (every
 * command, src/cli.ts) and node's util.parseArgs (the `token` fast path,
 * src/fast-token.ts, which must not load yargs). One definition, two readers;
 * both apply the bounds declared here through src/cli-args.ts.
 * Data only: the one import is the defaults that decide behaviour (declared
 * once, for the library too).
 */
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_MIN_VALID_SECONDS } from './defaults.js';
import type { MessageKey } from './i18n/index.js';

export interface OptionSpec {
  /**
   * duration: a number of seconds, or a number with a unit (250ms, 30s, 15m,
   * 12h, 7d); both readers hand it on as seconds.
   */
  type: 'string' | 'boolean' | 'number' | 'duration';
  /** the catalog key of its --help line (src/i18n/en/options.ts) */
  describe: MessageKey;
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
  provider: 'help.group.provider',
  redirect: 'help.group.redirect',
  output: 'help.group.output',
  store: 'help.group.store',
  daemon: 'help.group.daemon',
  ci: 'help.group.ci',
} as const;
export type OptionGroup = (typeof GROUPS)[keyof typeof GROUPS];

export const storeOptions = {
  store: {
    type: 'string',
    group: GROUPS.store,
    describe: 'option.store',
  },
  'redis-prefix': { type: 'string', group: GROUPS.store, describe: 'option.redis-prefix' },
} as const satisfies OptionTable;

export const lockOptions = {
  'lock-timeout': {
    type: 'duration',
    default: DEFAULT_LOCK_TIMEOUT_MS / 1000,
    min: 0,
    group: GROUPS.store,
    describe: 'option.lock.lock-timeout',
  },
} as const satisfies OptionTable;

export const jsonOption = {
  json: { type: 'boolean', default: false, group: GROUPS.output, describe: 'option.json' },
} as const satisfies OptionTable;

/** How long a token must still be valid: shared by `token` and `exec`. */
const minValidOption = {
  'min-valid': { type: 'number', default: DEFAULT_MIN_VALID_SECONDS, min: 0, describe: 'option.min-valid' },
} as const satisfies OptionTable;

/**
 * CI mode (docs/ci.md). Deliberately not in `tokenOptions`: the `token` fast
 * path (src/fast-token.ts) does not know them, so its strict parse fails and the call
 * goes to yargs, which does.
 */
export const fromEnvOption = {
  'from-env': {
    type: 'boolean',
    group: GROUPS.ci,
    describe: 'option.from-env',
  },
} as const satisfies OptionTable;

export const ciOptions = {
  ...fromEnvOption,
  'write-back': { type: 'string', group: GROUPS.ci, describe: 'option.write-back' },
  'github-actions': { type: 'boolean', group: GROUPS.ci, describe: 'option.github-actions' },
  'github-output': { type: 'string', group: GROUPS.ci, describe: 'option.github-output' },
  /** the old name of --github-output: -o/--output names a file everywhere else */
  output: { type: 'string', hidden: true, describe: 'option.ci.output' },
} as const satisfies OptionTable;

export const execOptions = {
  ...storeOptions,
  ...lockOptions,
  ...ciOptions,
  'env-var': { type: 'string', default: 'OAUTH_ACCESS_TOKEN', describe: 'option.env-var' },
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
  provider: { type: 'string', group: GROUPS.provider, describe: 'option.provider' },
  site: { type: 'string', group: GROUPS.provider, describe: 'option.site' },
  'client-id': { type: 'string', group: GROUPS.provider, describe: 'option.client-id' },
  'client-secret': {
    type: 'string',
    group: GROUPS.provider,
    describe: 'option.provider.client-secret',
  },
  'client-secret-file': { type: 'string', group: GROUPS.provider, describe: 'option.provider.client-secret-file' },
  'client-auth': { type: 'string', group: GROUPS.provider, describe: 'option.client-auth' },
  scope: { type: 'string', array: true, group: GROUPS.provider, describe: 'option.scope' },
  issuer: {
    type: 'string',
    group: GROUPS.provider,
    describe: 'option.issuer',
  },
  resource: {
    type: 'string',
    group: GROUPS.provider,
    describe: 'option.resource',
  },
  'authorization-endpoint': { type: 'string', group: GROUPS.provider, describe: 'option.authorization-endpoint' },
  'token-endpoint': { type: 'string', group: GROUPS.provider, describe: 'option.token-endpoint' },
  'revocation-endpoint': { type: 'string', group: GROUPS.provider, describe: 'option.revocation-endpoint' },
} as const satisfies OptionTable;

/** How the answer comes back: the same rule for `authorize` and `login` (src/authorization/redirect.ts). */
export const redirectOptions = {
  'redirect-uri': {
    type: 'string',
    group: GROUPS.redirect,
    describe: 'option.redirect-uri',
  },
  redirect: { type: 'string', group: GROUPS.redirect, describe: 'option.redirect' },
} as const satisfies OptionTable;

const nameOption = {
  name: { type: 'string', describe: 'option.name.name' },
} as const satisfies OptionTable;

const qrOption = {
  qr: { type: 'boolean', default: true, group: GROUPS.output, describe: 'option.qr.qr' },
} as const satisfies OptionTable;

/** `login` (headless): authorize here, paste the code back or approve on another device. */
export const loginOptions = {
  ...providerOptions,
  'device-authorization-endpoint': {
    type: 'string',
    group: GROUPS.provider,
    describe: 'option.device-authorization-endpoint',
  },
  ...redirectOptions,
  ...nameOption,
  paste: { type: 'boolean', describe: 'option.paste' },
  device: { type: 'boolean', describe: 'option.device' },
  force: { type: 'boolean', default: false, describe: 'option.login.force' },
  timeout: { type: 'duration', default: 600, min: 0, exclusiveMin: true, describe: 'option.login.timeout' },
  ...qrOption,
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
} as const satisfies OptionTable;

/** Who can open a sealed settings file, and where it goes: `authorize` and `export`. */
const sealOptions = {
  to: { type: 'string', array: true, group: GROUPS.output, describe: 'option.to' },
  passphrase: {
    type: 'boolean',
    default: false,
    group: GROUPS.output,
    describe: 'option.passphrase',
  },
  'passphrase-file': { type: 'string', group: GROUPS.output, describe: 'option.seal.passphrase-file' },
  output: { type: 'string', alias: 'o', group: GROUPS.output, describe: 'option.seal.output' },
  armor: { type: 'boolean', default: false, group: GROUPS.output, describe: 'option.seal.armor' },
  copy: { type: 'boolean', default: false, group: GROUPS.output, describe: 'option.seal.copy' },
} as const satisfies OptionTable;

/** `authorize` (browser side): which server and client, how the redirect is caught, who can open the file. */
export const authorizeOptions = {
  ...providerOptions,
  ...redirectOptions,
  ...nameOption,
  param: { type: 'string', array: true, describe: 'option.param' },
  browser: { type: 'boolean', default: true, describe: 'option.authorize.browser' },
  timeout: { type: 'duration', default: 300, min: 0, exclusiveMin: true, describe: 'option.authorize.timeout' },
  ...qrOption,
  ...sealOptions,
  force: { type: 'boolean', default: false, describe: 'option.authorize.force' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `export NAME`: seal a stored credential for another machine. */
export const exportOptions = {
  ...storeOptions,
  ...sealOptions,
  output: { type: 'string', alias: 'o', group: GROUPS.output, describe: 'option.export.output' },
  armor: { type: 'boolean', default: false, group: GROUPS.output, describe: 'option.export.armor' },
} as const satisfies OptionTable;

/** `relay URL` (the laptop half of `login --paste`). */
export const relayOptions = {
  browser: { type: 'boolean', default: true, describe: 'option.relay.browser' },
  timeout: { type: 'duration', default: 300, min: 0, exclusiveMin: true, describe: 'option.relay.timeout' },
  copy: { type: 'boolean', default: false, group: GROUPS.output, describe: 'option.relay.copy' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `demo`: the whole hand-off against a local sandbox. */
export const demoOptions = {
  profile: { type: 'string', default: 'redmine', describe: 'option.demo.profile' },
} as const satisfies OptionTable;

/** `sandbox`: a local authorization server to try things against. */
export const sandboxOptions = {
  profile: { type: 'string', default: 'generic', describe: 'option.profile' },
  port: { type: 'number', default: 0, min: 0, integer: true, describe: 'option.port' },
  'auto-approve': { type: 'boolean', default: false, describe: 'option.auto-approve' },
  'access-token-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: 'option.access-token-ttl' },
  'refresh-token-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: 'option.refresh-token-ttl' },
  'code-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: 'option.code-ttl' },
  'client-secret-file': { type: 'string', describe: 'option.sandbox.client-secret-file' },
  'client-secret': { type: 'string', describe: 'option.sandbox.client-secret' },
  'device-grant': { type: 'boolean', default: false, describe: 'option.device-grant' },
  'redirect-port': { type: 'number', min: 1, integer: true, describe: 'option.redirect-port' },
  'confidential-clients': { type: 'boolean', default: false, describe: 'option.confidential-clients' },
  'registered-secret-ttl': { type: 'number', min: 0, exclusiveMin: true, describe: 'option.registered-secret-ttl' },
  verbose: { type: 'boolean', default: false, describe: 'option.sandbox.verbose' },
  ...jsonOption,
} as const satisfies OptionTable;

/** `keygen`: this machine's key pair. */
export const keygenOptions = {
  ...storeOptions,
  ...jsonOption,
  force: { type: 'boolean', default: false, describe: 'option.keygen.force' },
  show: { type: 'boolean', default: false, describe: 'option.show' },
  'export-private': { type: 'boolean', default: false, describe: 'option.export-private' },
  qr: { type: 'boolean', group: GROUPS.output, describe: 'option.keygen.qr' },
} as const satisfies OptionTable;

/** `import FILE`. */
export const importOptions = {
  ...storeOptions,
  ...lockOptions,
  ...jsonOption,
  name: { type: 'string', describe: 'option.import.name' },
  force: { type: 'boolean', default: false, describe: 'option.import.force' },
  'allow-older': { type: 'boolean', default: false, describe: 'option.import.allow-older' },
  'allow-duplicate': { type: 'boolean', default: false, describe: 'option.import.allow-duplicate' },
  verify: { type: 'boolean', default: false, describe: 'option.verify' },
  'passphrase-file': { type: 'string', describe: 'option.import.passphrase-file' },
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
  revoke: { type: 'boolean', default: false, describe: 'option.revoke' },
  'delete-client': {
    type: 'boolean',
    describe: 'option.delete-client',
  },
} as const satisfies OptionTable;

/** `daemon [NAME...]`: the refresh loop (docs/operations.md). */
export const daemonOptions = {
  ...storeOptions,
  all: { type: 'boolean', default: false, describe: 'option.all' },
  'on-failure': {
    type: 'string',
    group: GROUPS.daemon,
    describe: 'option.on-failure',
  },
  'on-warning': { type: 'string', group: GROUPS.daemon, describe: 'option.on-warning' },
  'warn-before': {
    type: 'string',
    array: true,
    group: GROUPS.daemon,
    describe: 'option.warn-before',
  },
  'keep-alive-before': {
    type: 'duration',
    min: 0,
    group: GROUPS.daemon,
    describe: 'option.keep-alive-before',
  },
  'max-rate': { type: 'number', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'option.max-rate' },
  concurrency: { type: 'number', min: 1, integer: true, group: GROUPS.daemon, describe: 'option.concurrency' },
  'backoff-base': { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'option.backoff-base' },
  'backoff-max': { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'option.backoff-max' },
  poll: { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'option.poll' },
  'http-timeout': { type: 'duration', min: 0, exclusiveMin: true, group: GROUPS.daemon, describe: 'option.http-timeout' },
  'lock-timeout': {
    type: 'duration',
    min: 0,
    exclusiveMin: true,
    group: GROUPS.store,
    describe: 'option.daemon.lock-timeout',
  },
  'stop-timeout': { type: 'duration', min: 0, group: GROUPS.daemon, describe: 'option.stop-timeout' },
  'log-format': { type: 'string', group: GROUPS.daemon, describe: 'option.log-format' },
  verbose: { type: 'boolean', default: false, group: GROUPS.daemon, describe: 'option.daemon.verbose' },
  sink: { type: 'string', array: true, group: GROUPS.daemon, describe: 'option.daemon.sink' },
  'metrics-file': { type: 'string', group: GROUPS.daemon, describe: 'option.daemon.metrics-file' },
  'metrics-listen': { type: 'string', group: GROUPS.daemon, describe: 'option.daemon.metrics-listen' },
} as const satisfies OptionTable;

/** `fleet …`: the member hosts of a fleet store (docs/fleet.md). */
export const fleetOptions = {
  ...storeOptions,
  'lock-timeout': {
    type: 'duration',
    default: DEFAULT_LOCK_TIMEOUT_MS / 1000,
    min: 0,
    group: GROUPS.store,
    describe: 'option.fleet.lock-timeout',
  },
  ...jsonOption,
} as const satisfies OptionTable;

export const fleetAddMemberOptions = {
  ...fleetOptions,
  label: { type: 'string', describe: 'option.label' },
} as const satisfies OptionTable;

export const fleetRemoveMemberOptions = {
  ...fleetOptions,
  force: { type: 'boolean', default: false, describe: 'option.fleet_remove_member.force' },
} as const satisfies OptionTable;

export const fleetRestoreOptions = {
  ...fleetOptions,
  force: { type: 'boolean', default: false, describe: 'option.fleet_restore.force' },
} as const satisfies OptionTable;
