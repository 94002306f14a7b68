/** Credentials (src/credential): refresh outcomes and the stores they are read from. */
export const credential = {
  'credential.no_refresh_token': 'credential "{name}" has no refresh token; it cannot be refreshed',
  'credential.endpoint_timeout': 'the token endpoint did not answer within {seconds} s, while the current access token is still valid',
  'credential.endpoint_no_answer': 'the token endpoint did not answer within {seconds} s',
  'credential.not_sent': 'the refresh of "{name}" was not sent: marking it as started took this process {seconds} s (starved of CPU, or the store was slow), too long to send it within the time it had reserved for it',
  'credential.bad_token_chars': 'the token endpoint sent an {field} with characters outside RFC 6749 VSCHAR (control characters, line breaks or non-ASCII); it was not stored',
  'credential.store_url_kind': 'store URLs of the kind {scheme}:// are not supported (redis:// and rediss:// are)',
  'credential.write_back_env_only': 'writing back settings works only with the credential from the environment',
  'credential.reauth': 'credential "{name}" needs re-authorization: the provider rejected its refresh token',
  'credential.reauth_serving': 'credential "{name}" needs re-authorization: the provider rejected its refresh token; its access token is served until it expires at {expires_at}',
  'credential.reauth_why': 'credential "{name}" needs re-authorization: {why}',
  'credential.reauth_why_serving': 'credential "{name}" needs re-authorization: {why}; its access token is served until it expires at {expires_at}',
} as const;
