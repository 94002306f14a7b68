/**
 * One error class for the whole toolkit. Every failure carries a stable `code`
 * (what went wrong, for programs) and an `exitCode` (for the CLI). Library
 * messages are lowercase and name what was wrong; the CLI adds the
 * "what to run next" line from `code` (src/terminal/hints.ts). A message made
 * with `message(key, params)` (src/i18n) also carries its catalog key and
 * parameters, so the CLI can say it in the user's language while `message`
 * stays English for programs.
 *
 * This file holds the one mapping from codes to exit codes; the README's
 * exit-code table is checked against `EXIT_MEANINGS` and `EXIT_FOR` by test/errors.test.ts.
 */
import type { Message, MessageKey, Params } from './i18n/index.js';

/** Process exit codes, documented in the README. */
export const EXIT = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  REAUTH: 3,
  DECRYPT: 4,
  PROVIDER: 5,
  LOCK_TIMEOUT: 6,
  STORE: 7,
  /** Ctrl+C at a prompt (128 + SIGINT, as shells report it) */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means: the README's table and `--help` say this (test/errors.test.ts checks the README). */
export const EXIT_MEANINGS: Readonly<Record<ExitCode, { summary: string; detail?: string }>> = {
  0: { summary: 'ok' },
  1: { summary: 'error', detail: 'not found, already exists, unsafe permissions, a daemon already running, stopped, …' },
  2: { summary: 'usage error', detail: 'a bad option or argument, or pasted input that is no authorization response' },
  3: { summary: 're-authorization required', detail: 'the provider rejected the refresh token or code (`invalid_grant`), or the answer given to `login`/`authorize` belongs to another authorization (its state differs)' },
  4: { summary: 'cannot decrypt or read a settings file', detail: 'wrong key or passphrase; a damaged, tampered or invalid file' },
  5: { summary: 'provider unreachable or failing', detail: 'network, timeout, 5xx, 429, or an OAuth error such as `invalid_client`' },
  6: { summary: 'busy', detail: "timed out waiting for another process's lock (`--lock-timeout`), or another fleet host changed the credential first" },
  7: { summary: 'store unavailable', detail: 'the fleet store is unreachable, or the store directory or a write-back file cannot be written (read-only, full)' },
  130: { summary: 'interrupted', detail: 'Ctrl+C at a prompt or during a wait; nothing was stored' },
};

/** Stable error codes. Each maps to exactly one exit code. */
export const CODES = {
  /** bad arguments or options */
  USAGE: 'USAGE',
  /** a settings file or armor block that is malformed, not ours, or of an unknown version */
  BAD_FILE: 'BAD_FILE',
  /** no identity could open the file, or it was tampered with */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** a key file is unusable (missing, malformed, too open) */
  BAD_KEY: 'BAD_KEY',
  /** a named credential does not exist */
  NOT_FOUND: 'NOT_FOUND',
  /** a credential or key already exists and --force was not given */
  EXISTS: 'EXISTS',
  /** files or directories have unsafe permissions */
  PERMISSIONS: 'PERMISSIONS',
  /** the grant is dead: invalid_grant, revoked, no refresh token */
  REAUTH_REQUIRED: 'REAUTH_REQUIRED',
  /** an authorization response (pasted or received) that belongs to another authorization request: its state differs */
  FOREIGN_RESPONSE: 'FOREIGN_RESPONSE',
  /** the provider answered with an OAuth error other than invalid_grant */
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  /** the provider could not be reached, timed out, or answered 5xx / 429 */
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  /** waiting for another process's lock took longer than allowed */
  LOCK_TIMEOUT: 'LOCK_TIMEOUT',
  /** another daemon already keeps this store fresh (one daemon per store) */
  DAEMON_RUNNING: 'DAEMON_RUNNING',
  /** another process (a fleet host) changed the credential while this one held it; nothing was overwritten */
  STORE_CONFLICT: 'STORE_CONFLICT',
  /** the store cannot be reached or written now: the fleet store's Redis is down, the file system refused a write */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** the user stopped an interactive step, or it timed out */
  ABORTED: 'ABORTED',
  /** the user pressed Ctrl+C at a prompt or during a wait */
  INTERRUPTED: 'INTERRUPTED',
  /** anything else */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof CODES)[keyof typeof CODES];

