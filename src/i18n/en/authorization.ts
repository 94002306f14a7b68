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
  'authorization.probe.not_found': 'the authorization endpoint {endpoint} answered HTTP {status} before anyone signed in: check --site (the path and port) or the endpoint options',
  'authorization.probe.error_page': 'the authorization endpoint {endpoint} refused the request before anyone signed in (HTTP {status}, {error}): {description}; check the client id and the redirect URI registered for it',
  'authorization.probe.error_redirect': 'the authorization endpoint {endpoint} sent back {error} before anyone signed in: {description}; check the client id, the scopes and the redirect URI registered for it',
} as const;
