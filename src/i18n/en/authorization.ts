/** Planning an authorization (src/authorization): the redirect URI and the client. */
export const authorization = {
  'authorization.redirect.unknown_kind': "unknown --redirect \"{kind}\" (expected loopback or oob)",
  'authorization.redirect.loopback_vs_oob': "--redirect loopback contradicts an out-of-band --redirect-uri",
  'authorization.redirect.oob_vs_url': "--redirect oob contradicts the http(s) --redirect-uri given",
  'authorization.redirect.bad_uri': "--redirect-uri \"{uri}\" must be an http(s) URL or {oob}",
  'authorization.redirect.no_oob': "{provider} has no known out-of-band page: use a loopback redirect (--redirect-uri as registered)",
  'authorization.redirect.exact': "{provider} matches the redirect URI exactly: give --redirect-uri as registered on the system (e.g. {example})",
  'authorization.client.unknown_auth': "unknown client authentication \"{method}\" (expected {methods})",
  'authorization.client.secret_needed': "the {provider} client needs its client secret: give --client-secret-file or set ${env}",
  'authorization.client.secret_question': "client secret for {client}: ",
} as const;