/** The one mapping from codes to exit codes. */
export const EXIT_FOR: Readonly<Record<ErrorCode, ExitCode>> = {
  USAGE: EXIT.USAGE,
  BAD_FILE: EXIT.DECRYPT,
  DECRYPT_FAILED: EXIT.DECRYPT,
  BAD_KEY: EXIT.DECRYPT,
  NOT_FOUND: EXIT.ERROR,
  EXISTS: EXIT.ERROR,
  PERMISSIONS: EXIT.ERROR,
  REAUTH_REQUIRED: EXIT.REAUTH,
  FOREIGN_RESPONSE: EXIT.REAUTH,
  PROVIDER_ERROR: EXIT.PROVIDER,
  PROVIDER_UNAVAILABLE: EXIT.PROVIDER,
  LOCK_TIMEOUT: EXIT.LOCK_TIMEOUT,
  DAEMON_RUNNING: EXIT.ERROR,
  STORE_CONFLICT: EXIT.LOCK_TIMEOUT,
  STORE_UNAVAILABLE: EXIT.STORE,
  ABORTED: EXIT.ERROR,
  INTERRUPTED: EXIT.INTERRUPTED,
  INTERNAL: EXIT.ERROR,
};

/** What the authorization server said, kept verbatim (RFC 6749 §5.2). */
export interface OAuthErrorDetail {
  /** HTTP status of the response, when there was one */
  status?: number;
  /** the `error` field, e.g. `invalid_grant` */
  error?: string;
  error_description?: string;
  /** seconds from a Retry-After header, when the server sent one */
  retryAfter?: number;
}

export interface HandoffErrorOptions {
  code: ErrorCode;
  cause?: unknown;
  oauth?: OAuthErrorDetail;
  /** the credential this is about, when there is one */
  credential?: string;
}

/**
 * Marks every HandoffError, whichever copy of this module made it: the `token`
 * fast path is a bundle with its own copy, and the protocol it loads on a
 * refresh is another (scripts/bundle.mjs). `instanceof` checks the mark.
 */
const BRAND = Symbol.for('oauth-handoff/HandoffError');

export class HandoffError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly oauth?: OAuthErrorDetail;
  readonly credential?: string;
  /** the catalog key of the message, when it was made with `message()` */
  readonly key?: MessageKey;
  /** the message's parameters (names, paths, statuses) as data */
  readonly params?: Params;

  constructor(message: string | Message, options: HandoffErrorOptions) {
    super(typeof message === 'string' ? message : message.text, options.cause === undefined ? undefined : { cause: options.cause });
    if (typeof message !== 'string') {
      this.key = message.key;
      if (message.params) this.params = message.params;
    }
    this.name = 'HandoffError';
    Object.defineProperty(this, BRAND, { value: true });
    this.code = options.code;
    this.exitCode = EXIT_FOR[options.code];
    if (options.oauth) this.oauth = options.oauth;
    if (options.credential) this.credential = options.credential;
  }
}

/**
 * Failures that say nothing about the grant and may pass by themselves (the
 * provider or the store is unreachable): a still-valid access token may be
 * served meanwhile, and the daemon retries.
 */
export function isPassingFailure(e: unknown): e is HandoffError {
  return e instanceof HandoffError && (e.code === CODES.PROVIDER_UNAVAILABLE || e.code === CODES.STORE_UNAVAILABLE);
}

export function isHandoffError(e: unknown, code?: ErrorCode): e is HandoffError {
  return e instanceof HandoffError && (code === undefined || e.code === code);
}
