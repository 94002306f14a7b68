/** From a resource URL to a registered client (issue 17): `authorize` / `login --resource`, and `forget` of such a client. */
export const resource = {
  'resource.not_generic': '--resource works with the generic provider, not {provider}',
  'resource.client_id_missing': 'the client ID is missing: give --client-id (registered on the system), or --resource / --issuer of a server that registers clients itself',
  'resource.no_registration': 'the client ID is missing: the authorization server {issuer} offers no dynamic client registration (RFC 7591), so give --client-id of a client registered there',
  'resource.registered': 'registered the client {client} at {endpoint} (RFC 7591)',
  'resource.no_server': 'the protected resource {resource} names no authorization server (RFC 9728 authorization_servers)',
  'resource.server_not_named': 'the resource {resource} does not name the authorization server {issuer} (it names {servers})',
  'resource.choose': '{resource} names {count} authorization servers:\n{list}\nwhich one (number)? ',
  'resource.choose_no_tty': 'choose one with --issuer ({servers})',
  'resource.none_chosen': 'no authorization server was chosen',
  'resource.no_s256': 'the authorization server {issuer} does not support PKCE S256, which OAuth 2.1 requires',
  'forget.delete_client_question': '"{name}" uses a client oauth-handoff registered at the server ({client}); delete that client too (RFC 7592)? [y/N] ',
  'forget.delete_client_no_tty': 'pass --delete-client or --no-delete-client',
  'forget.not_registered': '"{name}" has no client registered by oauth-handoff (no registration access token): delete its client at the provider, then forget without --delete-client',
  'forget.client_deleted': 'deleted the client oauth-handoff registered for "{name}" at the server (RFC 7592)',
  'forget.client_remains': "the client oauth-handoff registered for \"{name}\" still exists at the server (its registration access token was forgotten with it); delete it in the server's administration if it is no longer needed",
} as const;
