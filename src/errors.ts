/**
 * One error class for the whole toolkit. Every failure carries a stable `code`
 * (what went wrong, for programs) and an `exitCode` (for the CLI). Library
 * messages are lowercase and name what was wrong; the CLI adds the
 * "what to run next" line from `code` (src/terminal/hints.ts). A message made
 * with `message(key, params)` (src/i18n) also carries its catalog key and
 * parameters, so the CLI can say it in the user's language while `message`
 * stays English for programs.
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
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

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
  /** the provider answered with an OAuth error other than invalid_grant */
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  /** the provider could not be reached, timed out, or answered 5xx / 429 */
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  /** waiting for another process's lock took longer than allowed */
  LOCK_TIMEOUT: 'LOCK_TIMEOUT',
  /** the user stopped an interactive step, or it timed out */
  ABORTED: 'ABORTED',
  /** anything else */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof CODES)[keyof typeof CODES];

const EXIT_FOR: Record<ErrorCode, ExitCode> = {
  USAGE: EXIT.USAGE,
  BAD_FILE: EXIT.DECRYPT,
  DECRYPT_FAILED: EXIT.DECRYPT,
  BAD_KEY: EXIT.DECRYPT,
  NOT_FOUND: EXIT.ERROR,
  EXISTS: EXIT.ERROR,
  PERMISSIONS: EXIT.ERROR,
  REAUTH_REQUIRED: EXIT.REAUTH,
  PROVIDER_ERROR: EXIT.PROVIDER,
  PROVIDER_UNAVAILABLE: EXIT.PROVIDER,
  LOCK_TIMEOUT: EXIT.LOCK_TIMEOUT,
  ABORTED: EXIT.ERROR,
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

export function isHandoffError(e: unknown, code?: ErrorCode): e is HandoffError {
  return e instanceof HandoffError && (code === undefined || e.code === code);
}
