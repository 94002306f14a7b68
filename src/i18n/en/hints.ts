/** The "what to run next" line the CLI prints under an error, by error code. */
export const hints = {
  'hint.reauth_required': 're-authorize: on a machine with a browser run `oauth-handoff authorize --name {name} …` and import the file here with `oauth-handoff import FILE --force`, or run `oauth-handoff login --paste --name {name} --force` here',
  'hint.decrypt_failed': "check that the file was sealed to this machine's key (`oauth-handoff keygen --show` prints it; `oauth-handoff inspect FILE` shows who can open a file) or that the passphrase is right",
  'hint.bad_file': 'the file is damaged, truncated or not an oauth-handoff settings file; ask for a new one (`oauth-handoff inspect FILE` shows its header)',
  'hint.bad_key': "run `oauth-handoff keygen` to make this machine's key (or check --store / OAUTH_HANDOFF_HOME)",
  'hint.permissions': 'restrict it: `chmod 600` for files, `chmod 700` for directories; the key opens every credential on this machine',
  'hint.not_found': '`oauth-handoff status` lists the credentials in this store',
  'hint.exists_key': '`oauth-handoff keygen --show` prints its public key; `keygen --force` makes a new one and every credential sealed to the old key becomes unreadable',
  'hint.exists': 'add --force to replace it',
  'hint.provider_unavailable': 'check the network and proxy settings (HTTPS_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS) and try again; the daemon retries by itself',
  'hint.provider_error': 'check the client id and secret, scopes and redirect URI registered on the provider (see `oauth-handoff providers`)',
  'hint.lock_timeout': 'another oauth-handoff process is refreshing this credential; wait and retry, or raise --lock-timeout',
  'hint.store_conflict': 'another host changed it at the same moment and nothing was overwritten; run the command again',
  'hint.store_unavailable_fleet': "check that the fleet store's Redis is running and reachable from this host, then try again; the daemon retries by itself",
  'hint.store_unavailable_dir': 'make the store directory writable for this user (or free space on its file system), or choose another with --store, then try again',
  'hint.usage': 'see `oauth-handoff --help`',
} as const;
