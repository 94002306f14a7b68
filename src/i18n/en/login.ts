/** `login` on the headless machine (src/headless-side/login*.ts). */
export const login = {
  'login.key_made': "made this machine's key ({path})",
  'login.mode_device': 'the server offers the device authorization grant (RFC 8628): using --device (add --paste to paste a code instead)',
  'login.mode_paste': 'the server offers no device authorization grant: using --paste',
  'login.summary': 'login --{mode} as "{name}": {provider} at {where}, client {client}',
  'login.summary_scopes': 'login --{mode} as "{name}": {provider} at {where}, client {client}, scopes {scopes}',
  'login.no_refresh': 'the server issued no refresh token: when the access token expires, run login again',
  'login.token_cap': '{provider} keeps at most {count} refresh tokens per user and client: authorizing the same client more often silently ends the oldest grant',
  'login.stored': 'stored "{name}" in the {store}',
  'login.slow_down': 'the server asked to poll more slowly: every {seconds} s now',
  'login.unavailable': 'the token endpoint is not answering; trying again in {seconds} s',
  'login.bad_paste_one': '{message}; try again (1 attempt left, until {until})',
  'login.bad_paste_many': '{message}; try again ({count} attempts left, until {until})',
} as const;
