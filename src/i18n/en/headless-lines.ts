/** The headless side's remaining lines for people: login --paste's prompt and its errors, and more. */
export const headlessLines = {
  'paste.question.code': 'authorization code (or the page address): ',
  'paste.question.landed': 'the address the browser landed on: ',
  'paste.nothing_pasted.s': 'nothing was pasted within {n} s',
  'paste.nothing_pasted.min': 'nothing was pasted within {n} min',
  'paste.nothing_usable.s': 'nothing usable was pasted within {n} s',
  'paste.nothing_usable.min': 'nothing usable was pasted within {n} min',
  'paste.no_stdin.s': 'no code or URL arrived on standard input within {n} s',
  'paste.no_stdin.min': 'no code or URL arrived on standard input within {n} min',
  'paste.code_rejected': 'the authorization code was rejected (invalid_grant): it was mistyped, already used, expired, or belongs to another login attempt; nothing was stored',
  'paste.code_rejected.ttl': 'the authorization code was rejected (invalid_grant): it was mistyped, already used, expired ({provider} codes live {ttl} s), or belongs to another login attempt; nothing was stored',
  'paste.code_rejected.said': 'the authorization code was rejected (invalid_grant) (the server said: {server}): it was mistyped, already used, expired, or belongs to another login attempt; nothing was stored',
  'paste.code_rejected.said_ttl': 'the authorization code was rejected (invalid_grant) (the server said: {server}): it was mistyped, already used, expired ({provider} codes live {ttl} s), or belongs to another login attempt; nothing was stored',
} as const;
