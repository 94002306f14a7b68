/**
 * Defaults that decide behaviour, declared once. The option tables (both argv
 * readers), the library, the daemon and the stores read them from here.
 */

/** `--min-valid`, `minValid`: refresh first when the access token expires within this many seconds. */
export const DEFAULT_MIN_VALID_SECONDS = 60;

/** `--lock-timeout`, `lockTimeoutMs`: how long to wait for another process holding a credential's write lock. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/**
 * The refresh margin is at most this share of the access token's lifetime:
 * a token living 5 s is refreshed at 2.5 s left, not on every call because
 * it always has less than `--min-valid` left.
 */
export const MAX_REFRESH_MARGIN_SHARE = 0.5;
