/** Words and frames every command uses. */
export const common = {
  'cli.error': 'error: {message}',
  'cli.warning': 'warning:',
  'ci.rotated_lost': 'the provider replaced the refresh token of "{name}"; the new one is kept only in this process and lost when the job ends, and the one in {variable} may no longer work. Use --write-back FILE and store FILE back as the secret',
  'cli.bug': 'this looks like a bug in oauth-handoff; run again with OAUTH_HANDOFF_DEBUG=1 and report what it prints (it never prints tokens)',
  'cli.lang.invalid': '--lang takes "en" or "ja", not "{value}"',
  'duration.ms': '{n} ms',
  'duration.s': '{n} s',
  'duration.min': '{n} min',
  'duration.h_min': '{h} h {min} min',
  'duration.d': '{n} d',
  'duration.in': 'in {duration}',
  'duration.ago': '{duration} ago',
} as const;
