/** The fleet store (Redis) and `oauth-handoff fleet …`. */
export const fleet = {
  'fleet.lost_empty':
    'the fleet store {store} has lost "{name}": it is empty (Redis restarted without its data, or was flushed); this host last saw version {version} on {at} and keeps that copy',
  'fleet.lost_reset':
    'the fleet store {store} has lost "{name}": it was reset and written again since (Redis restarted without its data, or was flushed); this host last saw version {version} on {at} and keeps that copy',
  'fleet.back_in_time':
    'the fleet store {store} went back in time: "{name}" is at version {version} there, but this host saw version {seen} on {at} (was Redis restored from an older snapshot?); its refresh token may be outdated, and this host keeps the newer copy',
  'fleet.damaged':
    '"{name}" in the fleet store {store} is damaged or has been tampered with ({detail}): it was sealed to this host\'s key {fingerprint} but does not open with it',
  'fleet.not_member':
    '{key} is not a member of the fleet store {store}',
  'fleet.not_a_key':
    '"{key}" is neither a public key (ohpub1…) nor a 16-digit key fingerprint',
  'fleet.ioredis_missing':
    'the fleet store ({store}) needs the Redis client ioredis, which is not installed: run `npm install ioredis` where oauth-handoff is installed (`npm install -g ioredis` for a global install)',
  'fleet.link.not_available': 'the fleet store {store} is not available: {reply}',
  'fleet.link.noperm': 'the fleet store {store} refused a command to this Redis user ({reply}); its ACL must allow the commands docs/fleet.md lists',
  'fleet.link.login_refused': 'the fleet store {store} refused the login ({reply})',
  'fleet.link.error_reply': 'the fleet store {store} answered with an error: {reply}',
  'fleet.link.unreachable': 'the fleet store {store} is unreachable ({why})',
  'fleet.hint.login_refused': 'check the Redis user and password: the user in the store URL (redis://USER@HOST:PORT/DB), the password in OAUTH_HANDOFF_REDIS_PASSWORD or the URL in OAUTH_HANDOFF_STORE (docs/fleet.md, "Where the store is"), against the ACL on the Redis server (`ACL LIST`)',
  'fleet.hint.noperm': 'give this Redis user the ACL of docs/fleet.md ("1. Redis"), then run the command again',
  'fleet.hint.restore': "this host's copy is newer: write it back with `oauth-handoff fleet restore {name}` (docs/fleet.md, \"When Redis restarts\")",
  'fleet.hint.damaged':
    "if nobody changed it on purpose, write a good copy back from a member host whose copy is intact: `oauth-handoff fleet restore {name} --force`; then find out who can write to this Redis",
  'fleet.hint.members': '`oauth-handoff fleet members` lists the member keys and their fingerprints',
} as const;
