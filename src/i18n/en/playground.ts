/** Leftovers of the sandbox command, demo and the CLI frame: option value errors. */
export const playground = {
  'playground.host_not_loopback': 'the sandbox binds only to 127.0.0.1, not "{host}"',
  'playground.unknown_profile': 'unknown sandbox profile "{profile}" (one of {profiles})',
  'playground.demo_http_status': 'the sandbox answered HTTP {status} to the authorization request',
  'playground.demo_no_token': 'the token command printed nothing',
  'cli.unknown_shell': 'unknown shell "{shell}" (completion bash, or completion zsh)',
  'cli.exec_options': "{message}: options after the command name are read as oauth-handoff's own; put -- before the command (oauth-handoff exec NAME -- CMD ARGS…)",
} as const;
